// What a config change means for the running training: nothing, live settings for the trainer, a
// rebuild of model and data, or a new worker. Pure, so the page's decision is testable without one;
// every rule comes from the flags of FIELDS (schema.ts).
import { FIELDS, type GanConfig, type LiveKey, type LiveSettings } from './schema';

export type ConfigChangePlan =
  | { kind: 'none' }
  /** `settings` go to the running trainer; `fields` names the changed and the forced ones. */
  | { kind: 'live'; settings: Partial<LiveSettings>; fields: (keyof GanConfig)[] }
  /** A new model or data set is needed: `fields` are the changed fields that are not live. */
  | { kind: 'rebuild'; fields: (keyof GanConfig)[] }
  /** A new worker is needed (the tfjs backend is chosen once per worker): `fields` say why. */
  | { kind: 'new-worker'; fields: (keyof GanConfig)[] };

/** The fields flagged live, in FIELDS order. */
export const LIVE_FIELDS: readonly LiveKey[] = FIELDS.filter((f) => f.live).map((f) => f.key as LiveKey);

function isLive(key: keyof GanConfig): key is LiveKey {
  return (LIVE_FIELDS as readonly string[]).includes(key);
}

function sameValue(a: GanConfig[keyof GanConfig], b: GanConfig[keyof GanConfig]): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.join(',') === b.join(',') : a === b;
}

/** The fields whose values differ between two configs, in FIELDS order (lists compare by content). */
export function changedFields(before: GanConfig, after: GanConfig): (keyof GanConfig)[] {
  return FIELDS.map((f) => f.key).filter((key) => !sameValue(before[key], after[key]));
}

/** The live fields whose values differ between two configs. */
export function liveChanges(before: GanConfig, after: GanConfig): Partial<LiveSettings> {
  const changes: Partial<Record<LiveKey, unknown>> = {};
  for (const key of changedFields(before, after)) if (isLive(key)) changes[key] = after[key];
  return changes as Partial<LiveSettings>;
}

/** True when going from `before` to `after` needs a new model or data set (a field that is not live changed). */
export function needsRebuild(before: GanConfig, after: GanConfig): boolean {
  return changedFields(before, after).some((key) => !isLive(key));
}

/**
 * The plan for applying `after` while `before` runs. `forced` live settings are sent even when the
 * config does not change (the page picks the URL's norm back after a scheduled switch); a rebuild
 * makes them moot.
 */
export function planConfigChange(
  before: GanConfig,
  after: GanConfig,
  forced: Partial<LiveSettings> = {},
): ConfigChangePlan {
  const changed = changedFields(before, after);
  const newWorker = changed.filter((key) => FIELDS.some((f) => f.key === key && f.newWorker));
  if (newWorker.length > 0) return { kind: 'new-worker', fields: newWorker };
  const rebuilt = changed.filter((key) => !isLive(key));
  if (rebuilt.length > 0) return { kind: 'rebuild', fields: rebuilt };
  const forcedKeys = Object.keys(forced) as LiveKey[];
  if (changed.length === 0 && forcedKeys.length === 0) return { kind: 'none' };
  const fields = [...new Set([...changed, ...forcedKeys])];
  return { kind: 'live', settings: { ...liveChanges(before, after), ...forced }, fields };
}

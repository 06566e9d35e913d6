// The autosave's format and its slot rules, as pure functions (no IndexedDB, no DOM): each tab's run
// autosaves in a slot of its own, so two tabs never overwrite each other; a slot holds a small
// summary record (listed at load without reading the weights) and the run record (checkpoint and
// series). autosave.ts does the IndexedDB part; docs/files.md describes the records.
import { checkCheckpoint, type TrainerCheckpoint } from '../../core/train/checkpoint';
import { errorText } from '../../core/error-text';
import { typedArraysOf } from '../../core/runs/transfer-list';
import type { SavedSeries } from '../app/training-state';

export const AUTOSAVE_DB = 'spectral-gan-autosave';
export const AUTOSAVE_STORE = 'runs';
export const AUTOSAVE_FORMAT = 'spectral-gan-autosave';
export const AUTOSAVE_SUMMARY_FORMAT = 'spectral-gan-autosave-summary';
export const AUTOSAVE_VERSION = 1;
/** Autosaves kept: older slots that no open tab holds are deleted at the next autosave. */
export const KEEP_AUTOSAVES = 5;
/** The single key of builds before slots: offered as a slot of its own until resumed or discarded. */
export const LEGACY_SLOT = 'current-run';

export const summaryKey = (slot: string) => `summary:${slot}`;
export const runKey = (slot: string) => (slot === LEGACY_SLOT ? LEGACY_SLOT : `run:${slot}`);
/** The Web Lock a tab holds on its slot while it is open (navigator.locks, shared by the origin's tabs). */
export const slotLockName = (slot: string) => `spectral-gan-autosave:${slot}`;

/** The run record: what resuming needs. */
export interface AutosaveRecord extends SavedSeries {
  format: typeof AUTOSAVE_FORMAT;
  version: number;
  slot: string;
  /** ISO 8601 time of the save. */
  savedAt: string;
  checkpoint: TrainerCheckpoint;
}

/** The summary record beside it: what the offer shows, and the sizes that catch a cut-off run record. */
export interface AutosaveSummary {
  format: typeof AUTOSAVE_SUMMARY_FORMAT;
  version: number;
  slot: string;
  savedAt: string;
  iteration: number;
  dataset: string;
  norm: string;
  arch: string;
  ch: number;
  gch: number;
  /** Numbers (typed-array elements) and their bytes in the checkpoint. */
  numbers: number;
  bytes: number;
}

/** One saved run as the page offers it; `damaged` says why it cannot be resumed (null: it can). */
export interface SavedRunOffer {
  slot: string;
  savedAt: string;
  iteration: number | null;
  dataset: string;
  norm: string;
  bytes: number;
  damaged: string | null;
}

export function checkpointSize(checkpoint: TrainerCheckpoint): { numbers: number; bytes: number } {
  const arrays = typedArraysOf(checkpoint) as Float32Array[];
  return {
    numbers: arrays.reduce((sum, a) => sum + a.length, 0),
    bytes: arrays.reduce((sum, a) => sum + a.byteLength, 0),
  };
}

export function summaryOf(record: AutosaveRecord): AutosaveSummary {
  const { config, iteration } = record.checkpoint;
  return {
    format: AUTOSAVE_SUMMARY_FORMAT,
    version: AUTOSAVE_VERSION,
    slot: record.slot,
    savedAt: record.savedAt,
    iteration,
    dataset: config.dataset,
    norm: config.norm,
    arch: config.arch,
    ch: config.ch,
    gch: config.gch,
    ...checkpointSize(record.checkpoint),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The offer for the summary stored under `slot`: a damaged one when it is not a summary this build reads. */
export function offerOfSummary(slot: string, value: unknown): SavedRunOffer {
  const damaged = (why: string): SavedRunOffer => ({
    slot,
    savedAt: '',
    iteration: null,
    dataset: '',
    norm: '',
    bytes: 0,
    damaged: why,
  });
  if (!isRecord(value) || value.format !== AUTOSAVE_SUMMARY_FORMAT) return damaged('its summary is not in the format');
  if (value.version !== AUTOSAVE_VERSION)
    return damaged(`its version ${String(value.version)} is not one this page reads`);
  const fields = ['iteration', 'numbers', 'bytes'] as const;
  if (!fields.every((k) => typeof value[k] === 'number') || typeof value.savedAt !== 'string')
    return damaged('its summary lacks the iteration, sizes or time');
  const summary = value as unknown as AutosaveSummary;
  return {
    slot,
    savedAt: summary.savedAt,
    iteration: summary.iteration,
    dataset: String(summary.dataset),
    norm: String(summary.norm),
    bytes: summary.bytes,
    damaged: null,
  };
}

/**
 * Throws, with a reason a person can read, when `value` is not a run record this build can resume,
 * or holds fewer numbers than its summary says (a cut-off write or a damaged copy).
 */
export function checkAutosaveRecord(value: unknown, summary: AutosaveSummary | null): asserts value is AutosaveRecord {
  if (!isRecord(value)) throw new Error('the saved record is not a run');
  if (value.format !== AUTOSAVE_FORMAT) throw new Error(`its format is ${JSON.stringify(value.format) ?? 'missing'}`);
  if (value.version !== AUTOSAVE_VERSION)
    throw new Error(`its version ${String(value.version)} is not one this page reads`);
  try {
    checkCheckpoint(value.checkpoint);
  } catch (error) {
    throw new Error(`its checkpoint cannot be used: ${errorText(error)}`, { cause: error });
  }
  const checkpoint = value.checkpoint;
  for (const entry of [...checkpoint.dOptimizer, ...checkpoint.gOptimizer]) {
    const expected = entry.shape.reduce((n, d) => n * d, 1);
    if (!(entry.values instanceof Float32Array) || entry.values.length !== expected)
      throw new Error(`its optimizer state ${entry.name} holds ${entry.values?.length ?? 0} of ${expected} numbers`);
  }
  const { numbers } = checkpointSize(checkpoint);
  if (summary && numbers !== summary.numbers)
    throw new Error(`it holds ${numbers} of the ${summary.numbers} numbers it was saved with (cut off)`);
  if (!Array.isArray(value.history)) throw new Error('its metrics history is missing');
}

/** A record of the builds before slots ({savedAt, checkpoint, history, ...} under LEGACY_SLOT), as a record. */
export function legacyRecord(value: unknown): AutosaveRecord {
  if (!isRecord(value)) throw new Error('the saved record is not a run');
  return { ...value, format: AUTOSAVE_FORMAT, version: AUTOSAVE_VERSION, slot: LEGACY_SLOT } as AutosaveRecord;
}

/**
 * The runs a tab offers: every slot but those other open tabs hold (`held`), newest first; damaged
 * ones last (they have no time), so that they are seen and can be discarded.
 */
export function offersFor(all: readonly SavedRunOffer[], own: string, held: ReadonlySet<string>): SavedRunOffer[] {
  return all
    .filter((offer) => offer.slot === own || !held.has(offer.slot))
    .sort((a, b) => (b.savedAt || '').localeCompare(a.savedAt || ''));
}

/** Slots to delete after `own` was written: beyond the newest `keep`, those no open tab holds. */
export function slotsToPrune(
  all: readonly SavedRunOffer[],
  own: string,
  held: ReadonlySet<string>,
  keep = KEEP_AUTOSAVES,
): string[] {
  const newestFirst = [...all].sort((a, b) => (b.savedAt || '').localeCompare(a.savedAt || ''));
  return newestFirst.slice(keep).flatMap((offer) => (offer.slot === own || held.has(offer.slot) ? [] : [offer.slot]));
}

export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || /quota/i.test(errorText(error));
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** What a failed autosave tells the person: which iteration was not saved, why, and what is kept. */
export function notSavedMessage(
  iteration: number,
  error: unknown,
  kept: number | null,
  storage: { usage?: number; quota?: number } | null,
): string {
  const keptText =
    kept === null ? 'no earlier autosave of this tab is kept' : `the autosave of iteration ${kept} is kept`;
  if (!isQuotaError(error))
    return `The run at iteration ${iteration} was not autosaved (${errorText(error)}); ${keptText}.`;
  const used =
    storage?.quota !== undefined ? ` (${megabytes(storage.usage ?? 0)} used of ${megabytes(storage.quota)})` : '';
  return (
    `The run at iteration ${iteration} was not autosaved: the browser's storage is full${used}; ${keptText}. ` +
    'Free space (discard saved runs, or clear site data) or export the run to a file.'
  );
}

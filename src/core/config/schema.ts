// The configuration types and FIELDS, all derived from the one field table (field-table.ts: each
// field's URL name, kind, range, default and whether it applies live). The URL codec, the table in
// docs/url-fields.md, the UI controls and planConfigChange (config-change.ts) read FIELDS (TensorFlow
// Playground's state.ts pattern, plus range/NaN checks and a version field).
export * from './field-kinds';
export { ALL_CLASSES } from './field-table';
import type { ClassListDecl, EnumDecl, FieldDecl, NumberDecl, ScheduleEntry } from './field-kinds';
import { FIELD_TABLE } from './field-table';

/** The type of a field's value, from its entry: an enum's values tuple gives the union of them. */
type ValueOf<F extends FieldDecl> = F extends EnumDecl
  ? F['values'][number]
  : F extends NumberDecl
    ? number
    : F extends ClassListDecl
      ? number[]
      : ScheduleEntry[];
type FieldEntry = (typeof FIELD_TABLE)[number];

/** One run's configuration: a property per FIELDS entry, typed by the entry's kind. */
export type GanConfig = { [F in FieldEntry as F['key']]: ValueOf<F> };
export type LiveKey = Extract<FieldEntry, { live: true }>['key'];
/** The settings GanTrainer.applyLiveSettings takes: the fields flagged live. */
export type LiveSettings = Pick<GanConfig, LiveKey>;

// The entries as the UI, the URL codec and docs/url-fields.md's table see them.
interface FieldBase<K extends keyof GanConfig> {
  key: K;
  doc: string;
  default: GanConfig[K];
  live?: true;
  newWorker?: true;
}
export interface EnumField<K extends keyof GanConfig> extends FieldBase<K> {
  kind: 'enum';
  values: readonly string[];
}
export interface NumberField<K extends keyof GanConfig> extends FieldBase<K> {
  kind: 'int' | 'float';
  min: number;
  max: number;
}
export interface ClassListField<K extends keyof GanConfig> extends FieldBase<K> {
  kind: 'classes';
}
export interface ScheduleField<K extends keyof GanConfig> extends FieldBase<K> {
  kind: 'schedule';
}
export type FieldSpec =
  | EnumField<keyof GanConfig>
  | NumberField<keyof GanConfig>
  | ClassListField<keyof GanConfig>
  | ScheduleField<keyof GanConfig>;

// Compile-time checks of the table (exported only so noUnusedLocals keeps them). The declaration types
// reject a wrong kind or a default of the wrong primitive type; these catch what they cannot.
type Expect<T extends true> = T;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Keys whose default is not a value of the field's type, e.g. an enum default missing from its values. */
type BadDefaults = {
  [F in FieldEntry as F['key']]: F['default'] extends GanConfig[F['key']] ? never : F['key'];
}[keyof GanConfig];
export type FieldTableChecks = [
  Expect<Equal<BadDefaults, never>>,
  // A field is live or needs a new worker, never both.
  Expect<Equal<Extract<FieldEntry, { live: true; newWorker: true }>, never>>,
];

/** Every field, in URL and panel order: FIELD_TABLE (field-table.ts) seen through the common FieldSpec type. */
export const FIELDS: readonly FieldSpec[] = FIELD_TABLE;

export function defaultConfig(): GanConfig {
  const config = {} as Record<string, unknown>;
  for (const field of FIELDS) {
    config[field.key] = Array.isArray(field.default) ? [...field.default] : field.default;
  }
  return config as unknown as GanConfig;
}

export function fieldSpec(key: keyof GanConfig): FieldSpec {
  const spec = FIELDS.find((f) => f.key === key);
  if (!spec) throw new Error(`unknown config field ${String(key)}`);
  return spec;
}

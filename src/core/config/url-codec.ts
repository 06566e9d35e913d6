// Query string <-> GanConfig. Decoding never throws: every rejected value is reported by name and
// replaced by its default, so a bad link still opens a working page.
import {
  CONFIG_VERSION,
  FIELDS,
  NORMS,
  defaultConfig,
  type FieldSpec,
  type GanConfig,
  type NormName,
  type ScheduleEntry,
} from './schema';

export interface DecodeResult {
  config: GanConfig;
  /** One human-readable message per rejected field, e.g. "lr=abc is not a number; using 0.0002". */
  errors: string[];
}

/** `40000:sr-dynamic,60000:sn`: the URL form of a normalization schedule. */
export function formatSchedule(schedule: readonly ScheduleEntry[]): string {
  return schedule.map((entry) => `${entry.iteration}:${entry.norm}`).join(',');
}

/** Echoed input is cut to this many characters, so a 100 kB value cannot flood the banner. */
const ECHO_MAX_CHARS = 40;
/** Unknown keys named one by one; the rest are counted in one message. */
const MAX_UNKNOWN_KEYS_NAMED = 10;

/** `text` in quotes for a message, cut to ECHO_MAX_CHARS characters (then its length is given). */
function quote(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= ECHO_MAX_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, ECHO_MAX_CHARS).join(''))}... (${chars.length} characters)`;
}

function formatValue(key: keyof GanConfig, value: unknown): string {
  if (key === 'schedule') return formatSchedule(value as ScheduleEntry[]);
  return Array.isArray(value) ? value.join(',') : String(value);
}

function formatDefault(field: FieldSpec): string {
  return formatValue(field.key, field.default);
}

function parseSchedule(text: string): { value: ScheduleEntry[] } | { reason: string } {
  if (text === '') return { value: [] };
  const entries: ScheduleEntry[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d+):([a-z-]+)$/.exec(part.trim());
    if (!match) return { reason: `has ${quote(part)}; each entry must be iteration:method, e.g. 40000:sr-dynamic` };
    const norm = match[2] as NormName;
    if (!NORMS.includes(norm)) return { reason: `has unknown method ${quote(match[2])} (one of ${NORMS.join(', ')})` };
    const iteration = Number(match[1]);
    if (!Number.isSafeInteger(iteration)) return { reason: `has iteration ${quote(match[1])} out of range` };
    if (entries.some((e) => e.iteration === iteration)) return { reason: `names iteration ${iteration} twice` };
    entries.push({ iteration, norm });
  }
  return { value: entries.sort((a, b) => a.iteration - b.iteration) };
}

/** Parses one raw value; returns the value or a reason it was rejected. */
function parseField(field: FieldSpec, raw: string): { value: unknown } | { reason: string } {
  const text = raw.trim();
  switch (field.kind) {
    case 'enum':
      return field.values.includes(text) ? { value: text } : { reason: `must be one of ${field.values.join(', ')}` };
    case 'int':
    case 'float': {
      if (text === '') return { reason: 'is empty' };
      const value = Number(text);
      if (!Number.isFinite(value)) return { reason: 'is not a number' };
      if (field.kind === 'int' && !Number.isInteger(value)) return { reason: 'must be an integer' };
      if (value < field.min || value > field.max) {
        return { reason: `is out of range [${field.min}, ${field.max}]` };
      }
      return { value: value === 0 ? 0 : value }; // "-0" is 0 (a -0 would not survive a round trip)
    }
    case 'classes': {
      const parts = text.split(',').map((p) => p.trim());
      const ids: number[] = [];
      for (const part of parts) {
        if (!/^\d$/.test(part)) return { reason: 'must be a comma list of class ids 0-9' };
        const id = Number(part);
        if (!ids.includes(id)) ids.push(id);
      }
      if (ids.length === 0) return { reason: 'must name at least one class' };
      return { value: ids.sort((a, b) => a - b) };
    }
    case 'schedule':
      return parseSchedule(text);
  }
}

/**
 * A link from a later version of the page than this one: it opens with every field this page knows,
 * and says so; a field it cannot keep gets its own message (unknown, or out of this page's range).
 * Links of earlier versions need no such note while every field they have is still read the same way
 * (tests/unit/core/config/url-versions.test.ts holds links written by earlier builds).
 */
function newerVersionMessage(raw: string | null): string | null {
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return null;
  const version = Number(raw);
  if (!Number.isSafeInteger(version) || version <= CONFIG_VERSION) return null;
  return (
    `v=${version}: this link was made by a newer version of the playground (this page reads ` +
    `v=${CONFIG_VERSION}); every field it knows is used, and any it could not keep is named here`
  );
}

export function decodeConfig(query: string): DecodeResult {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const config = defaultConfig() as unknown as Record<string, unknown>;
  const errors: string[] = [];
  const newer = newerVersionMessage(params.get('v'));
  if (newer) errors.push(newer);
  for (const field of FIELDS) {
    const raw = params.get(field.key);
    if (raw === null || (newer && field.key === 'v')) continue;
    const parsed = parseField(field, raw);
    if ('value' in parsed) config[field.key] = parsed.value;
    else errors.push(`${field.key}=${quote(raw)} ${parsed.reason}; using ${formatDefault(field)}`);
  }
  const known = new Set<string>(FIELDS.map((f) => f.key));
  const unknown = [...new Set(params.keys())].filter((key) => !known.has(key));
  for (const key of unknown.slice(0, MAX_UNKNOWN_KEYS_NAMED)) errors.push(`unknown URL field ${quote(key)} ignored`);
  if (unknown.length > MAX_UNKNOWN_KEYS_NAMED) {
    errors.push(`${unknown.length - MAX_UNKNOWN_KEYS_NAMED} more unknown URL fields ignored`);
  }
  return { config: config as unknown as GanConfig, errors };
}

/** Writes every field, so a copied link pins the whole run even if defaults change later. */
export function encodeConfig(config: GanConfig): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    params.set(field.key, formatValue(field.key, config[field.key]));
  }
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

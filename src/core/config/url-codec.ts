// Query string <-> GanConfig. Decoding never throws: every rejected value is reported by name and
// replaced by its default, so a bad link still opens a working page.
import { FIELDS, defaultConfig, type FieldSpec, type GanConfig } from './schema';

export interface DecodeResult {
  config: GanConfig;
  /** One human-readable message per rejected field, e.g. "lr=abc is not a number; using 0.0002". */
  errors: string[];
}

function formatDefault(field: FieldSpec): string {
  return Array.isArray(field.default) ? field.default.join(',') : String(field.default);
}

/** Parses one raw value; returns the value or a reason it was rejected. */
function parseField(field: FieldSpec, raw: string): { value: unknown } | { reason: string } {
  const text = raw.trim();
  switch (field.kind) {
    case 'enum':
      return field.values.includes(text)
        ? { value: text }
        : { reason: `must be one of ${field.values.join(', ')}` };
    case 'int':
    case 'float': {
      if (text === '') return { reason: 'is empty' };
      const value = Number(text);
      if (!Number.isFinite(value)) return { reason: 'is not a number' };
      if (field.kind === 'int' && !Number.isInteger(value)) return { reason: 'must be an integer' };
      if (value < field.min || value > field.max) {
        return { reason: `is out of range [${field.min}, ${field.max}]` };
      }
      return { value };
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
  }
}

export function decodeConfig(query: string): DecodeResult {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const config = defaultConfig() as unknown as Record<string, unknown>;
  const errors: string[] = [];
  for (const field of FIELDS) {
    const raw = params.get(field.key);
    if (raw === null) continue;
    const parsed = parseField(field, raw);
    if ('value' in parsed) config[field.key] = parsed.value;
    else errors.push(`${field.key}=${JSON.stringify(raw)} ${parsed.reason}; using ${formatDefault(field)}`);
  }
  const known = new Set<string>(FIELDS.map((f) => f.key));
  for (const key of params.keys()) {
    if (!known.has(key)) errors.push(`unknown URL field "${key}" ignored`);
  }
  return { config: config as unknown as GanConfig, errors };
}

/** Writes every field, so a copied link pins the whole run even if defaults change later. */
export function encodeConfig(config: GanConfig): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = config[field.key];
    params.set(field.key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params.toString().replace(/%2C/g, ',');
}

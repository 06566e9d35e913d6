// A run list: the file a sweep writes beside its runs (`runs.json`) so the page can open the runs
// together and compare them. Plain data, no Node or tfjs imports: the page bundle reads it too.
//
//   { "format": "spectral-gan-run-list", "version": 1, "title"?: "...",
//     "runs": [{ "name": "norm=sn batch=64", "query": "v=1&dataset=...", "file": "runs/01-norm-sn_batch-64.json" }] }
//
// `name` labels the run (unique in the list), `query` is its canonical configuration (open `/?<query>`
// to get the same run), `file` is the run's headless JSON, relative to the run list's own folder.
// Unknown extra fields are allowed and ignored, so later versions can add to entries.

import { errorText } from '../error-text';

export const RUN_LIST_FORMAT = 'spectral-gan-run-list';
export const RUN_LIST_VERSION = 1;

export interface RunListEntry {
  name: string;
  query: string;
  file: string;
}

export interface RunList {
  format: typeof RUN_LIST_FORMAT;
  version: number;
  title?: string;
  runs: RunListEntry[];
}

export function formatRunList(runs: readonly RunListEntry[], title?: string): string {
  const list: RunList = {
    format: RUN_LIST_FORMAT,
    version: RUN_LIST_VERSION,
    ...(title ? { title } : {}),
    runs: runs.map(({ name, query, file }) => ({ name, query, file })),
  };
  return `${JSON.stringify(list, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and checks a run list; returns its runs, or throws an Error whose message says what is wrong
 * (and, for an entry, which one), ready to show to a person.
 */
export function parseRunList(text: string): RunListEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`run list is not JSON: ${errorText(error)}`, { cause: error });
  }
  if (!isRecord(data)) throw new Error('run list must be a JSON object');
  if (data.format !== RUN_LIST_FORMAT) {
    throw new Error(
      `not a run list: "format" is ${JSON.stringify(data.format) ?? 'missing'}, expected "${RUN_LIST_FORMAT}"`,
    );
  }
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`run list "version" must be a positive integer, got ${JSON.stringify(version) ?? 'nothing'}`);
  }
  if (version > RUN_LIST_VERSION) {
    throw new Error(`run list version ${version} is newer than this version reads (${RUN_LIST_VERSION})`);
  }
  if (!Array.isArray(data.runs)) throw new Error('run list "runs" must be an array');
  const names = new Set<string>();
  return data.runs.map((entry: unknown, i: number): RunListEntry => {
    const where = `run list entry ${i + 1}`;
    if (!isRecord(entry)) throw new Error(`${where} must be an object with name, query and file`);
    for (const key of ['name', 'query', 'file'] as const) {
      if (typeof entry[key] !== 'string')
        throw new Error(`${where}: "${key}" must be a string, got ${JSON.stringify(entry[key]) ?? 'nothing'}`);
    }
    const { name, query, file } = entry as unknown as RunListEntry;
    if (name.trim() === '') throw new Error(`${where}: "name" is empty`);
    if (file.trim() === '') throw new Error(`${where} (${name}): "file" is empty`);
    if (names.has(name)) throw new Error(`${where}: name "${name}" appears twice`);
    names.add(name);
    return { name, query, file };
  });
}

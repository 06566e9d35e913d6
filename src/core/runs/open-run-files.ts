// Opening runs from files a person picked: a sweep's run list (runs.json) together with its run
// files, and/or single metrics files (page exports, headless JSON). A browser's file picker gives
// names without folders, so a run list's entry `runs/01-norm-sn.json` matches a picked file by its
// path or by its base name. Everything that can load does; what cannot is named with the reason.
import { runFromRecord, type ComparableRun } from './comparable-run';
import { parseMetricsRecord } from './metrics-record';
import { parseRunList, RUN_LIST_FORMAT, type RunListEntry } from './run-list';
import { errorText } from '../error-text';

export interface PickedFile {
  /** The file's path as the picker gives it (webkitRelativePath when there is one, else its name). */
  path: string;
  text: string;
}

export interface OpenedRuns {
  runs: ComparableRun[];
  /** One line per problem, naming the file or the run list entry and what is wrong. */
  problems: string[];
}

function normalized(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function baseName(path: string): string {
  const parts = normalized(path).split('/');
  return parts[parts.length - 1];
}

/** Does the picked file look like a run list (rather than a metrics file)? Cheap, no full check. */
function isRunList(text: string): boolean {
  try {
    const data: unknown = JSON.parse(text);
    return typeof data === 'object' && data !== null && (data as { format?: unknown }).format === RUN_LIST_FORMAT;
  } catch {
    return false;
  }
}

/** The picked file an entry points at: the same path, a path ending in it, or the same base name. */
function matchEntry(
  entry: RunListEntry,
  files: readonly PickedFile[],
  used: ReadonlySet<PickedFile>,
): PickedFile | undefined {
  const wanted = normalized(entry.file);
  const free = files.filter((file) => !used.has(file));
  return (
    free.find((file) => normalized(file.path) === wanted) ??
    free.find((file) => normalized(file.path).endsWith(`/${wanted}`)) ??
    free.find((file) => baseName(file.path) === baseName(wanted))
  );
}

function missingMessage(listPath: string, missing: readonly RunListEntry[], total: number): string {
  const named = missing.map((entry) => `${entry.name} (${entry.file})`).join(', ');
  const one = missing.length === 1;
  const what =
    missing.length === total
      ? `none of its ${total} runs loaded, their files were not picked`
      : `${missing.length} of its ${total} runs ${one ? 'was' : 'were'} not loaded, ` +
        `${one ? 'its file was' : 'their files were'} not picked`;
  return `${listPath}: ${what}: ${named}. Pick the run files together with ${baseName(listPath)}.`;
}

/**
 * Reads picked files into comparable runs: each run list's entries from the picked run files (named
 * as in the list), then every other picked file as a single metrics file.
 */
export function openRunFiles(files: readonly PickedFile[]): OpenedRuns {
  const runs: ComparableRun[] = [];
  const problems: string[] = [];
  const lists = files.filter((file) => isRunList(file.text));
  const used = new Set<PickedFile>(lists);
  for (const list of lists) {
    let entries: RunListEntry[];
    try {
      entries = parseRunList(list.text);
    } catch (error) {
      problems.push(`${list.path}: ${errorText(error)}`);
      continue;
    }
    const missing: RunListEntry[] = [];
    for (const entry of entries) {
      const file = matchEntry(entry, files, used);
      if (!file) {
        missing.push(entry);
        continue;
      }
      used.add(file);
      try {
        runs.push({ ...runFromRecord(parseMetricsRecord(file.text), entry.name), query: entry.query });
      } catch (error) {
        problems.push(`${entry.name} (${file.path}): ${errorText(error)}`);
      }
    }
    if (missing.length > 0) problems.push(missingMessage(list.path, missing, entries.length));
  }
  for (const file of files) {
    if (used.has(file)) continue;
    try {
      runs.push(runFromRecord(parseMetricsRecord(file.text)));
    } catch (error) {
      problems.push(`${file.path}: ${errorText(error)}`);
    }
  }
  return { runs, problems };
}

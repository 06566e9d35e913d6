// A run reduced to what the comparison chart draws: its name, configuration, D layer names, metrics
// history and sample-quality evaluations. Built from the page's live run, from a metrics file (page
// export or headless JSON), or from a kept run read back from IndexedDB. Plain data, no DOM or tfjs.
import { qualityColumns, type QualityRow } from '../proxy/sample-quality';
import type { MetricsPoint } from '../train/types';
import type { MetricsRecord } from './metrics-record';

// Importers from before QualityRow's columns moved next to it.
export { qualityColumns };

export interface ComparableRun {
  /** Label in the run list and the chart legend (unique in the list). */
  name: string;
  /** The canonical query string: open `/?<query>` to get the same run. */
  query: string;
  /** Where the numbers come from: this page's training, or a headless run's file. */
  source: 'page' | 'headless';
  layerNames: string[];
  history: MetricsPoint[];
  proxies: QualityRow[];
}

/** A compared run's history is thinned to about this many read-backs (a chart cannot show more). */
export const MAX_COMPARE_POINTS = 1000;

/** At most about `max` items, evenly spaced, the first and the last always kept. */
export function thinEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max || max < 2) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => items[Math.round(k * step)]);
}

/** "sn · shapes · it 40": the method, the data and the iteration, a kept run's default name. */
export function runLabel(norm: string, dataset: string, iteration: number): string {
  return `${norm} · ${dataset} · it ${iteration}`;
}

/** A name not yet in `taken`: the name itself, else "name (2)", "name (3)", ... */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let k = 2; ; k++) if (!taken.has(`${name} (${k})`)) return `${name} (${k})`;
}

/** A field of the record's config, else of its query (a page export and a headless file carry both). */
function configValue(record: MetricsRecord, key: 'norm' | 'dataset'): string {
  const fromConfig = (record.config as unknown as Record<string, unknown> | undefined)?.[key];
  if (typeof fromConfig === 'string' && fromConfig !== '') return fromConfig;
  return new URLSearchParams(record.query).get(key) || '?';
}

/** The comparable run of a metrics file; named by `name`, else by its method, data and iteration. */
export function runFromRecord(record: MetricsRecord, name?: string): ComparableRun {
  return {
    name: name ?? runLabel(configValue(record, 'norm'), configValue(record, 'dataset'), record.iterations),
    query: record.query,
    source: record.source,
    layerNames: [...record.info.layerNames],
    history: thinEvenly(record.history, MAX_COMPARE_POINTS),
    proxies: record.proxies.map(qualityColumns),
  };
}

function isNumberOrNaN(value: unknown): boolean {
  return typeof value === 'number';
}

/**
 * Checks a value read back from storage (an older build may have written another shape); returns it
 * typed, or throws an Error saying what is missing.
 */
export function checkComparableRun(value: unknown): ComparableRun {
  const run = value as Partial<ComparableRun> | null;
  if (typeof run !== 'object' || run === null) throw new Error('not an object');
  if (typeof run.name !== 'string' || run.name === '') throw new Error('no name');
  if (typeof run.query !== 'string') throw new Error(`${run.name}: no query`);
  if (run.source !== 'page' && run.source !== 'headless') throw new Error(`${run.name}: unknown source`);
  if (!Array.isArray(run.layerNames) || !run.layerNames.every((n) => typeof n === 'string'))
    throw new Error(`${run.name}: no layer names`);
  const pointsOk =
    Array.isArray(run.history) &&
    run.history.every(
      (p) => typeof p === 'object' && p !== null && isNumberOrNaN(p.iteration) && Array.isArray(p.sigmas),
    );
  if (!pointsOk) throw new Error(`${run.name}: no readable history`);
  const proxiesOk =
    Array.isArray(run.proxies) &&
    run.proxies.every((p) => typeof p === 'object' && p !== null && isNumberOrNaN(p.iteration));
  if (!proxiesOk) throw new Error(`${run.name}: no readable proxy evaluations`);
  return run as ComparableRun;
}

// Rows of the comparison chart: one metric of several runs on a shared iteration axis, one column
// per run. Runs read back at different iterations (another `every`, a thinned history, sparse proxy
// evaluations) share rows; a run without a value at a row's iteration has null there.
import type { ComparableRun } from './comparable-run';
import { finiteOrNull } from '../numbers';

export type CompareMetricId = 'dLoss' | 'gLoss' | 'gradNormTotal' | 'sigmaMax' | 'isProxy' | 'fidProxy';

export interface CompareMetric {
  id: CompareMetricId;
  /** The select's label and the chart's title. */
  name: string;
  /** Read every few iterations (smoothed with the page's setting); proxies are sparse and drawn raw. */
  readBack: boolean;
}

export const COMPARE_METRICS: readonly CompareMetric[] = [
  { id: 'dLoss', name: 'D loss', readBack: true },
  { id: 'gLoss', name: 'G loss', readBack: true },
  { id: 'gradNormTotal', name: 'D gradient norm (all layers)', readBack: true },
  { id: 'sigmaMax', name: 'largest σ over D layers', readBack: true },
  { id: 'isProxy', name: 'IS proxy', readBack: false },
  { id: 'fidProxy', name: 'FID proxy', readBack: false },
];

export function compareMetricOf(id: string): CompareMetric | undefined {
  return COMPARE_METRICS.find((metric) => metric.id === id);
}

export interface MetricValue {
  iteration: number;
  value: number | null;
}

/** The largest finite sigma estimate over the D layers; null when there is none. */
export function largestSigma(sigmas: readonly number[] | undefined): number | null {
  let top: number | null = null;
  for (const sigma of sigmas ?? []) if (Number.isFinite(sigma) && (top === null || sigma > top)) top = sigma;
  return top;
}

/** One run's values of a metric, in its own iteration order. */
export function metricValues(run: ComparableRun, metric: CompareMetricId): MetricValue[] {
  switch (metric) {
    case 'isProxy':
    case 'fidProxy':
      return run.proxies.map((row) => ({ iteration: row.iteration, value: finiteOrNull(row[metric]) }));
    case 'sigmaMax':
      return run.history.map((point) => ({ iteration: point.iteration, value: largestSigma(point.sigmas) }));
    default:
      return run.history.map((point) => ({ iteration: point.iteration, value: finiteOrNull(point[metric]) }));
  }
}

/** The column of the i-th run. Synthetic: a run name such as "norm=sn batch=64" is no property key. */
export const runKey = (index: number) => `r${index}`;

export interface CompareRows {
  /** Sorted by iteration; `iteration` plus one column per run (runKey(i)), null where it has no value. */
  rows: { iteration: number; [key: string]: number | null }[];
  /** Values of the metric per run (a run with one value is drawn as a marker, not a line). */
  valueCounts: number[];
  /** How many of the runs have at least one value of the metric: the runs drawn. */
  drawnRuns: number;
}

export function compareRows(runs: readonly ComparableRun[], metric: CompareMetricId): CompareRows {
  const byIteration = new Map<number, CompareRows['rows'][number]>();
  const valueCounts = runs.map(() => 0);
  runs.forEach((run, i) => {
    const key = runKey(i);
    for (const { iteration, value } of metricValues(run, metric)) {
      let row = byIteration.get(iteration);
      if (!row) {
        row = { iteration };
        runs.forEach((_, j) => (row![runKey(j)] = null));
        byIteration.set(iteration, row);
      }
      // A step re-reads an iteration: the last value of it counts.
      if (value !== null && row[key] === null) valueCounts[i]++;
      else if (value === null && row[key] !== null) valueCounts[i]--;
      row[key] = value;
    }
  });
  const rows = [...byIteration.values()].sort((a, b) => a.iteration - b.iteration);
  return { rows, valueCounts, drawnRuns: valueCounts.filter((count) => count > 0).length };
}

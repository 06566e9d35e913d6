// The figures of `npm run bench:proxy` as table rows: what one sample-quality evaluation costs each
// worker, over the training time of the iterations between two evaluations (a worker share above
// x1 cannot keep up with that cadence), and the page's frame interval while the proxy net trains.
import { decodeConfig } from '../src/core/config/url-codec';
import type { SummaryRow } from '../src/bench/bench-summary';
import { percentile } from './frame-timing';

export interface EvaluationCost {
  /** The G iteration the evaluation was taken at, and when the page showed its cost (ms). */
  iteration: number;
  seenAtMs: number;
  /** Seconds, as the page's cost line gives them. */
  readBack: number;
  generation: number;
  scoring: number;
}

/** Median seconds per G iteration between consecutive evaluations; undefined with fewer than two. */
export function secondsPerIteration(costs: readonly EvaluationCost[]): number | undefined {
  const perIteration = costs
    .slice(1)
    .map((cost, i) => (cost.seenAtMs - costs[i].seenAtMs) / 1000 / (cost.iteration - costs[i].iteration))
    .filter((seconds) => Number.isFinite(seconds) && seconds > 0);
  return perIteration.length ? percentile(perIteration, 50) : undefined;
}

export function proxyRows(
  query: string,
  where: string,
  costs: readonly EvaluationCost[],
  frames: { idle: number[]; proxyTraining: number[] },
): SummaryRow[] {
  const { config } = decodeConfig(query);
  const perIteration = secondsPerIteration(costs);
  const between =
    perIteration === undefined
      ? undefined
      : {
          label: `${config.proxyevery} iterations between evaluations`,
          value: config.proxyevery * perIteration,
          unit: 's' as const,
        };
  const median = (pick: (cost: EvaluationCost) => number) => percentile(costs.map(pick), 50);
  return [
    {
      figure: "proxy evaluation, the training worker's share, over the training between evaluations",
      configuration: query,
      where,
      numerator: { label: 'G weights read back', value: median((c) => c.readBack), unit: 's' },
      denominator: between,
    },
    {
      figure: `proxy evaluation of ${config.proxyn} images in the proxy worker, over the training between evaluations`,
      configuration: query,
      where,
      numerator: { label: 'generation + scoring', value: median((c) => c.generation + c.scoring), unit: 's' },
      denominator: between,
    },
    {
      figure: 'main-thread frame interval p95 while the proxy net trains, over idle',
      configuration: query,
      where,
      numerator: { label: 'p95 while the proxy trains', value: percentile(frames.proxyTraining, 95), unit: 'ms' },
      denominator: { label: 'p95 idle', value: percentile(frames.idle, 95), unit: 'ms' },
    },
  ];
}

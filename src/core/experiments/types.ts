// What an experiment is: a claim of a paper, the runs that show it, and the criterion that judges it.
// Plain data and pure functions, shared by the page's Experiments panel and `npm run experiment`.
import type { MetricsRecord } from '../runs/metrics-record';

/** One run of an experiment: URL fields (no backend: the page picks its own, the CLI uses cpu). */
export interface ExperimentRun {
  /** Short name in verdicts and legends, e.g. `none` or `sn`. */
  label: string;
  /** URL query of the run's fields (`v` omitted); defaults fill the rest. */
  query: string;
}

/** The outcome of a criterion on the records it was given. */
export interface Verdict {
  /** pending: a run it needs has no data yet (in the page, before both runs have trained). */
  status: 'pass' | 'fail' | 'pending';
  /** The figures it was judged on, one line each, e.g. `sigma(none)/sigma(sn) at iteration 2000 = 3.4 (needs > 2)`. */
  figures: string[];
}

/**
 * A criterion: one small pure function of the runs' records, in the order of the experiment's runs
 * (undefined where a run has no record yet). Stated before the runs and never tuned to pass.
 */
export type Criterion = (records: readonly (MetricsRecord | undefined)[]) => Verdict;

export interface Experiment {
  /** Stable id: `npm run experiment -- <id>` and the page's `experiment` link text. */
  id: string;
  title: string;
  /** The claim in one sentence. */
  claim: string;
  /** The paper and section or figure the claim comes from. */
  source: string;
  /** One run, or two or more to compare (overlaid on the comparison chart in the page). */
  runs: ExperimentRun[];
  /** Iterations each run trains for. */
  iterations: number;
  /** data-testid of the panel to watch (scrolled to and outlined when the experiment opens). */
  watch: string;
  /** What should happen, and by which iteration. */
  expectation: string;
  /** Measured wall time here (2-core CPU, cpu backend), all runs together. */
  timeHere: string;
  /** Expected time on a laptop GPU (WebGPU in the page). */
  timeLaptopGpu: string;
  /** The verdict and figures `npm run experiment` gave here (cpu backend), PASS or FAIL as measured. */
  measuredHere: string;
  criterion: Criterion;
}

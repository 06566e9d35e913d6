// backend=auto: which tfjs backend trains *this* model fastest on *this* machine. Each candidate
// that starts trains a fresh trainer from the same config and seed: untimed iterations first (shader
// compilation, uploads, and the JIT of the cpu backend's loops, which makes its first iterations
// twice as slow as later ones), then timed iterations until enough are done or the time budget is
// spent; the fastest median iteration wins. Small 2-D models are often fastest on the cpu backend, large
// CNNs on a real GPU. Framework-free: the training worker runs it, and tests run it in Node.
import type { GanConfig } from '../config/schema';
import type { TrainingSet } from '../data/types';
import { sampleShapeOf } from '../data/types';
import { GanTrainer } from './gan-trainer';
import { BACKEND_LABELS, type BackendName } from './select-backend';

export interface BackendTiming {
  backend: BackendName;
  /** The first iteration (compilation included), ms; null when the backend did not start or failed. */
  firstMs: number | null;
  /** Median of the timed iterations, ms; null when none ran. */
  msPerIteration: number | null;
  iterations: number;
  /** Why the candidate was left out, when it was. */
  error?: string;
}

export interface BackendCalibration {
  backend: BackendName;
  timings: BackendTiming[];
  /** Read from the cache (timed earlier on this device for this model shape) rather than timed now. */
  fromCache: boolean;
}

const NOT_AVAILABLE = 'not available here';

export interface CalibrationBudget {
  /** Untimed iterations first (the first one compiles; its time is reported as firstMs). */
  warmups: number;
  /** Timed iterations per candidate at most. */
  iterations: number;
  /** Stop timing a candidate after this many ms of timed iterations (at least one runs). */
  budgetMs: number;
}

export const DEFAULT_CALIBRATION_BUDGET: CalibrationBudget = { warmups: 3, iterations: 10, budgetMs: 1500 };

/** Where earlier calibrations are kept (IndexedDB in the worker; a Map in tests). */
export interface CalibrationCache {
  get(key: string): Promise<BackendCalibration | undefined>;
  set(key: string, value: BackendCalibration): Promise<void>;
}

/** What decides the cost of an iteration: the model's shape, the batch and the update structure. */
export function calibrationKey(config: GanConfig, data: TrainingSet, device: string): string {
  const { arch, ch, gch, zdim, batch, ndis, norm, loss } = config;
  const model = { arch, ch, gch, zdim, batch, ndis, norm, loss, sample: sampleShapeOf(data) };
  return `${JSON.stringify(model)} on ${device}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Times training iterations of a fresh trainer on the current backend; the trainer is disposed after. */
export async function timeTrainer(
  config: GanConfig,
  data: TrainingSet,
  budget: CalibrationBudget = DEFAULT_CALIBRATION_BUDGET,
  now: () => number = () => performance.now(),
): Promise<Omit<BackendTiming, 'backend'>> {
  const trainer = GanTrainer.create(config, data);
  try {
    const iterate = async (): Promise<number> => {
      const start = now();
      trainer.trainIteration();
      await trainer.flush(); // the GPU's work is done only when its results can be read
      return now() - start;
    };
    const firstMs = await iterate();
    for (let i = 1; i < budget.warmups; i++) await iterate();
    const samples: number[] = [];
    let spent = 0;
    while (samples.length < budget.iterations && (samples.length === 0 || spent < budget.budgetMs)) {
      const ms = await iterate();
      samples.push(ms);
      spent += ms;
    }
    return { firstMs, msPerIteration: median(samples), iterations: samples.length };
  } finally {
    trainer.dispose();
  }
}

/**
 * Times each candidate in turn (`activate` makes it the current backend, false when it cannot start)
 * and leaves the fastest one active. A candidate that throws is reported with its error and skipped.
 */
export async function calibrateBackends(
  candidates: readonly BackendName[],
  activate: (backend: BackendName) => Promise<boolean>,
  time: () => Promise<Omit<BackendTiming, 'backend'>>,
): Promise<BackendCalibration> {
  const timings: BackendTiming[] = [];
  for (const backend of candidates) {
    const empty = { backend, firstMs: null, msPerIteration: null, iterations: 0 };
    try {
      if (!(await activate(backend))) {
        timings.push({ ...empty, error: NOT_AVAILABLE });
        continue;
      }
      timings.push({ backend, ...(await time()) });
    } catch (error) {
      timings.push({ ...empty, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const timed = timings.filter((t): t is BackendTiming & { msPerIteration: number } => t.msPerIteration !== null);
  if (timed.length === 0) throw new Error(`no backend could train this model (${describeTimings(timings)})`);
  // Ties go to the earlier candidate (the order is webgpu, webgl, cpu).
  const fastest = timed.reduce((best, t) => (t.msPerIteration < best.msPerIteration ? t : best));
  if (!(await activate(fastest.backend))) throw new Error(`${fastest.backend} stopped working after its timing`);
  return { backend: fastest.backend, timings, fromCache: false };
}

function describeTimings(timings: readonly BackendTiming[]): string {
  return timings
    .map((t) =>
      t.msPerIteration === null
        ? `${t.backend}: ${t.error ?? 'not timed'}`
        : `${t.backend} ${formatMs(t.msPerIteration)}/iteration`,
    )
    .join(', ');
}

function formatMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms).toLocaleString('en-US')} ms` : `${ms.toPrecision(2)} ms`;
}

/** The page's line: which backend auto picked, and every candidate's figure. */
export function describeCalibration(calibration: BackendCalibration): string {
  const how = calibration.fromCache ? 'timed earlier on this device' : 'timed just now';
  return `backend=auto picked ${calibration.backend} for this model (${how}): ${describeTimings(calibration.timings)}`;
}

/** Which candidates this browser lacks (e.g. WebGPU), as the notice the page shows; null when none. */
export function unavailableNotice(calibration: BackendCalibration): string | null {
  const missing = calibration.timings.filter((t) => t.error === NOT_AVAILABLE).map((t) => BACKEND_LABELS[t.backend]);
  if (missing.length === 0) return null;
  const verb = missing.length > 1 ? 'are' : 'is';
  return `${missing.join(' and ')} ${verb} not available in this browser; backend=auto timed the others`;
}

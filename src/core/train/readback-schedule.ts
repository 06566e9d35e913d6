// The "every N iterations" rules of a run, in one place: TrainingSession follows them for the worker
// and headless runs, and GanTrainer's default gradient recording (benches, tests) uses the same rule.

/**
 * The sample grid (64 generator passes) can cost more than an iteration on a software GPU, so at
 * small `every` it is redrawn at most this often (seconds of training); metrics are read every time.
 */
export const MIN_SECONDS_BETWEEN_SAMPLES = 2;

/** True at multiples of `every`; 0 (or less) means never. */
export function isEveryDue(iteration: number, every: number): boolean {
  return every > 0 && iteration % every === 0;
}

/** A metrics read-back follows G iteration `iteration` (every `every`, or always when forced). */
export function isReadBackDue(iteration: number, every: number, force = false): boolean {
  return force || isEveryDue(iteration, every);
}

/** The sample grid is redrawn when forced, paused, never drawn yet, or last drawn long enough ago. */
export function isSamplesDue(seconds: number, lastDrawnAt: number | null, force: boolean, running: boolean): boolean {
  return force || !running || lastDrawnAt === null || seconds - lastDrawnAt >= MIN_SECONDS_BETWEEN_SAMPLES;
}

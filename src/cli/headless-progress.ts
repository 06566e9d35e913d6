// The start of the headless CLI's progress line: `it N/TOTAL  R it/s  ETA T`. `it N` stays first:
// people and older scripts (headless-child's PROGRESS_LINE) read it.

/** Where a run was at a moment: G iterations done, and seconds on any steady clock. */
export interface ProgressMark {
  iteration: number;
  seconds: number;
}

/**
 * Iterations per second from `first` to `now`, or null when there is nothing to measure from yet.
 * Measured from the first read-back, not the start, so data loading and compiling do not count.
 */
export function iterationRate(first: ProgressMark | null, now: ProgressMark): number | null {
  if (first === null) return null;
  const seconds = now.seconds - first.seconds;
  const iterations = now.iteration - first.iteration;
  return seconds > 0 && iterations > 0 ? iterations / seconds : null;
}

/** 42s, 1m21s, 2h05m: a duration as people read it. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  const minutes = Math.round(total / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Three significant figures at most, so slow software runs still show a rate. */
function formatRate(rate: number): string {
  if (rate >= 100) return rate.toFixed(0);
  return rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

/** `it 1000/2000  12.3 it/s  ETA 1m21s`, or `it 2/2000` while there is no rate yet. */
export function progressPrefix(iteration: number, total: number, rate: number | null): string {
  const head = `it ${iteration}/${total}`;
  if (rate === null || !Number.isFinite(rate) || rate <= 0) return head;
  return `${head}  ${formatRate(rate)} it/s  ETA ${formatDuration(Math.max(0, total - iteration) / rate)}`;
}

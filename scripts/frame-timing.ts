// Page frame intervals for the browser benchmarks: requestAnimationFrame intervals over a window,
// and percentiles of them.
import type { Page } from 'playwright-core';

/**
 * Frame intervals (ms) seen by requestAnimationFrame over `ms` milliseconds. The page-side code is
 * a string: tsx would wrap a named inner function with its own `__name` helper, absent in the page.
 */
export function recordFrames(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const intervals = [];
    let last = performance.now();
    const end = last + ${ms};
    requestAnimationFrame(function frame(now) {
      intervals.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(frame);
      else resolve(intervals);
    });
  })`);
}

/** The p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// Detects a diverged run from one metrics read-back; shared by the worker and headless runs.
import type { MetricsPoint } from './types';

/** A message saying where the losses stopped being finite, or null while they are finite. */
export function divergenceMessage(point: MetricsPoint): string | null {
  // Iteration 0 has no losses yet (NaN by design).
  if (point.iteration === 0 || (Number.isFinite(point.dLoss) && Number.isFinite(point.gLoss))) return null;
  const kind = Number.isNaN(point.dLoss) || Number.isNaN(point.gLoss) ? 'NaN' : 'infinite';
  return `Loss became ${kind} at iteration ${point.iteration} (D loss ${point.dLoss}, G loss ${point.gLoss})`;
}

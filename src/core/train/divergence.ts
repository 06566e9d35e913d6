// Detects a diverged run from one metrics read-back; shared by the worker and headless runs.
import type { MetricsPoint } from './types';

/**
 * A message saying where the losses or the D weights stopped being finite, or null while they are
 * finite. A weight is seen through its layer's sigma: a NaN or Inf anywhere in W makes sigma one.
 */
export function divergenceMessage(point: MetricsPoint, layerNames?: readonly string[]): string | null {
  const badLayer = point.sigmas.findIndex((sigma) => !Number.isFinite(sigma));
  if (badLayer >= 0) {
    const name = layerNames?.[badLayer] ?? `layer ${badLayer}`;
    return (
      `The D weight of ${name} became non-finite at iteration ${point.iteration} (sigma ` + `${point.sigmas[badLayer]})`
    );
  }
  // Iteration 0 has no losses yet (NaN by design).
  if (point.iteration === 0 || (Number.isFinite(point.dLoss) && Number.isFinite(point.gLoss))) return null;
  const kind = Number.isNaN(point.dLoss) || Number.isNaN(point.gLoss) ? 'NaN' : 'infinite';
  return `Loss became ${kind} at iteration ${point.iteration} (D loss ${point.dLoss}, G loss ${point.gLoss})`;
}

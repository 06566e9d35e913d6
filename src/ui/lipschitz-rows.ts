// Rows of `chart-lipschitz`: D's input-gradient norm on the real and generated batch (mean and max)
// beside the product of the layers' effective sigmas, at each read-back that measured them.
import { LIPSCHITZ_KEYS } from '../core/train/lipschitz-probe';
import type { MetricsPoint } from '../core/train/types';
import { finiteOrNull, type SeriesSpec, type TimeRow } from './observatory-rows';

/** One row per read-back that carries a reading; older records without one give no rows. */
export function lipschitzRows(history: readonly MetricsPoint[]): TimeRow[] {
  return history.flatMap((point) => {
    const reading = point.lipschitz;
    if (!reading) return [];
    const row: TimeRow = { iteration: point.iteration };
    for (const key of LIPSCHITZ_KEYS) row[key] = finiteOrNull(reading[key]);
    return [row];
  });
}

export const LIPSCHITZ_SERIES: readonly SeriesSpec[] = [
  { key: 'realMax', name: 'max |∇x D| real', color: '#1565c0', smooth: true, width: 2 },
  { key: 'realMean', name: 'mean |∇x D| real', color: '#1565c0', smooth: true, dashed: true },
  { key: 'fakeMax', name: 'max |∇x D| generated', color: '#2e7d32', smooth: true, width: 2 },
  { key: 'fakeMean', name: 'mean |∇x D| generated', color: '#2e7d32', smooth: true, dashed: true },
  { key: 'sigmaProduct', name: 'Π σ(W_eff) (the bound)', color: '#c62828', smooth: false, width: 2.5 },
];

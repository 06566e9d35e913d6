// Rows of `chart-lipschitz`: D's input-gradient norm on the real and generated batch (mean and max)
// beside the product of the layers' effective sigmas, at each read-back that measured them, and the
// same product from the exact spectra (every `spectra` iterations) as markers: the read-back's is a
// warm-started power iteration, a lower bound that lags where the top singular values nearly tie.
import type { SpectrumSnapshot } from '../../core/metrics/types';
import { LIPSCHITZ_KEYS } from '../../core/train/lipschitz-probe';
import type { MetricsPoint } from '../../core/train/types';
import { finiteOrNull } from '../../core/numbers';
import type { SeriesSpec, TimeRow } from './observatory-rows';

export const EXACT_PRODUCT_KEY = 'exactProduct';

/** Product over layers of the exact largest singular value of the effective weight. */
export function exactSigmaProduct(snapshot: SpectrumSnapshot): number {
  return snapshot.layers.reduce((product, layer) => product * (layer.effective[0] ?? Number.NaN), 1);
}

/** One row per iteration with a reading or a spectrum; records without readings give none of theirs. */
export function lipschitzRows(history: readonly MetricsPoint[], spectra: readonly SpectrumSnapshot[] = []): TimeRow[] {
  const rows = new Map<number, TimeRow>();
  const rowAt = (iteration: number): TimeRow => {
    let row = rows.get(iteration);
    if (!row) {
      row = { iteration, [EXACT_PRODUCT_KEY]: null };
      for (const key of LIPSCHITZ_KEYS) row[key] = null;
      rows.set(iteration, row);
    }
    return row;
  };
  for (const point of history) {
    const reading = point.lipschitz;
    if (!reading) continue;
    const row = rowAt(point.iteration);
    for (const key of LIPSCHITZ_KEYS) row[key] = finiteOrNull(reading[key]);
  }
  // Only where the run has readings: an older record's spectra alone do not make this chart.
  if (rows.size > 0)
    for (const snapshot of spectra)
      rowAt(snapshot.iteration)[EXACT_PRODUCT_KEY] = finiteOrNull(exactSigmaProduct(snapshot));
  return [...rows.values()].sort((a, b) => a.iteration - b.iteration);
}

export const LIPSCHITZ_SERIES: readonly SeriesSpec[] = [
  { key: 'realMax', name: 'max |∇x D| real', color: '#1565c0', smooth: true, width: 2 },
  { key: 'realMean', name: 'mean |∇x D| real', color: '#1565c0', smooth: true, dashed: true },
  { key: 'fakeMax', name: 'max |∇x D| generated', color: '#2e7d32', smooth: true, width: 2 },
  { key: 'fakeMean', name: 'mean |∇x D| generated', color: '#2e7d32', smooth: true, dashed: true },
  { key: 'sigmaProduct', name: 'Π σ(W_eff), power iteration (the bound)', color: '#c62828', smooth: false, width: 2.5 },
  { key: EXACT_PRODUCT_KEY, name: 'Π σ(W_eff), exact', color: '#c62828', kind: 'marker' },
];

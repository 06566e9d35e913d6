// chart-lipschitz's rows: one per read-back with a reading, the exact product of effective sigmas
// from each spectrum snapshot merged in by iteration, nothing for records written before the probe.
import { describe, expect, it } from 'vitest';
import type { SpectrumSnapshot } from '../../../../src/core/metrics/types';
import type { MetricsPoint } from '../../../../src/core/train/types';
import { EXACT_PRODUCT_KEY, exactSigmaProduct, lipschitzRows } from '../../../../src/ui/observatory/lipschitz-rows';

const point = (iteration: number, withReading = true): MetricsPoint => ({
  iteration,
  seconds: 0,
  dLoss: 1,
  gLoss: 1,
  sigmas: [1],
  gradNorms: [1],
  gradNormTotal: 1,
  ...(withReading
    ? { lipschitz: { realMean: 0.1 * iteration, realMax: 0.2, fakeMean: 0.3, fakeMax: Number.NaN, sigmaProduct: 0.9 } }
    : {}),
});

const snapshot = (iteration: number, tops: number[]): SpectrumSnapshot => ({
  iteration,
  norm: 'sn',
  alarms: [],
  computeSeconds: 0,
  layers: tops.map((top, i) => ({
    name: `D.dense${i}`,
    rows: 2,
    cols: 2,
    kernelArea: 1,
    raw: [top, 0.1],
    effective: [top, 0.1],
    effectiveVariance: 0,
    lecunBound: 0,
    xavierBound: 0,
    collapse: 0.5,
  })),
});

describe('lipschitzRows', () => {
  it('has a row per reading and per snapshot, by iteration, with NaN as a gap', () => {
    const rows = lipschitzRows([point(0), point(20), point(40)], [snapshot(0, [1.5, 2]), snapshot(30, [1, 1.25])]);
    expect(rows.map((row) => row.iteration)).toEqual([0, 20, 30, 40]);
    expect(rows[0]).toEqual({
      iteration: 0,
      realMean: 0,
      realMax: 0.2,
      fakeMean: 0.3,
      fakeMax: null,
      sigmaProduct: 0.9,
      [EXACT_PRODUCT_KEY]: 3,
    });
    expect(rows[2]).toMatchObject({ iteration: 30, realMax: null, [EXACT_PRODUCT_KEY]: 1.25 });
    expect(rows[3]).toMatchObject({ realMean: 4, [EXACT_PRODUCT_KEY]: null });
  });

  it('draws nothing for a record without readings, even with spectra', () => {
    expect(lipschitzRows([point(0, false), point(5, false)], [snapshot(0, [1])])).toEqual([]);
  });

  it('multiplies the effective top singular values of every layer', () => {
    expect(exactSigmaProduct(snapshot(0, [2, 0.5, 3]))).toBe(3);
  });
});

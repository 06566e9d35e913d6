// The spectral-observatory panels draw what these pure row builders return: checked here on small
// hand-computed inputs (merging on the iteration, normalizing by s_1, subsampling snapshots, ratios,
// log-scale domains, and non-finite values becoming gaps).
import { describe, expect, it } from 'vitest';
import type { CollapseAlarm, LayerSpectrum, SpectrumSnapshot } from '../../../../src/core/metrics/types';
import type { MetricsPoint } from '../../../../src/core/train/types';
import {
  alarmText,
  boundNames,
  collapseRows,
  csvTable,
  formatCount,
  formatTick,
  formatValue,
  gradientRows,
  logDomain,
  logSafeRows,
  logTicks,
  recentAlarms,
  sigmaExactRows,
  smoothedKey,
  spectrumCsvTable,
  spectrumLayerNames,
  varianceRatioRows,
  varianceRows,
  withSmoothed,
} from '../../../../src/ui/observatory/observatory-rows';
import {
  normalizedSpectrum,
  pickEvenly,
  spectrumCurvePicks,
  spectrumCurveRows,
  spectrumHeatmap,
} from '../../../../src/ui/observatory/spectrum-rows';

function point(
  iteration: number,
  sigmas: number[],
  gradNorms: number[] = [],
  gradNormTotal = Number.NaN,
): MetricsPoint {
  return { iteration, seconds: iteration, dLoss: 1, gLoss: 1, sigmas, gradNorms, gradNormTotal };
}

function layer(name: string, effective: number[], extra: Partial<LayerSpectrum> = {}): LayerSpectrum {
  return {
    name,
    rows: 2,
    cols: 2,
    kernelArea: 1,
    raw: effective.map((s) => s * 2),
    effective,
    effectiveVariance: 0.25,
    lecunBound: 0.5,
    xavierBound: 0.5,
    collapse: 0.5,
    ...extra,
  };
}

function snapshot(iteration: number, layers: LayerSpectrum[], norm: SpectrumSnapshot['norm'] = 'sn'): SpectrumSnapshot {
  return { iteration, norm, layers, alarms: [], computeSeconds: 0 };
}

describe('sigma rows: the power-iteration estimate merged with the exact s_1 on the iteration', () => {
  it('merges read-backs and snapshots at different iterations, sorted, every key present', () => {
    const history = [point(0, [1, 2]), point(10, [1.5, Number.NaN]), point(20, [1.25, 2.5])];
    const spectra = [
      snapshot(10, [layer('a', [0.5]), layer('b', [1])]),
      snapshot(15, [layer('a', [0.75]), layer('b', [Number.POSITIVE_INFINITY])]),
    ];
    // raw = 2 * effective: exact s_1 of a at 10 is 1, at 15 is 1.5; b at 10 is 2, at 15 is not finite.
    expect(sigmaExactRows(history, ['a', 'b'], spectra)).toEqual([
      { iteration: 0, l0: 1, l1: 2, x0: null, x1: null },
      { iteration: 10, l0: 1.5, l1: null, x0: 1, x1: 2 },
      { iteration: 15, l0: null, l1: null, x0: 1.5, x1: null },
      { iteration: 20, l0: 1.25, l1: 2.5, x0: null, x1: null },
    ]);
  });

  it('places snapshot layers by name, whatever their order', () => {
    const rows = sigmaExactRows([], ['a', 'b'], [snapshot(5, [layer('b', [3]), layer('a', [4])])]);
    expect(rows).toEqual([{ iteration: 5, l0: null, l1: null, x0: 8, x1: 6 }]);
  });

  it('has no rows without layers, and survives a layer with no singular values', () => {
    expect(sigmaExactRows([point(0, [1])], [], [snapshot(0, [layer('a', [1])])])).toEqual([{ iteration: 0 }]);
    expect(sigmaExactRows([], ['a'], [snapshot(0, [layer('a', [])])])).toEqual([{ iteration: 0, l0: null, x0: null }]);
  });
});

describe('gradient rows', () => {
  it('one column per layer and the total; NaN (before the first D update) becomes null', () => {
    const history = [
      point(0, [], [Number.NaN, Number.NaN], Number.NaN),
      point(5, [], [3, 4], 5),
      point(10, [], [0.5], 0.5),
    ];
    expect(gradientRows(history, ['a', 'b'])).toEqual([
      { iteration: 0, g0: null, g1: null, total: null },
      { iteration: 5, g0: 3, g1: 4, total: 5 },
      { iteration: 10, g0: 0.5, g1: null, total: 0.5 },
    ]);
  });
});

describe('snapshot time rows', () => {
  const spectra = [
    snapshot(100, [
      layer('a', [1], { collapse: 0.8, effectiveVariance: 0.1, lecunBound: 0.05 }),
      layer('b', [1], { collapse: Number.NaN, lecunBound: 0 }),
    ]),
    snapshot(200, [layer('a', [1], { collapse: 0.4, effectiveVariance: 0.02, lecunBound: 0.05 })]),
  ];

  it('collapse indicator per layer and snapshot; missing layers are null', () => {
    expect(spectrumLayerNames(spectra)).toEqual(['a']);
    expect(collapseRows(spectra, ['a', 'b'])).toEqual([
      { iteration: 100, c0: 0.8, c1: null },
      { iteration: 200, c0: 0.4, c1: null },
    ]);
  });

  it('variance over the LeCun-like bound; a zero bound gives null', () => {
    const rows = varianceRatioRows(spectra, ['a', 'b']);
    expect(rows.map((r) => r.iteration)).toEqual([100, 200]);
    expect(rows[0].v0).toBeCloseTo(2, 12);
    expect(rows[1].v0).toBeCloseTo(0.4, 12);
    expect(rows[0].v1).toBeNull();
  });
});

describe('spectrum curves', () => {
  it('normalizes by s_1; a zero or non-finite s_1 gives nulls; one singular value gives [1]', () => {
    expect(normalizedSpectrum([4, 2, 1, 0])).toEqual([1, 0.5, 0.25, 0]);
    expect(normalizedSpectrum([0, 0])).toEqual([null, null]);
    expect(normalizedSpectrum([Number.NaN, 1])).toEqual([null, null]);
    expect(normalizedSpectrum([4, Number.NaN])).toEqual([1, null]);
    expect(normalizedSpectrum([3])).toEqual([1]);
    expect(normalizedSpectrum([])).toEqual([]);
    expect(normalizedSpectrum(undefined)).toEqual([]);
  });

  it('picks at most max + 1 evenly spaced snapshots, the first and the latest always', () => {
    expect(pickEvenly(0, 12)).toEqual([]);
    expect(pickEvenly(5, 12)).toEqual([0, 1, 2, 3, 4]);
    expect(pickEvenly(13, 12)).toEqual([...Array(13).keys()]);
    expect(pickEvenly(9, 4)).toEqual([0, 2, 4, 6, 8]);
    expect(pickEvenly(10, 4)).toEqual([0, 2, 5, 7, 9]); // round(k * 9 / 4): 0, 2.25, 4.5, 6.75, 9
    const many = pickEvenly(200, 12);
    expect(many.length).toBeLessThanOrEqual(13);
    expect(many[0]).toBe(0);
    expect(many[many.length - 1]).toBe(199);
    expect(new Set(many).size).toBe(many.length);
    expect([...many].sort((a, b) => a - b)).toEqual(many);
    expect(pickEvenly(3, 0)).toEqual([2]);
  });

  it('rows are indexed from 1, one column per picked snapshot, padded with null', () => {
    const spectra = [
      snapshot(0, [layer('a', [2, 1]), layer('b', [5])]),
      snapshot(50, [layer('a', [4, 1, 0.5])]),
      snapshot(100, [layer('a', [8, 2, 1])]),
    ];
    const picks = spectrumCurvePicks(spectra, 1); // first and latest
    expect(picks).toEqual([
      { key: 's0', iteration: 0, snapshot: 0 },
      { key: 's1', iteration: 100, snapshot: 2 },
    ]);
    expect(spectrumCurveRows(spectra, 0, picks).rows).toEqual([
      { index: 1, s0: 1, s1: 1 },
      { index: 2, s0: 0.5, s1: 0.25 },
      { index: 3, s0: null, s1: 0.125 },
    ]);
    // Layer b exists only in the first snapshot.
    expect(spectrumCurveRows(spectra, 1, picks).rows).toEqual([{ index: 1, s0: 1, s1: null }]);
    expect(spectrumCurveRows([], 0, []).rows).toEqual([]);
  });

  it('heat map: log10(s_i/s_1) per index (rows) and snapshot (columns), NaN where missing', () => {
    const spectra = [
      snapshot(0, [layer('a', [10, 1])]),
      snapshot(10, [layer('a', [100, 1, 0.01])]),
      snapshot(20, [layer('a', [])]),
    ];
    const map = spectrumHeatmap(spectra, 0);
    expect(map.iterations).toEqual([0, 10, 20]);
    expect(map.size).toBe(3);
    const at = (i: number, j: number) => map.values[i * 3 + j];
    expect(at(0, 0)).toBeCloseTo(0, 12);
    expect(at(1, 0)).toBeCloseTo(-1, 12);
    expect(at(2, 0)).toBeNaN();
    expect(at(1, 1)).toBeCloseTo(-2, 12);
    expect(at(2, 1)).toBeCloseTo(-4, 12);
    expect(at(0, 2)).toBeNaN();
    expect(map.floor).toBe(-4);
    // A flat spectrum still gets a scale down to 10^-1; a zero singular value is no cell.
    expect(spectrumHeatmap([snapshot(0, [layer('a', [1, 1, 0])])], 0).floor).toBe(-1);
    expect(spectrumHeatmap([], 0)).toMatchObject({ iterations: [], size: 0 });
  });
});

describe('variance rows', () => {
  it('per layer at one snapshot; non-positive and non-finite values become null', () => {
    const s = snapshot(300, [
      layer('conv1', [1], { effectiveVariance: 0.01, lecunBound: 1 / 64, xavierBound: 2 / 96 }),
      layer('conv2', [1], { effectiveVariance: 0, lecunBound: Number.NaN, xavierBound: -1 }),
    ]);
    expect(varianceRows(s)).toEqual([
      { layer: 'conv1', variance: 0.01, lecun: 1 / 64, xavier: 2 / 96 },
      { layer: 'conv2', variance: null, lecun: null, xavier: null },
    ]);
    expect(varianceRows(undefined)).toEqual([]);
  });

  it('names the Xavier-like bound with c² under BSSN', () => {
    expect(boundNames('sn').xavier).toBe('2/(fan_in+fan_out)');
    expect(boundNames('bssn').xavier).toBe('2/(fan_in+fan_out) × c² (BSSN)');
  });
});

describe('alarms', () => {
  const alarm = (iteration: number, layerName: string): CollapseAlarm => ({
    iteration,
    layerIndex: 2,
    layer: layerName,
    value: 0.1234,
    peak: 0.4812,
    peakIteration: iteration - 200,
    since: iteration,
  });

  it('says which layer collapsed, when, and from what', () => {
    expect(alarmText(alarm(600, 'conv3'))).toBe(
      'Spectral collapse: layer conv3 at iteration 600 (indicator 0.12, down from 0.48 at iteration 400)',
    );
  });

  it('lists the most recent first', () => {
    const alarms = [alarm(100, 'a'), alarm(200, 'b'), alarm(300, 'c')];
    expect(recentAlarms(alarms, 2).map((a) => a.iteration)).toEqual([300, 200]);
    expect(recentAlarms(alarms, 5).map((a) => a.iteration)).toEqual([300, 200, 100]);
    expect(recentAlarms([], 3)).toEqual([]);
  });
});

describe('drawing helpers', () => {
  it('adds smoothed columns beside the raw ones (weight 0 copies them)', () => {
    const rows = [
      { iteration: 0, a: 1, b: null },
      { iteration: 1, a: 3, b: 2 },
    ];
    const copied = withSmoothed(rows, ['a'], 0);
    expect(copied).toEqual([
      { iteration: 0, a: 1, b: null, [smoothedKey('a')]: 1 },
      { iteration: 1, a: 3, b: 2, [smoothedKey('a')]: 3 },
    ]);
    // Debiased EMA, w = 0.5: 0.5*1/(1-0.5) = 1, then (0.25 + 1.5)/(1-0.25) = 7/3.
    const smoothed = withSmoothed(rows, ['a'], 0.5);
    expect(smoothed[0][smoothedKey('a')]).toBeCloseTo(1, 12);
    expect(smoothed[1][smoothedKey('a')]).toBeCloseTo(7 / 3, 12);
    expect(smoothed[1].a).toBe(3); // raw kept
    expect(rows[0]).toEqual({ iteration: 0, a: 1, b: null }); // input untouched
  });

  it('log scale: non-positive values become null; the domain spans whole decades', () => {
    expect(
      logSafeRows(
        [
          { iteration: 0, a: 0, b: -1 },
          { iteration: 1, a: 0.02, b: null },
        ],
        ['a', 'b'],
      ),
    ).toEqual([
      { iteration: 0, a: null, b: null },
      { iteration: 1, a: 0.02, b: null },
    ]);
    expect(
      logDomain(
        [
          { a: 0.02, b: 300 },
          { a: 0, b: Number.NaN },
        ],
        ['a', 'b'],
      ),
    ).toEqual([0.01, 1000]);
    expect(logDomain([{ a: 1 }], ['a'])).toEqual([1, 10]);
    expect(logDomain([{ a: 0 }, { a: null }], ['a'])).toBeNull();
    expect(logTicks([0.01, 1000])).toEqual([0.01, 0.1, 1, 10, 100, 1000]);
    expect(logTicks([1, 10])).toEqual([1, 2, 5, 10]);
  });

  it('formats tooltip values at full precision and ticks short', () => {
    expect(formatValue(0.123456789)).toBe('0.123457');
    expect(formatValue(1234567)).toBe('1.23457e+6');
    expect(formatValue(null)).toBe('–');
    expect(formatTick(0.00001)).toBe('1e-5');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(20000)).toBe('2e4');
    expect(formatCount(800)).toBe('800');
    expect(formatCount(25000)).toBe('25k');
    expect(formatCount(1250000)).toBe('1.25M');
  });

  it('CSV tables name their columns after the series', () => {
    const table = csvTable([{ iteration: 5, l0: 1.5, x0: null }], { key: 'iteration', name: 'iteration' }, [
      { key: 'l0', name: 'conv1' },
      { key: 'x0', name: 'conv1 exact' },
    ]);
    expect(table).toEqual({
      columns: ['iteration', 'conv1', 'conv1 exact'],
      rows: [{ iteration: 5, conv1: 1.5, 'conv1 exact': null }],
    });
    const spectrum = spectrumCsvTable(
      [
        {
          name: 'conv1',
          rows: [
            { index: 1, s0: 1 },
            { index: 2, s0: 0.5 },
          ],
        },
      ],
      [{ key: 's0', name: 'iteration 100' }],
    );
    expect(spectrum).toEqual({
      columns: ['layer', 'index', 'iteration 100'],
      rows: [
        { layer: 'conv1', index: 1, 'iteration 100': 1 },
        { layer: 'conv1', index: 2, 'iteration 100': 0.5 },
      ],
    });
  });
});

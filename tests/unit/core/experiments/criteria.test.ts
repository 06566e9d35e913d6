// Each experiment's criterion on synthetic metric series, once where the claim holds and once where
// it does not, so a criterion that always passes (or always fails) is caught.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/core/config/schema';
import {
  gradientBounds,
  modeCoverageNoneVsSn,
  powerIterationEnough,
  snBoundsSigma,
  spectralCollapseWithSr,
  spectrumConcentration,
} from '../../../../src/core/experiments/criteria';
import type { LayerSpectrum, SpectrumSnapshot } from '../../../../src/core/metrics/types';
import type { MetricsRecord } from '../../../../src/core/runs/metrics-record';
import type { MetricsPoint } from '../../../../src/core/train/types';

const ITERATIONS = [0, 500, 1000, 1500, 2000];

function layer(top: number, collapse: number, variance = 0.01, bound = 0.05): LayerSpectrum {
  return {
    name: 'D.dense1',
    rows: 8,
    cols: 8,
    kernelArea: 1,
    raw: [top, top / 2],
    effective: [top, top / 2],
    effectiveVariance: variance,
    lecunBound: bound,
    xavierBound: bound,
    collapse,
  };
}

function snapshot(iteration: number, layers: LayerSpectrum[]): SpectrumSnapshot {
  return { iteration, norm: 'sn', layers, alarms: [], computeSeconds: 0 };
}

function point(iteration: number, gradNormTotal: number, realMax = 1): MetricsPoint {
  return {
    iteration,
    seconds: iteration / 40,
    dLoss: 1,
    gLoss: 1,
    sigmas: [1],
    gradNorms: [gradNormTotal],
    gradNormTotal,
    lipschitz: { realMean: realMax / 2, realMax, fakeMean: realMax / 2, fakeMax: realMax, sigmaProduct: 1 },
  };
}

interface Series {
  tops?: (i: number) => number;
  collapse?: (i: number) => number;
  grad?: (i: number) => number;
  lip?: (i: number) => number;
  modes?: (i: number) => number;
  variance?: number;
  iterations?: number[];
}

function record(series: Series): MetricsRecord {
  const iterations = series.iterations ?? ITERATIONS;
  const {
    tops = () => 1,
    collapse = () => 0.3,
    grad = () => 1,
    lip = () => 1,
    modes = () => 8,
    variance = 0.01,
  } = series;
  return {
    format: 'spectral-gan-metrics',
    version: 1,
    source: 'headless',
    config: defaultConfig(),
    query: '',
    info: {
      backend: 'cpu',
      layerNames: ['D.dense1'],
      parameterCount: { generator: 0, discriminator: 0 },
      datasetName: 'ring8',
      datasetCount: 0,
      sampleShape: [2],
      arch: 'mlp',
    },
    iterations: iterations[iterations.length - 1],
    history: iterations.map((it, i) => point(it, grad(i), lip(i))),
    spectra: iterations.map((it, i) => snapshot(it, [layer(tops(i), collapse(i), variance)])),
    alarms: [],
    proxies: [],
    coverage: iterations.map((it, i) => ({
      iteration: it,
      modesCaptured: modes(i),
      modeCount: 8,
      highQualityShare: 0.9,
      klFromUniform: 0.1,
    })),
  } as MetricsRecord;
}

describe('experiment criteria', () => {
  it('sn-bounds-sigma: passes when none grows and sn stays at 1, fails when none stays bounded too', () => {
    const criterion = snBoundsSigma(200);
    const sn = record({ tops: () => 1.01, lip: () => 0.9 });
    const growing = record({ tops: (i) => 1 + i, lip: (i) => 1 + i });
    expect(criterion([growing, sn]).status).toBe('pass');
    const flat = record({ tops: () => 1.2, lip: () => 1 });
    const verdict = criterion([flat, sn]);
    expect(verdict.status).toBe('fail');
    expect(verdict.figures.join('\n')).toMatch(
      /FAIL max effective sigma\(none\)\/sigma\(sn\) at iteration 2000 = 1\.19/,
    );
    // An sn run whose input gradient passes the bound fails too.
    expect(criterion([growing, record({ tops: () => 1.01, lip: () => 1.3 })]).status).toBe('fail');
    expect(criterion([growing, undefined]).status).toBe('pending');
  });

  it('power-iteration: passes when sniters=1 settles within 1% and the warm-up starts there', () => {
    const criterion = powerIterationEnough(100);
    const iterations = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
    const one = record({ iterations, tops: (i) => (i === 0 ? 1.36 : 1.004) });
    const warm = record({ iterations, tops: () => 1.003 });
    expect(criterion([one, one, warm]).status).toBe('pass');
    // Off by 2% at 3 of 10 settled snapshots: under 90% within 1%.
    const slow = record({ iterations, tops: (i) => (i <= 3 ? 1.02 : 1.004) });
    expect(criterion([slow, one, warm]).status).toBe('fail');
    expect(criterion([one, one, one]).status).toBe('fail'); // the "warm-up" run starts at 1.36
  });

  it('wn-clip-spectrum: passes when both concentrate the spectrum, fails when one does not', () => {
    const sn = record({ collapse: () => 0.25 });
    const low = record({ collapse: () => 0.05 });
    expect(spectrumConcentration([sn, low, low]).status).toBe('pass');
    expect(spectrumConcentration([sn, record({ collapse: () => 0.2 }), low]).status).toBe('fail');
  });

  it(
    'gradient-bounds: passes on growth, vanishing and a steady sn, fails when none does not grow ' +
      'or a variance exceeds its bound',
    () => {
      const none = record({ grad: (i) => 2 ** i });
      const sn = record({ grad: () => 1 });
      const clip = record({ grad: () => 0.01 });
      const bssn = record({ grad: () => 1 });
      expect(gradientBounds([none, sn, clip, bssn]).status).toBe('pass');
      expect(gradientBounds([sn, sn, clip, bssn]).status).toBe('fail');
      expect(gradientBounds([none, sn, sn, bssn]).status).toBe('fail');
      expect(gradientBounds([none, record({ grad: () => 1, variance: 0.2 }), clip, bssn]).status).toBe('fail');
    },
  );

  it('spectral-collapse-sr: passes when sn loses modes and spectrum and sr keeps both, fails otherwise', () => {
    const sn = record({ modes: () => 1, collapse: (i) => (i === 0 ? 0.3 : 0.05) });
    const sr = record({ modes: () => 6, collapse: () => 0.3 });
    expect(spectralCollapseWithSr([sn, sr]).status).toBe('pass');
    // SR holds the spectrum but not the modes (what sr-dynamic did on grid25 at lr 0.01).
    expect(spectralCollapseWithSr([sn, record({ modes: () => 1, collapse: () => 0.3 })]).status).toBe('fail');
    // No collapse under sn: the claim has nothing to show.
    expect(spectralCollapseWithSr([record({ modes: () => 8, collapse: () => 0.3 }), sr]).status).toBe('fail');
  });

  it('mode-coverage: passes when sn holds 7 or 8 modes and none at most 4, fails when none holds more', () => {
    const none = record({ modes: () => 2 });
    const sn = record({ modes: () => 8 });
    expect(modeCoverageNoneVsSn([none, sn, undefined]).status).toBe('pass');
    expect(modeCoverageNoneVsSn([sn, sn, undefined]).status).toBe('fail');
    expect(modeCoverageNoneVsSn([none, record({ modes: () => 5 }), undefined]).status).toBe('fail');
  });
});

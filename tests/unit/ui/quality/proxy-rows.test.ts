// The sample-quality panel draws and says what these pure functions return: checked on hand-made
// evaluations, proxies and references (rows and their gaps, guides, sentences, chance level).
import { describe, expect, it } from 'vitest';
import type { ProxyEvaluationPoint } from '../../../../src/ui/quality/proxy-state';
import {
  accuracyText,
  chancePercent,
  classCoverageText,
  CLASSES_KEY,
  CONDITIONAL_ENTROPY_KEY,
  costText,
  FID_KEY,
  IS_KEY,
  KID_HIGH_KEY,
  KID_KEY,
  KID_LOW_KEY,
  MARGINAL_ENTROPY_KEY,
  percentText,
  proxyGuides,
  proxyRows,
  proxyStatusText,
  referenceText,
} from '../../../../src/ui/quality/proxy-rows';
import type { ProxyInfo, ProxyReference } from '../../../../src/worker/proxy-protocol';

const CIFAR = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

function evaluation(iteration: number, overrides: Partial<ProxyEvaluationPoint> = {}): ProxyEvaluationPoint {
  return {
    runId: 1,
    iteration,
    isProxy: 2.5,
    marginalEntropy: 2.0,
    meanConditionalEntropy: 1.1,
    fidProxy: 40,
    kidMean: 0.05,
    kidStd: 0.01,
    classesCovered: 7,
    classCount: 10,
    classHistogram: [12, 0, 3, 0, 5, 0, 1, 2, 4, 3],
    klFromUniform: 0.4,
    readBackSeconds: 0.0123,
    generationSeconds: 0.84,
    proxySeconds: 2.26,
    ...overrides,
  };
}

function proxyInfo(overrides: Partial<ProxyInfo> = {}): ProxyInfo {
  return {
    key: 'cifar10|tiny',
    recipeName: 'tiny',
    accuracy: 0.7134,
    trainSeconds: 37.6,
    source: 'trained',
    backend: 'webgpu',
    classNames: CIFAR,
    featureDimension: 32,
    parameterCount: 7123,
    trainCount: 50000,
    heldOutCount: 2000,
    ...overrides,
  };
}

const REFERENCE: ProxyReference = {
  n: 500,
  requestedN: 500,
  heldOutIs: 3.2149,
  heldOutMarginalEntropy: 2.2,
  heldOutConditionalEntropy: 1.03,
  trainIs: 3.4,
  fidTrainVsHeldOut: 1.2345,
  kidTrainVsHeldOut: { mean: 0.00123, std: 0.003 },
  heldOutClassesCovered: 10,
  classCount: 10,
  seconds: 4,
};

describe('proxyRows', () => {
  it('has one row per evaluation with every series column, the KID band mean ± std', () => {
    const rows = proxyRows([
      evaluation(500),
      evaluation(1000, { isProxy: 3, fidProxy: 25, kidMean: 0.02, kidStd: 0.005, classesCovered: 9 }),
    ]);
    expect(rows).toEqual([
      {
        iteration: 500,
        [IS_KEY]: 2.5,
        [MARGINAL_ENTROPY_KEY]: 2,
        [CONDITIONAL_ENTROPY_KEY]: 1.1,
        [FID_KEY]: 40,
        [KID_KEY]: 0.05,
        [KID_HIGH_KEY]: 0.05 + 0.01,
        [KID_LOW_KEY]: 0.05 - 0.01,
        [CLASSES_KEY]: 7,
      },
      {
        iteration: 1000,
        [IS_KEY]: 3,
        [MARGINAL_ENTROPY_KEY]: 2,
        [CONDITIONAL_ENTROPY_KEY]: 1.1,
        [FID_KEY]: 25,
        [KID_KEY]: 0.02,
        [KID_HIGH_KEY]: 0.025,
        [KID_LOW_KEY]: 0.015,
        [CLASSES_KEY]: 9,
      },
    ]);
  });

  it('turns non-finite values into gaps, and the band too when mean or std is missing', () => {
    const [row] = proxyRows([
      evaluation(7, { fidProxy: Number.NaN, kidStd: Number.POSITIVE_INFINITY, isProxy: Number.NEGATIVE_INFINITY }),
    ]);
    expect(row[FID_KEY]).toBeNull();
    expect(row[IS_KEY]).toBeNull();
    expect(row[KID_KEY]).toBe(0.05);
    expect(row[KID_HIGH_KEY]).toBeNull();
    expect(row[KID_LOW_KEY]).toBeNull();
    expect(proxyRows([])).toEqual([]);
  });
});

describe('proxyGuides', () => {
  it('draws the real-data references as lines, none without a reference', () => {
    expect(proxyGuides(REFERENCE)).toEqual({
      is: [{ y: 3.2149, label: 'held-out real' }],
      fid: [{ y: 1.2345, label: 'real vs real' }],
      kid: [{ y: 0.00123, label: 'real vs real' }],
      classes: [{ y: 10, label: 'held-out real' }],
    });
    expect(proxyGuides(null)).toEqual({ is: [], fid: [], kid: [], classes: [] });
    expect(proxyGuides({ ...REFERENCE, fidTrainVsHeldOut: Number.NaN }).fid).toEqual([]);
  });
});

describe('chance and accuracy', () => {
  it('puts chance at 100 / classes', () => {
    expect(chancePercent(10)).toBe(10);
    expect(chancePercent(3)).toBeCloseTo(33.333, 3);
    expect(chancePercent(0)).toBeNull();
    expect(percentText(chancePercent(3))).toBe('33.3%');
    expect(percentText(null)).toBe('n/a');
  });

  it('says how good the proxy is and where it came from', () => {
    expect(accuracyText(proxyInfo())).toBe(
      'Proxy net (tiny recipe): test accuracy 71.3% on 2,000 held-out images, chance 10.0%, trained ' +
        'in 38 s here; 32-d features, 7,123 parameters',
    );
    expect(accuracyText(proxyInfo({ source: 'cache', classNames: ['a', 'b', 'c', 'd'] }))).toBe(
      'Proxy net (tiny recipe): test accuracy 71.3% on 2,000 held-out images, chance 25.0%, loaded ' +
        "from this browser's cache; 32-d features, 7,123 parameters",
    );
    expect(accuracyText(proxyInfo({ source: 'imported', trainSeconds: null, accuracy: 0.5 }))).toContain(
      'test accuracy 50.0% on 2,000 held-out images, chance 10.0%, imported from a file;',
    );
  });
});

describe('reference and cost', () => {
  it('gives the real-data numbers at N, and says when N was capped', () => {
    expect(referenceText(REFERENCE, 500)).toBe(
      'Real data at N=500: IS 3.21 (held-out), FID 1.23 and KID 0.0012 ± 0.0030 (training vs held-out)',
    );
    expect(referenceText({ ...REFERENCE, n: 300 }, 500)).toBe(
      'Real data at N=300: IS 3.21 (held-out), FID 1.23 and KID 0.0012 ± 0.0030 (training vs ' +
        'held-out); N capped at 300: a split has fewer images',
    );
  });

  it('splits the latest evaluation cost between the workers and counts skipped ones', () => {
    expect(costText(evaluation(1500), 0)).toBe(
      'last evaluation at iteration 1500: G read-back 0.012 s (training worker); generation 0.8 s + ' +
        'scoring 2.3 s (proxy worker)',
    );
    expect(costText(evaluation(1500), 2)).toBe(
      'last evaluation at iteration 1500: G read-back 0.012 s (training worker); generation 0.8 s + ' +
        'scoring 2.3 s (proxy worker); 2 skipped while one was running',
    );
  });
});

describe('classCoverageText', () => {
  it('names every class with its count of generated images', () => {
    expect(classCoverageText(evaluation(2000), CIFAR)).toBe(
      'Classes produced at iteration 2000: 7 of 10 (airplane 12, automobile 0, bird 3, cat 0, deer ' +
        '5, dog 0, frog 1, horse 2, ship 4, truck 3)',
    );
  });

  it('numbers the classes when their names are unknown', () => {
    const point = evaluation(10, { classesCovered: 2, classCount: 3, classHistogram: [4, 0, 6] });
    expect(classCoverageText(point, [])).toBe(
      'Classes produced at iteration 10: 2 of 3 (class 0 4, class 1 0, class 2 6)',
    );
  });
});

describe('proxyStatusText', () => {
  const base = { detail: null, progress: null };
  it('reports training progress with a 1-based epoch', () => {
    const progress = { epoch: 0, epochs: 8, step: 120, steps: 780, loss: 1.23449, seconds: 11.6 };
    expect(proxyStatusText({ ...base, phase: 'training', progress }, 500)).toBe(
      'training, epoch 1/8, step 120/780, loss 1.234, 12 s',
    );
    expect(proxyStatusText({ ...base, phase: 'training' }, 500)).toBe('training…');
    // Training goes on (and is reported) even with evaluations turned off.
    expect(proxyStatusText({ ...base, phase: 'training', progress: { ...progress, epoch: 7 } }, 0)).toBe(
      'training, epoch 8/8, step 120/780, loss 1.234, 12 s',
    );
  });

  it('says when training is due, and when evaluations are off', () => {
    expect(proxyStatusText({ ...base, phase: 'untrained' }, 250)).toBe(
      'not trained yet: it trains when the first evaluation is due (iteration 250), or now',
    );
    expect(proxyStatusText({ ...base, phase: 'ready' }, 0)).toBe('evaluations are off (proxyevery=0)');
    expect(proxyStatusText({ ...base, phase: 'ready' }, 500)).toBe('ready');
    expect(proxyStatusText({ ...base, phase: 'failed', detail: 'out of memory' }, 500)).toBe('failed: out of memory');
    expect(proxyStatusText({ ...base, phase: 'failed', detail: null }, 500)).toBe('failed: see the message above');
    expect(proxyStatusText({ ...base, phase: 'loading-data', detail: 'test_batch.bin' }, 500)).toBe(
      'loading data… (test_batch.bin)',
    );
    expect(proxyStatusText({ ...base, phase: 'loading-data' }, 500)).toBe('loading data…');
  });
});

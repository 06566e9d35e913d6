// The page's sample-quality state (src/ui/quality/proxy-state.ts), a pure reducer over the proxy worker's
// messages. What it must guarantee: numbers from different proxies or different N never end up in one
// chart (evaluations belong to one referenceKey), a re-announced identical proxy keeps the history, a
// repeated (run, iteration) replaces rather than duplicates, and the list stays ordered by run then
// iteration. SampleQuality, ProxyInfo and ProxyReference are built by hand, no worker or tfjs.
import { describe, expect, it } from 'vitest';
import type { SampleQuality } from '../../../../src/core/proxy/sample-quality';
import {
  evaluationsOfRun,
  initialProxyState,
  proxyReducer,
  type ProxyAction,
  type ProxyState,
} from '../../../../src/ui/quality/proxy-state';
import { referenceKeyOf } from '../../../../src/core/proxy/reference-key';
import type { ProxyInfo, ProxyPhase, ProxyReference, ProxyToPage } from '../../../../src/worker/proxy-protocol';

const KEY_A = 'proxy-v1|tiny|shapes|classes=0,1|subset=64|seed=1';
const KEY_B = 'proxy-v1|default|shapes|classes=0,1|subset=64|seed=1';

function info(key: string): ProxyInfo {
  return {
    key,
    recipeName: 'tiny',
    accuracy: 0.9,
    trainSeconds: 12.5,
    source: 'trained',
    backend: 'cpu',
    classNames: ['circle', 'square'],
    featureDimension: 32,
    parameterCount: 7000,
    trainCount: 64,
    heldOutCount: 2000,
  };
}

function reference(n: number): ProxyReference {
  return {
    n,
    requestedN: n,
    heldOutIs: 1.9,
    heldOutMarginalEntropy: 0.69,
    heldOutConditionalEntropy: 0.05,
    trainIs: 1.95,
    fidTrainVsHeldOut: 0.4,
    kidTrainVsHeldOut: { mean: 0.001, std: 0.0005 },
    heldOutClassesCovered: 2,
    classCount: 2,
    seconds: 1.25,
  };
}

/** A SampleQuality whose numbers all derive from `tag`, so a point can be traced back to its message. */
function quality(tag: number): SampleQuality {
  return {
    sampleCount: 200,
    isProxy: 1 + tag / 100,
    marginalEntropy: 0.5 + tag / 1000,
    meanConditionalEntropy: 0.1 + tag / 1000,
    fidProxy: 10 + tag,
    kidProxy: { mean: 0.01 * tag, std: 0.001 * tag },
    classCoverage: { classesCovered: 2, classCount: 2, histogram: [100 + tag, 100 - tag], klFromUniform: 0.002 * tag },
    seconds: 0.75,
  };
}

const worker = (message: ProxyToPage): ProxyAction => ({ type: 'worker', message });
const status = (phase: ProxyPhase, detail: string | null = null): ProxyAction =>
  worker({ type: 'status', phase, detail, progress: null });
const ready = (key: string, n: number): ProxyAction =>
  worker({ type: 'proxy-ready', proxy: info(key), reference: reference(n) });
const evaluation = (runId: number, iteration: number, referenceKey: string, tag = iteration): ProxyAction =>
  worker({
    type: 'evaluation',
    runId,
    iteration,
    quality: quality(tag),
    readBackSeconds: 0.01,
    generationSeconds: 0.25,
    proxySeconds: 0.5,
    referenceKey,
  });

function run(actions: ProxyAction[], from: ProxyState = initialProxyState()): ProxyState {
  return actions.reduce(proxyReducer, from);
}

const runsAndIterations = (state: ProxyState) => state.evaluations.map((e) => [e.runId, e.iteration]);

describe('proxyReducer: status', () => {
  it('starts idle and empty', () => {
    expect(initialProxyState()).toEqual({
      phase: 'idle',
      detail: null,
      progress: null,
      proxy: null,
      reference: null,
      referenceKey: null,
      evaluations: [],
      skipped: 0,
    });
  });

  it('sets phase, detail and progress', () => {
    const progress = { epoch: 1, epochs: 4, step: 10, steps: 60, loss: 1.5, seconds: 2 };
    const state = proxyReducer(
      initialProxyState(),
      worker({ type: 'status', phase: 'training', detail: 'epoch 1', progress }),
    );
    expect(state.phase).toBe('training');
    expect(state.detail).toBe('epoch 1');
    expect(state.progress).toEqual(progress);
  });

  it('drops the proxy and its reference on every phase but ready and measuring', () => {
    const withProxy = run([ready(KEY_A, 200)]);
    expect(withProxy.proxy?.key).toBe(KEY_A);
    for (const phase of ['idle', 'loading-data', 'untrained', 'training', 'failed'] as const) {
      const state = proxyReducer(withProxy, status(phase, 'why'));
      expect(state.phase, phase).toBe(phase);
      expect(state.proxy, phase).toBeNull();
      expect(state.reference, phase).toBeNull();
    }
    for (const phase of ['ready', 'measuring'] as const) {
      const state = proxyReducer(withProxy, status(phase));
      expect(state.phase, phase).toBe(phase);
      expect(state.proxy, phase).toEqual(info(KEY_A));
      expect(state.reference, phase).toEqual(reference(200));
    }
  });

  it(
    'keeps referenceKey and evaluations through status changes (a re-ready with the same key ' +
      'continues the history)',
    () => {
      const state = run([ready(KEY_A, 200), evaluation(1, 10, referenceKeyOf(KEY_A, 200)), status('loading-data')]);
      expect(state.referenceKey).toBe(referenceKeyOf(KEY_A, 200));
      expect(runsAndIterations(state)).toEqual([[1, 10]]);
    },
  );
});

describe('proxyReducer: proxy-ready and the reference key', () => {
  it('sets the proxy, the reference and referenceKeyOf(proxy.key, reference.n), and clears detail and progress', () => {
    const training = proxyReducer(
      initialProxyState(),
      worker({
        type: 'status',
        phase: 'training',
        detail: 'epoch 4',
        progress: { epoch: 4, epochs: 4, step: 60, steps: 60, loss: 0.2, seconds: 9 },
      }),
    );
    const state = proxyReducer(training, ready(KEY_A, 200));
    expect(state.phase).toBe('ready');
    expect(state.detail).toBeNull();
    expect(state.progress).toBeNull();
    expect(state.proxy).toEqual(info(KEY_A));
    expect(state.reference).toEqual(reference(200));
    expect(state.referenceKey).toBe(referenceKeyOf(KEY_A, 200));
    expect(state.referenceKey).toBe(`${KEY_A}|N=200`);
  });

  it('ignores evaluations of another reference key (before any proxy, other proxy, other N)', () => {
    expect(run([evaluation(1, 10, referenceKeyOf(KEY_A, 200))]).evaluations).toEqual([]);
    const readyA = run([ready(KEY_A, 200)]);
    for (const key of [referenceKeyOf(KEY_B, 200), referenceKeyOf(KEY_A, 100), KEY_A]) {
      expect(proxyReducer(readyA, evaluation(1, 10, key)), key).toBe(readyA);
    }
  });

  it('a new proxy-ready with another N or another proxy clears evaluations and skipped', () => {
    const before = run([
      ready(KEY_A, 200),
      evaluation(1, 10, referenceKeyOf(KEY_A, 200)),
      { type: 'skipped' },
      { type: 'skipped' },
    ]);
    expect(before.evaluations).toHaveLength(1);
    expect(before.skipped).toBe(2);
    for (const [key, n] of [
      [KEY_A, 100],
      [KEY_B, 200],
    ] as const) {
      const after = proxyReducer(before, ready(key, n));
      expect(after.referenceKey).toBe(referenceKeyOf(key, n));
      expect(after.evaluations).toEqual([]);
      expect(after.skipped).toBe(0);
    }
  });

  it('a new proxy-ready with the same key keeps evaluations and skipped (also after a status in between)', () => {
    const before = run([ready(KEY_A, 200), evaluation(1, 10, referenceKeyOf(KEY_A, 200)), { type: 'skipped' }]);
    for (const actions of [
      [ready(KEY_A, 200)],
      [status('measuring'), ready(KEY_A, 200)],
      [status('loading-data'), ready(KEY_A, 200)],
    ]) {
      const after = run(actions, before);
      expect(after.evaluations).toEqual(before.evaluations);
      expect(after.skipped).toBe(1);
    }
  });
});

describe('proxyReducer: evaluations', () => {
  const key = referenceKeyOf(KEY_A, 200);

  it('flattens one evaluation message into a point', () => {
    const state = run([ready(KEY_A, 200), evaluation(3, 500, key, 7)]);
    expect(state.evaluations).toEqual([
      {
        runId: 3,
        iteration: 500,
        isProxy: 1 + 7 / 100,
        marginalEntropy: 0.5 + 7 / 1000,
        meanConditionalEntropy: 0.1 + 7 / 1000,
        fidProxy: 17,
        kidMean: 0.01 * 7,
        kidStd: 0.001 * 7,
        classesCovered: 2,
        classCount: 2,
        classHistogram: [107, 93],
        klFromUniform: 0.002 * 7,
        readBackSeconds: 0.01,
        generationSeconds: 0.25,
        proxySeconds: 0.5,
      },
    ]);
  });

  it('an evaluation of an existing (runId, iteration) replaces it; another run at that iteration does not', () => {
    const state = run([
      ready(KEY_A, 200),
      evaluation(1, 10, key, 1),
      evaluation(1, 20, key, 2),
      evaluation(1, 10, key, 3),
      evaluation(2, 10, key, 4),
    ]);
    expect(runsAndIterations(state)).toEqual([
      [1, 10],
      [1, 20],
      [2, 10],
    ]);
    expect(state.evaluations.map((e) => e.fidProxy)).toEqual([13, 12, 14]);
  });

  it('keeps evaluations sorted by run, then iteration, whatever the arrival order', () => {
    const state = run([
      ready(KEY_A, 200),
      evaluation(2, 30, key),
      evaluation(1, 20, key),
      evaluation(2, 5, key),
      evaluation(1, 0, key),
      evaluation(3, 1, key),
      evaluation(1, 100, key),
    ]);
    expect(runsAndIterations(state)).toEqual([
      [1, 0],
      [1, 20],
      [1, 100],
      [2, 5],
      [2, 30],
      [3, 1],
    ]);
  });

  it('does not mutate the previous state', () => {
    const first = run([ready(KEY_A, 200), evaluation(1, 20, key)]);
    const snapshot = structuredClone(first);
    const second = run([evaluation(1, 10, key), evaluation(1, 20, key, 9), { type: 'skipped' }], first);
    expect(first).toEqual(snapshot);
    expect(second.evaluations).toHaveLength(2);
    expect(second.evaluations[1].fidProxy).toBe(19);
  });

  it('evaluationsOfRun filters one run, in iteration order', () => {
    const state = run([
      ready(KEY_A, 200),
      evaluation(2, 30, key),
      evaluation(1, 20, key),
      evaluation(2, 5, key),
      evaluation(1, 0, key),
    ]);
    expect(evaluationsOfRun(state, 2).map((e) => [e.runId, e.iteration])).toEqual([
      [2, 5],
      [2, 30],
    ]);
    expect(evaluationsOfRun(state, 1).map((e) => e.iteration)).toEqual([0, 20]);
    expect(evaluationsOfRun(state, 7)).toEqual([]);
  });
});

describe('proxyReducer: skipped and other messages', () => {
  it('counts skipped batches', () => {
    const state = run([{ type: 'skipped' }, { type: 'skipped' }, { type: 'skipped' }]);
    expect(state.skipped).toBe(3);
    expect(state.evaluations).toEqual([]);
  });

  it('leaves the state as it is for evaluation-skipped, exported and error messages', () => {
    const state = run([ready(KEY_A, 200), evaluation(1, 10, referenceKeyOf(KEY_A, 200))]);
    const others: ProxyToPage[] = [
      { type: 'evaluation-skipped', runId: 1, iteration: 20, reason: 'busy' },
      { type: 'exported', bytes: new ArrayBuffer(4), fileName: 'proxy.bin' },
      { type: 'error', source: 'training', message: 'out of memory' },
    ];
    for (const message of others) expect(proxyReducer(state, worker(message)), message.type).toBe(state);
  });
});

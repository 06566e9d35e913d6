// The shared base of declared state (src/core/normalize/persistent-state.ts, normalizer-base.ts): a
// class lists its state once and the base saves it as plain data, restores it in place and disposes
// it. Every method's normalizer goes through it: a fresh normalizer given a saved state continues as
// the original, the saved names are the checkpoint format's, and no tensor outlives dispose.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type NormName } from '../../../../src/core/config/schema';
import { NormalizerBase } from '../../../../src/core/normalize/normalizer-base';
import {
  LazyVariable,
  PersistentState,
  stateGroup,
  type StateEntries,
} from '../../../../src/core/normalize/persistent-state';
import { NORMALIZERS, createNormalizer } from '../../../../src/core/normalize/registry';
import { normalizerSettings } from '../../../../src/core/normalize/settings';
import type { LayerDescription, LayerNormalizer } from '../../../../src/core/normalize/types';

const SETTINGS = { ...normalizerSettings(defaultConfig()), srEvery: 1, srLayers: 'all' as const };
const CONV: LayerDescription = { kind: 'conv', shape: [3, 3, 4, 6] };
const DENSE: LayerDescription = { kind: 'dense', shape: [12, 6] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A part with a fixed-shape variable and a steering number. */
class Counter extends PersistentState {
  readonly total = tf.tidy(() => tf.variable(tf.zeros([2]), false));
  steps = 0;
  declaredState(): StateEntries {
    return { total: this.total, steps: { get: () => this.steps, set: (v) => (this.steps = v ?? 0) } };
  }
}

/** Every kind of entry: a variable, a lazy variable, a derived number, a nested part, a group. */
class Declaring extends NormalizerBase {
  readonly method = 'none' as const;
  readonly scale = tf.tidy(() => tf.variable(tf.scalar(1), false));
  readonly history = new LazyVariable();
  readonly counter = new Counter();
  override declaredState(): StateEntries {
    const hasHistory = { get: () => (this.history.value ? 1 : 0) };
    return { scale: this.scale, counter: this.counter, extra: stateGroup({ history: this.history, hasHistory }) };
  }
}

const weightOf = (layer: LayerDescription) =>
  tf.tidy(() => tf.variable(tf.randomNormal([...layer.shape], 0, 0.2, 'float32', 5)));
const values = async (t: tf.Tensor | null) => (t ? Array.from(await t.data()) : null);

describe('PersistentState', () => {
  it('saves declared entries under their names, restores them in place and disposes them all', async () => {
    const before = tf.memory().numTensors;
    const a = new Declaring(CONV, 0, SETTINGS);
    tf.tidy(() => {
      a.scale.assign(tf.scalar(3));
      a.counter.total.assign(tf.tensor1d([1, 2]));
      a.history.write(tf.tensor1d([1, 0.5, 0.25]));
    });
    a.counter.steps = 7;
    const saved = await a.saveState();
    expect(Object.keys(saved.tensors)).toEqual(['scale', 'counter.total', 'extra.history']);
    expect(saved.numbers).toEqual({ 'counter.steps': 7, 'extra.hasHistory': 1 });

    const b = new Declaring(CONV, 0, SETTINGS);
    const scale = b.scale;
    b.loadState(structuredClone(saved));
    expect(b.scale).toBe(scale); // in place
    expect(await values(b.scale)).toEqual([3]);
    expect(await values(b.counter.total)).toEqual([1, 2]);
    expect(b.counter.steps).toBe(7);
    expect(await values(b.history.value)).toEqual([1, 0.5, 0.25]);
    expect(await b.saveState()).toEqual(saved);

    // A state saved before the lazy variable existed empties it again.
    const fresh = new Declaring(CONV, 0, SETTINGS);
    b.loadState(await fresh.saveState());
    expect(b.history.value).toBeNull();
    expect(b.counter.steps).toBe(0);

    [a, b, fresh].forEach((n) => n.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a state without a declared tensor or number, or with another shape', () => {
    const n = new Declaring(CONV, 0, SETTINGS);
    const tensors = { scale: { shape: [], values: new Float32Array([2]) } };
    expect(() => n.loadState({ tensors: {}, numbers: {} })).toThrow(/no tensor scale/);
    expect(() =>
      n.loadState({
        tensors: { ...tensors, 'counter.total': { shape: [3], values: new Float32Array(3) } },
        numbers: { 'counter.steps': 1 },
      }),
    ).toThrow(/shape \[3\], expected \[2\]/);
    expect(() =>
      n.loadState({
        tensors: { ...tensors, 'counter.total': { shape: [2], values: new Float32Array(2) } },
        numbers: {},
      }),
    ).toThrow(/no number counter.steps/);
    n.dispose();
  });
});

/** Two D updates (SR runs after each: srEvery = 1) and a G-update-like forward, as the trainer does. */
function train(normalizer: LayerNormalizer, raw: tf.Variable, from: number): void {
  for (let i = from; i < from + 2; i++) {
    normalizer.beforeDiscriminatorUpdate(raw);
    tf.tidy(() => {
      const weight = normalizer.effectiveWeight(raw);
      raw.assign(tf.sub(raw, tf.mul(0.01, weight)));
    });
    normalizer.afterDiscriminatorUpdate(raw, { gIteration: i });
  }
}

describe('every method through the base', () => {
  const methods = Object.keys(NORMALIZERS) as NormName[];
  it.each(methods.flatMap((m) => [[m, CONV] as const, [m, DENSE] as const]))(
    '%s on %o: a fresh normalizer loaded from a saved state goes on as the original; dispose frees all',
    async (method, layer) => {
      const before = tf.memory().numTensors;
      const raw = weightOf(layer);
      const original = createNormalizer(method, layer, 3, SETTINGS);
      train(original, raw, 0);
      const saved = structuredClone(await original.saveState());
      const rawCopy = tf.tidy(() => tf.variable(raw.clone()));
      const restored = createNormalizer(method, layer, 99, SETTINGS); // another seed: all state comes from saved
      restored.loadState(saved);
      expect(await restored.saveState()).toEqual(saved);
      train(original, raw, 2);
      train(restored, rawCopy, 2);
      expect(await values(rawCopy)).toEqual(await values(raw));
      expect(await restored.saveState()).toEqual(await original.saveState());
      [original, restored].forEach((n) => n.dispose());
      tf.dispose([raw, rawCopy]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('keeps the checkpoint names: stateless methods save nothing, BSSN on a dense layer saves SN state', async () => {
    const names = async (method: NormName, layer: LayerDescription) => {
      const n = createNormalizer(method, layer, 1, SETTINGS);
      const raw = weightOf(layer);
      train(n, raw, 0);
      const state = await n.saveState();
      n.dispose();
      raw.dispose();
      return [Object.keys(state.tensors), Object.keys(state.numbers)];
    };
    for (const method of ['none', 'clip', 'wn', 'ortho'] as const) expect(await names(method, CONV)).toEqual([[], []]);
    expect(await names('sn', CONV)).toEqual([['u', 'v', 'sigma'], ['recorded']]);
    expect(await names('bssn', DENSE)).toEqual(await names('sn', DENSE));
    expect(await names('bssn', CONV)).toEqual([['u', 'sigma1', 'meanSigma', 'meanSigmaGradient'], ['recorded']]);
    expect(await names('sr-static', CONV)).toEqual([
      ['sn.u', 'sn.v', 'sn.sigma', 'basis.basis'],
      ['sn.recorded', 'lastCallIteration'],
    ]);
    expect(await names('sr-dynamic', CONV)).toEqual([
      ['sn.u', 'sn.v', 'sn.sigma', 'basis.basis', 'method.ratios'],
      ['sn.recorded', 'lastCallIteration', 'method.hasRatios'],
    ]);
  });
});

/**
 * SR (static and dynamic) on the cpu backend, through the tfjs-ops Jacobi twin: the compensated raw
 * weight against an independent float64 SVD reference (ml-matrix), the spectrum after SR + SN, the
 * dynamic ratio history, the authors' schedule, dense layers, and leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../../../src/core/config/schema';
import { normalizerSettings } from '../../../../src/core/normalize/settings';
import { COLD_PASSES, SingularBasis } from '../../../../src/core/normalize/singular-basis';
import { SpectralNormalizer } from '../../../../src/core/normalize/spectral';
import { DynamicSpectralRegularizer } from '../../../../src/core/normalize/spectral-regularization-dynamic';
import { StaticSpectralRegularizer } from '../../../../src/core/normalize/spectral-regularization-static';
import type { NormalizerSettings } from '../../../../src/core/normalize/types';
import {
  layerMatrixShape,
  referenceDynamic,
  referenceStatic,
  referenceSvd,
  relativeError,
  seededNormals,
  testWeight,
} from '../../../fixtures/sr-reference';

const SETTINGS: NormalizerSettings = { ...normalizerSettings(defaultConfig()), srFraction: 0.5, srEvery: 5 };
const TOLERANCE = 1e-4;
const worst = { staticRelative: 0, dynamicRelative: 0, spectrumAfterSn: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  console.info('spectral-regularization worst errors', JSON.stringify(worst));
});

/** c above and below K; 1x1, 3x3 and 4x4 kernels; odd and even N. */
const SHAPES: Array<{ label: string; shape: number[] }> = [
  { label: '1x1 [1,1,16,8], K=16 > c=8', shape: [1, 1, 16, 8] },
  { label: '1x1 [1,1,6,20], K=6 < c=20', shape: [1, 1, 6, 20] },
  { label: '3x3 [3,3,4,16], K=36 > c=16', shape: [3, 3, 4, 16] },
  { label: '3x3 [3,3,3,64], K=27 < c=64 (the standard CNN first layer)', shape: [3, 3, 3, 64] },
  { label: '4x4 [4,4,4,24], K=64 > c=24', shape: [4, 4, 4, 24] },
  { label: '4x4 [4,4,2,45], K=32 < c=45', shape: [4, 4, 2, 45] },
];

function convLayer(shape: number[]) {
  return { kind: 'conv' as const, shape };
}

/** Runs one SR call (gIteration 0, so it is scheduled) and returns the rewritten raw weight. */
async function compensateOnce(
  normalizer: StaticSpectralRegularizer | DynamicSpectralRegularizer,
  raw: tf.Variable,
  gIteration = 0,
): Promise<Float32Array> {
  normalizer.beforeDiscriminatorUpdate(raw);
  normalizer.afterDiscriminatorUpdate(raw, { gIteration });
  return (await raw.data()) as Float32Array;
}

describe('static SR against the float64 SVD reference', () => {
  it.each(SHAPES)('matches to 1e-4 relative for srFraction 0.5, 0.25 and 1: $label', async ({ shape }) => {
    for (const [i, fraction] of [0.5, 0.25, 1].entries()) {
      const data = testWeight(shape, 10 + i);
      const raw = tf.variable(tf.tensor(data, shape));
      const sr = new StaticSpectralRegularizer(convLayer(shape), 3, { ...SETTINGS, srFraction: fraction });
      const error = relativeError(await compensateOnce(sr, raw), referenceStatic(data, shape, fraction));
      worst.staticRelative = Math.max(worst.staticRelative, error);
      expect(error).toBeLessThan(TOLERANCE);
      raw.dispose();
      sr.dispose();
    }
  });

  it.each([
    { label: 'K > c', shape: [3, 3, 4, 16] },
    { label: 'K < c', shape: [3, 3, 2, 32] },
  ])('resolves a spectrum decaying to 1e-3 s_1 ($label)', async ({ shape }) => {
    const data = testWeight(shape, 21, { decay: 1e-3 });
    const raw = tf.variable(tf.tensor(data, shape));
    const sr = new StaticSpectralRegularizer(convLayer(shape), 3, SETTINGS);
    const error = relativeError(await compensateOnce(sr, raw), referenceStatic(data, shape, 0.5));
    worst.staticRelative = Math.max(worst.staticRelative, error);
    expect(error).toBeLessThan(TOLERANCE);
    raw.dispose();
    sr.dispose();
  });

  it(
    'needs the passes: one Jacobi on the float32 Gram misses small singular values, the cold ' + 'passes do not',
    async () => {
      const shape = [3, 3, 4, 16];
      const data = testWeight(shape, 22, { decay: 1e-3 });
      const reference = referenceSvd(data, shape).singular;
      const a = tf.tensor2d(data, layerMatrixShape(shape));
      const relative = async (passes: number) => {
        const basis = new SingularBasis(shape);
        const { singular, basis: u } = basis.decompose(a, passes);
        const found = Array.from(await singular.data()).sort((x, y) => y - x);
        tf.dispose([singular, u]);
        basis.dispose();
        return Math.max(...found.map((s, i) => Math.abs(s - reference[i]) / reference[i]));
      };
      expect(await relative(1)).toBeGreaterThan(1e-3);
      expect(await relative(COLD_PASSES)).toBeLessThan(1e-5);
      a.dispose();
    },
  );

  it.each([
    { label: 'K > c, N=16, k=8, rank 11', shape: [3, 3, 4, 16], rank: 11 },
    { label: 'K < c, N=18, k=9, rank 9', shape: [3, 3, 2, 32], rank: 9 },
  ])('rank-deficient with rank >= k (unique reference): $label', async ({ shape, rank }) => {
    const data = testWeight(shape, 31, { rank });
    const raw = tf.variable(tf.tensor(data, shape));
    const sr = new StaticSpectralRegularizer(convLayer(shape), 3, SETTINGS);
    const result = await compensateOnce(sr, raw);
    const error = relativeError(result, referenceStatic(data, shape, 0.5));
    worst.staticRelative = Math.max(worst.staticRelative, error);
    expect(error).toBeLessThan(TOLERANCE);
    // The zero singular values stay zero.
    const after = referenceSvd(result, shape).singular;
    expect(Math.max(...after.slice(rank))).toBeLessThan(1e-5);
    raw.dispose();
    sr.dispose();
  });

  it('rank < k: raises the nonzero singular values, leaves the zero ones at zero (no NaN)', async () => {
    const shape = [3, 3, 4, 16];
    const data = testWeight(shape, 41, { rank: 5 });
    const raw = tf.variable(tf.tensor(data, shape));
    const sr = new StaticSpectralRegularizer(convLayer(shape), 3, SETTINGS);
    const result = await compensateOnce(sr, raw);
    expect(result.every(Number.isFinite)).toBe(true);
    const after = referenceSvd(result, shape).singular;
    after.slice(0, 5).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(TOLERANCE));
    expect(Math.max(...after.slice(5))).toBeLessThan(1e-5);
    raw.dispose();
    sr.dispose();
  });

  it('a zero weight stays zero', async () => {
    const shape = [3, 3, 2, 8];
    const raw = tf.variable(tf.zeros(shape));
    const sr = new StaticSpectralRegularizer(convLayer(shape), 3, SETTINGS);
    expect(Array.from(await compensateOnce(sr, raw)).every((x) => x === 0)).toBe(true);
    raw.dispose();
    sr.dispose();
  });

  it('after SR + SN the top k normalized singular values are 1 and the rest keep their ratios', async () => {
    const shape = [3, 3, 4, 16];
    const data = testWeight(shape, 51);
    const before = referenceSvd(data, shape).singular;
    const raw = tf.variable(tf.tensor(data, shape));
    const sr = new StaticSpectralRegularizer(convLayer(shape), 3, { ...SETTINGS, powerIterations: 50 });
    await compensateOnce(sr, raw);
    sr.beforeDiscriminatorUpdate(raw); // the next D update's power iteration
    const effective = sr.effectiveWeight(raw);
    const normalized = referenceSvd(await effective.data(), shape).singular;
    const k = Math.floor(0.5 * normalized.length);
    normalized.forEach((s, i) => {
      const expected = i < k ? 1 : before[i] / before[0];
      worst.spectrumAfterSn = Math.max(worst.spectrumAfterSn, Math.abs(s - expected));
      expect(Math.abs(s - expected)).toBeLessThan(TOLERANCE);
    });
    tf.dispose([raw, effective]);
    sr.dispose();
  });
});

describe('dynamic SR', () => {
  it.each(SHAPES.slice(2, 5))(
    'first call leaves W unchanged, later calls match the reference, r never decreases: $label',
    async ({ shape }) => {
      const data = testWeight(shape, 61);
      const raw = tf.variable(tf.tensor(data, shape));
      const sr = new DynamicSpectralRegularizer(convLayer(shape), 3, SETTINGS);
      expect(sr.ratioHistory).toBeNull();
      expect(Array.from(await compensateOnce(sr, raw))).toEqual(Array.from(data));
      const reference = referenceSvd(data, shape).singular.map((s, _, all) => s / all[0]);
      let previous = Array.from(await sr.ratioHistory!.data());
      expect(relativeError(previous, reference)).toBeLessThan(1e-5);

      const size = data.length;
      for (let step = 0; step < 6; step++) {
        // A random update of a tenth of W's scale, then an SR call.
        const noise = tf.tensor(
          Float32Array.from(seededNormals(size, 70 + step), (x) => (x * 0.1) / Math.sqrt(layerMatrixShape(shape)[0])),
          shape,
        );
        raw.assign(tf.add(raw, noise));
        noise.dispose();
        const input = Float32Array.from(await raw.data());
        const result = await compensateOnce(sr, raw, 5 * step);
        const error = relativeError(result, referenceDynamic(input, shape, reference));
        worst.dynamicRelative = Math.max(worst.dynamicRelative, error);
        expect(error).toBeLessThan(TOLERANCE);
        const ratios = Array.from(await sr.ratioHistory!.data());
        ratios.forEach((r, i) => expect(r).toBeGreaterThanOrEqual(previous[i]));
        expect(relativeError(ratios, reference)).toBeLessThan(1e-5);
        previous = ratios;
      }
      raw.dispose();
      sr.dispose();
    },
  );

  it('keeps its history across setSettings', async () => {
    const shape = [3, 3, 2, 8];
    const raw = tf.variable(tf.tensor(testWeight(shape, 81), shape));
    const sr = new DynamicSpectralRegularizer(convLayer(shape), 3, SETTINGS);
    await compensateOnce(sr, raw);
    const history = sr.ratioHistory;
    sr.setSettings({ ...SETTINGS, srEvery: 2, srFraction: 0.1 });
    expect(sr.ratioHistory).toBe(history);
    raw.dispose();
    sr.dispose();
  });
});

describe('schedule, dense layers, leaks', () => {
  it.each([
    { srEvery: 5, iterations: [0, 5, 10] },
    { srEvery: 3, iterations: [0, 3, 6, 9] },
  ])(
    'SR runs after each of the n_dis D updates exactly when gIteration % $srEvery == 0',
    async ({ srEvery, iterations }) => {
      const shape = [3, 3, 2, 8];
      const raw = tf.variable(tf.tensor(testWeight(shape, 91), shape));
      const sr = new StaticSpectralRegularizer(convLayer(shape), 3, { ...SETTINGS, srEvery });
      const decompose = vi.spyOn(SingularBasis.prototype, 'decompose');
      const rewritten: number[] = [];
      for (let gIteration = 0; gIteration < 12; gIteration++) {
        for (let d = 0; d < 2; d++) {
          sr.beforeDiscriminatorUpdate(raw);
          raw.assign(tf.tidy(() => tf.mul(raw, 1.01))); // stands in for the Adam step
          const before = raw.dataId;
          sr.afterDiscriminatorUpdate(raw, { gIteration });
          if (raw.dataId !== before) rewritten.push(gIteration);
        }
      }
      const expected = iterations.flatMap((i) => [i, i]);
      expect(rewritten).toEqual(expected);
      expect(decompose).toHaveBeenCalledTimes(expected.length);
      // Cold first, then one pass within a burst and two at the start of the next burst.
      expect(decompose.mock.calls.map((call) => call[1])).toEqual([
        COLD_PASSES,
        1,
        ...iterations.slice(1).flatMap(() => [2, 1]),
      ]);
      raw.dispose();
      sr.dispose();
    },
  );

  it.each([StaticSpectralRegularizer, DynamicSpectralRegularizer])(
    'leaves dense layers alone: exactly SN (%o)',
    async (Method) => {
      const shape = [12, 5];
      const raw = tf.variable(tf.tensor(testWeight(shape, 101), shape));
      const sr = new Method({ kind: 'dense', shape }, 7, SETTINGS);
      const sn = new SpectralNormalizer({ kind: 'dense', shape }, 7, SETTINGS);
      const before = raw.dataId;
      for (const gIteration of [0, 1, 5]) {
        sr.beforeDiscriminatorUpdate(raw);
        sn.beforeDiscriminatorUpdate(raw);
        sr.afterDiscriminatorUpdate(raw, { gIteration });
        expect(raw.dataId).toBe(before);
        const [a, b] = [sr.effectiveWeight(raw), sn.effectiveWeight(raw)];
        expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
        expect((await sr.sigmaEstimate()!.data())[0]).toBe((await sn.sigmaEstimate()!.data())[0]);
        tf.dispose([a, b]);
      }
      raw.dispose();
      sr.dispose();
      sn.dispose();
    },
  );

  it.each([StaticSpectralRegularizer, DynamicSpectralRegularizer])('does not leak tensors (%o)', async (Method) => {
    const shape = [3, 3, 2, 8];
    const raw = tf.variable(tf.tensor(testWeight(shape, 111), shape));
    const sr = new Method(convLayer(shape), 3, SETTINGS);
    await compensateOnce(sr, raw); // the first call creates dynamic's history
    const settled = tf.memory().numTensors;
    for (let call = 0; call < 4; call++) await compensateOnce(sr, raw);
    expect(tf.memory().numTensors).toBe(settled);
    const beforeDispose = tf.memory().numTensors;
    sr.dispose();
    expect(tf.memory().numTensors).toBeLessThan(beforeDispose);
    raw.dispose();
  });
});

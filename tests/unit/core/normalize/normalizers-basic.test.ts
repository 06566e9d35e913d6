/**
 * BSSN, WN, orthonormal regularization and clipping on the cpu backend, each against an independent
 * float64 reference (ml-matrix SVD for sigmas, plain loops for the rest).
 */
import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/core/config/schema';
import { bssnNormalizedWeight, bssnPowerIterationOps } from '../../../../src/core/kernels/bssn-power-iteration';
import { BssnNormalizer } from '../../../../src/core/normalize/bssn';
import { WeightClipper } from '../../../../src/core/normalize/clipping';
import { OrthonormalRegularizer } from '../../../../src/core/normalize/orthonormal';
import { normalizerSettings } from '../../../../src/core/normalize/settings';
import type { LayerDescription, LayerNormalizer, NormalizerSettings } from '../../../../src/core/normalize/types';
import { WeightNormalizer } from '../../../../src/core/normalize/weight-norm';
import { seededNormals } from '../../../gpu/gpu-test-utils';

const DEFAULTS = normalizerSettings(defaultConfig());
const CONVERGED: NormalizerSettings = { ...DEFAULTS, powerIterations: 300, bssnScale: 1.7, orthoBeta: 0.3 };

interface Case {
  label: string;
  shape: number[];
  /** Rank of the planted structure; undefined = full-rank noise plus a dominant rank-1 spike. */
  rank?: number;
}
const CASES: Case[] = [
  { label: 'conv 3x3 [3,3,8,4], K=72 > cout', shape: [3, 3, 8, 4] },
  { label: 'conv 3x3 [3,3,2,32], K=18 < cout', shape: [3, 3, 2, 32] },
  { label: 'conv 4x4 [4,4,3,8], K=48 > cout', shape: [4, 4, 3, 8] },
  { label: 'conv 4x4 [4,4,2,40], K=32 < cout', shape: [4, 4, 2, 40] },
  { label: 'conv 1x1 [1,1,6,16], K < cout', shape: [1, 1, 6, 16] },
  { label: 'conv 1x1 [1,1,16,6], K > cout', shape: [1, 1, 16, 6] },
  { label: 'dense [20,6]', shape: [20, 6] },
  { label: 'dense [5,12]', shape: [5, 12] },
  { label: 'conv 3x3 rank-deficient (rank 2)', shape: [3, 3, 6, 10], rank: 2 },
  { label: 'dense rank-deficient (rank 2)', shape: [10, 7], rank: 2 },
];

const worst = { bssnRelative: 0, bssnTopSingular: 0, wnRelative: 0, orthoPenaltyRelative: 0, orthoGradientRelative: 0 };
afterAll(() => console.info('normalizers-basic worst errors', JSON.stringify(worst)));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/**
 * Seeded weights in tfjs layout: Gaussian noise plus one dominant rank-1 tensor x_P (x) y_cin (x) z_cout
 * (blocks view [P, cin, cout]), or, for `rank`, only `rank` such tensors with weights 3, 1/2, 1/3, ... Rank-1 tensors
 * are rank-1 in both
 * BSSN matrices, so both get a spectral gap and power iteration converges within the test's budget.
 */
function plantedWeight(shape: number[], seed: number, rank?: number): Float32Array {
  const cout = shape[shape.length - 1];
  const cin = shape[shape.length - 2];
  const p = product(shape) / (cin * cout);
  const noise = rank === undefined ? seededNormals(product(shape), seed) : new Float64Array(product(shape));
  const terms = rank ?? 1;
  // A dominant spike: well above the noise's top singular value, about sqrt(rows) + sqrt(cols).
  const spike = rank === undefined ? 2 * (Math.sqrt(p * Math.max(cin, cout)) + Math.sqrt(Math.max(cin, cout))) : 3;
  for (let t = 0; t < terms; t++) {
    const [x, y, z] = [p, cin, cout].map((n, i) => unit(seededNormals(n, seed + 10 * t + i + 1)));
    const weight = t === 0 ? spike : 1 / (t + 1);
    for (let i = 0; i < p; i++)
      for (let j = 0; j < cin; j++)
        for (let k = 0; k < cout; k++) {
          noise[(i * cin + j) * cout + k] += weight * x[i] * y[j] * z[k];
        }
  }
  return Float32Array.from(noise);
}

const unit = (x: Float64Array) => x.map((value) => value / Math.hypot(...x));

/** The two BSSN matrices of a tfjs weight, in float64: A1 = [P*cin, cout] and B = [P*cout, cin]. */
function bssnMatrices(shape: number[], data: ArrayLike<number>): [Matrix, Matrix] {
  const cout = shape[shape.length - 1];
  const cin = shape[shape.length - 2];
  const p = product(shape) / (cin * cout);
  const a1 = new Matrix(p * cin, cout);
  const b = new Matrix(p * cout, cin);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < cin; j++)
      for (let k = 0; k < cout; k++) {
        const value = data[(i * cin + j) * cout + k];
        a1.set(i * cin + j, k, value);
        b.set(i * cout + k, j, value);
      }
  return [a1, b];
}

function topSingularValue(m: Matrix): number {
  return Math.max(...new SingularValueDecomposition(m, { autoTranspose: true }).diagonal);
}

/** max |actual - expected| / max |expected|. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

function layerOf(shape: number[]): LayerDescription {
  return { kind: shape.length === 2 ? 'dense' : 'conv', shape };
}

/** The effective weight after one D-update's worth of state advance, read back. */
async function effective(normalizer: LayerNormalizer, raw: tf.Variable): Promise<Float32Array> {
  normalizer.beforeDiscriminatorUpdate(raw);
  const weight = normalizer.effectiveWeight(raw);
  const data = (await weight.data()) as Float32Array;
  if (weight !== raw) weight.dispose();
  return data;
}

describe('BssnNormalizer', () => {
  it.each(CASES)('W_bar = c W / ((sigma1 + sigma2) / 2) with SVD sigmas, to 1e-4: $label', async ({ shape, rank }) => {
    const data = plantedWeight(shape, 7, rank);
    const [a1, b] = bssnMatrices(shape, data);
    const sigma1 = topSingularValue(a1);
    const meanSigma = (sigma1 + topSingularValue(b)) / 2;
    const expected = Array.from(data, (x) => (CONVERGED.bssnScale * x) / meanSigma);
    const raw = tf.variable(tf.tensor(data, shape));
    const normalizer = new BssnNormalizer(layerOf(shape), 3, CONVERGED);
    const actual = await effective(normalizer, raw);
    const error = relativeError(actual, expected);
    worst.bssnRelative = Math.max(worst.bssnRelative, error);
    expect(error).toBeLessThan(1e-4);
    // sigmaEstimate is sigma1, the sigma of the raw c_out x K matrix.
    expect(Math.abs((await normalizer.sigmaEstimate()!.data())[0] - sigma1) / sigma1).toBeLessThan(1e-4);
    // After an Adam-like step W changes: the mean sigma is recomputed from the same u, v (W scaled by 2).
    raw.assign(tf.mul(raw, 2));
    const afterStep = normalizer.effectiveWeight(raw);
    expect(relativeError(await afterStep.data(), expected)).toBeLessThan(1e-4);
    tf.dispose([raw, afterStep]);
    normalizer.dispose();
  });

  it.each(CASES.filter(({ shape }) => shape.length === 2 || product(shape.slice(0, -2)) === 1))(
    'dense and 1x1: the normalized weight has top singular value c: $label',
    async ({ shape, rank }) => {
      const raw = tf.variable(tf.tensor(plantedWeight(shape, 17, rank), shape));
      const normalizer = new BssnNormalizer(layerOf(shape), 5, CONVERGED);
      const [a1] = bssnMatrices(shape, await effective(normalizer, raw));
      const error = Math.abs(topSingularValue(a1) - CONVERGED.bssnScale) / CONVERGED.bssnScale;
      worst.bssnTopSingular = Math.max(worst.bssnTopSingular, error);
      expect(error).toBeLessThan(1e-4);
      raw.dispose();
      normalizer.dispose();
    },
  );

  it('hand-written gradient = autodiff of c W / ((v1^T A1 u1 + v2^T B u2) / 2), u and v constant', async () => {
    const shape = [3, 3, 5, 4];
    const [cout, cin, p] = [4, 5, 9];
    const w = tf.tensor(Float32Array.from(seededNormals(product(shape), 31)), shape);
    const r = tf.tensor(Float32Array.from(seededNormals(product(shape), 32)), shape);
    const u0 = tf.tensor1d(Float32Array.from(seededNormals(cout + cin, 33)));
    const state = bssnPowerIterationOps(w, u0, 3);
    const [u1, u2] = tf.split(state.u, [cout, cin]) as tf.Tensor1D[];
    const [v1, v2] = tf.split(state.v, [p * cin, p * cout]) as tf.Tensor1D[];
    const bilinear = (m: tf.Tensor, v: tf.Tensor1D, u: tf.Tensor1D) =>
      tf.sum(tf.mul(tf.matMul(m, tf.reshape(u, [-1, 1])), tf.reshape(v, [-1, 1])));
    const autodiffLoss = (x: tf.Tensor) => {
      const blocks = tf.reshape(x, [p, cin, cout]);
      const s1 = bilinear(tf.reshape(blocks, [p * cin, cout]), v1, u1);
      const s2 = bilinear(tf.reshape(tf.transpose(blocks, [0, 2, 1]), [p * cout, cin]), v2, u2);
      return tf.sum(tf.mul(r, tf.div(tf.mul(x, 1.7), tf.div(tf.add(s1, s2), 2))));
    };
    const handLoss = (x: tf.Tensor) => tf.sum(tf.mul(r, bssnNormalizedWeight(x, state.meanSigmaGradient, 1.7).weight));
    const expected = await tf.grad(autodiffLoss)(w).data();
    const actual = await tf.grad(handLoss)(w).data();
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(expected, Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([w, r, u0, u1, u2, v1, v2, ...Object.values(state)]);
  });

  it('keeps its state across setSettings, and applies the new c and iteration count', async () => {
    const shape = [3, 3, 4, 6];
    const data = plantedWeight(shape, 41);
    const [a1, b] = bssnMatrices(shape, data);
    const meanSigma = (topSingularValue(a1) + topSingularValue(b)) / 2;
    const raw = tf.variable(tf.tensor(data, shape));
    const normalizer = new BssnNormalizer(layerOf(shape), 3, CONVERGED);
    await effective(normalizer, raw);
    const sigmaTensor = normalizer.sigmaEstimate();
    normalizer.setSettings({ ...CONVERGED, powerIterations: 1, bssnScale: 0.5 });
    // One more iteration from the converged u stays converged; a fresh u after one would not.
    const actual = await effective(normalizer, raw);
    expect(
      relativeError(
        actual,
        Array.from(data, (x) => (0.5 * x) / meanSigma),
      ),
    ).toBeLessThan(1e-4);
    expect(normalizer.sigmaEstimate()).toBe(sigmaTensor);
    const fresh = new BssnNormalizer(layerOf(shape), 3, { ...CONVERGED, powerIterations: 1, bssnScale: 0.5 });
    expect(
      relativeError(
        await effective(fresh, raw),
        Array.from(data, (x) => (0.5 * x) / meanSigma),
      ),
    ).toBeGreaterThan(1e-3);
    tf.dispose(raw);
    normalizer.dispose();
    fresh.dispose();
  });
});

describe('WeightNormalizer', () => {
  it.each(CASES)('divides each output unit (column of A) by its norm, to 1e-4: $label', async ({ shape, rank }) => {
    const data = plantedWeight(shape, 51, rank);
    const cout = shape[shape.length - 1];
    const k = product(shape) / cout;
    const expected = new Float64Array(data.length);
    for (let c = 0; c < cout; c++) {
      let sum = 0;
      for (let r = 0; r < k; r++) sum += data[r * cout + c] ** 2;
      for (let r = 0; r < k; r++) expected[r * cout + c] = data[r * cout + c] / Math.sqrt(sum);
    }
    const raw = tf.variable(tf.tensor(data, shape));
    const actual = await effective(new WeightNormalizer(layerOf(shape), 0, DEFAULTS), raw);
    const error = relativeError(actual, expected);
    worst.wnRelative = Math.max(worst.wnRelative, error);
    expect(error).toBeLessThan(1e-4);
    for (let c = 0; c < cout; c++) {
      let sum = 0;
      for (let r = 0; r < k; r++) sum += actual[r * cout + c] ** 2;
      expect(Math.sqrt(sum)).toBeCloseTo(1, 5);
    }
    raw.dispose();
  });

  it('an all-zero output unit stays zero with a finite gradient', async () => {
    const raw = tf.variable(
      tf.tensor2d([
        [1, 0],
        [2, 0],
        [3, 0],
      ]),
    );
    const normalizer = new WeightNormalizer(layerOf([3, 2]), 0, DEFAULTS);
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(normalizer.effectiveWeight(x as tf.Variable)))(raw);
    expect(Array.from(await gradient.data()).every(Number.isFinite)).toBe(true);
    expect(Array.from(await effective(normalizer, raw)).filter((_, i) => i % 2 === 1)).toEqual([0, 0, 0]);
    tf.dispose([raw, gradient]);
  });
});

/** beta |A^T A - I|_F^2 in float64 by plain loops; A = [K, cout] row-major. */
function orthoPenaltyByHand(a: ArrayLike<number>, k: number, cout: number, beta: number): number {
  let total = 0;
  for (let i = 0; i < cout; i++)
    for (let j = 0; j < cout; j++) {
      let gram = 0;
      for (let r = 0; r < k; r++) gram += a[r * cout + i] * a[r * cout + j];
      total += (gram - (i === j ? 1 : 0)) ** 2;
    }
  return beta * total;
}

describe('OrthonormalRegularizer', () => {
  it.each(CASES)('penalty = beta |W W^T - I|_F^2, gradient = finite differences: $label', async ({ shape, rank }) => {
    // Scaled so W W^T is near I and the penalty is not dominated by one huge term.
    const data = plantedWeight(shape, 61, rank).map((x) => x / Math.sqrt(product(shape)));
    const cout = shape[shape.length - 1];
    const k = product(shape) / cout;
    const raw = tf.variable(tf.tensor(data, shape));
    const normalizer = new OrthonormalRegularizer(layerOf(shape), 0, CONVERGED);
    expect(normalizer.effectiveWeight(raw)).toBe(raw);
    const penalty = normalizer.penalty(raw);
    const expected = orthoPenaltyByHand(data, k, cout, CONVERGED.orthoBeta);
    const penaltyError = Math.abs((await penalty.data())[0] - expected) / expected;
    worst.orthoPenaltyRelative = Math.max(worst.orthoPenaltyRelative, penaltyError);
    expect(penaltyError).toBeLessThan(1e-4);

    const gradient = await tf
      .grad((x: tf.Tensor) => normalizer.penalty(x as tf.Variable))(raw)
      .data();
    const h = 1e-5;
    const finiteDifferences = Array.from(data, (_, i) => {
      const plus = Float64Array.from(data);
      const minus = Float64Array.from(data);
      plus[i] += h;
      minus[i] -= h;
      return (
        (orthoPenaltyByHand(plus, k, cout, CONVERGED.orthoBeta) -
          orthoPenaltyByHand(minus, k, cout, CONVERGED.orthoBeta)) /
        (2 * h)
      );
    });
    const gradientError = relativeError(gradient, finiteDifferences);
    worst.orthoGradientRelative = Math.max(worst.orthoGradientRelative, gradientError);
    expect(gradientError).toBeLessThan(1e-4);
    tf.dispose([raw, penalty]);
  });
});

describe('WeightClipper', () => {
  it('clips every element to [-c, c] after a D update and leaves in-range elements unchanged', async () => {
    const shape = [3, 3, 4, 5];
    const data = Float32Array.from(seededNormals(product(shape), 71), (x) => x * 0.02);
    const raw = tf.variable(tf.tensor(data, shape));
    const clipper = new WeightClipper(layerOf(shape), 0, DEFAULTS);
    expect(clipper.effectiveWeight(raw)).toBe(raw);
    clipper.afterDiscriminatorUpdate(raw, { gIteration: 0 });
    const clipped = await raw.data();
    const c = DEFAULTS.clipValue;
    expect(data.some((x) => Math.abs(x) > c) && data.some((x) => Math.abs(x) < c)).toBe(true);
    data.forEach((x, i) => expect(clipped[i]).toBe(Math.abs(x) <= c ? x : Math.sign(x) * Math.fround(c)));
    clipper.setSettings({ ...DEFAULTS, clipValue: 0.005 });
    clipper.afterDiscriminatorUpdate(raw, { gIteration: 1 });
    expect(Math.max(...Array.from(await raw.data(), Math.abs))).toBeCloseTo(0.005, 7);
    raw.dispose();
  });
});

describe('no tensor leaks', () => {
  const conv: LayerDescription = { kind: 'conv', shape: [3, 3, 4, 6] };
  const dense: LayerDescription = { kind: 'dense', shape: [12, 6] };
  const cases: Array<[string, LayerDescription, (layer: LayerDescription) => LayerNormalizer]> = [
    ['bssn conv', conv, (layer) => new BssnNormalizer(layer, 1, { ...CONVERGED, powerIterations: 2 })],
    ['bssn dense', dense, (layer) => new BssnNormalizer(layer, 1, { ...CONVERGED, powerIterations: 2 })],
    ['wn', conv, (layer) => new WeightNormalizer(layer, 1, DEFAULTS)],
    ['ortho', conv, (layer) => new OrthonormalRegularizer(layer, 1, DEFAULTS)],
    ['clip', conv, (layer) => new WeightClipper(layer, 1, DEFAULTS)],
  ];
  it.each(cases)('%s: numTensors flat over repeated D and G updates', async (_label, layer, make) => {
    const normalizer = make(layer);
    const raw = tf.variable(tf.randomNormal([...layer.shape], 0, 0.1, 'float32', 3));
    // The trainer's pattern: advance, gradient step through effectiveWeight + penalty, rewrite,
    // then a G-update-like forward with the changed W.
    const update = () => {
      normalizer.beforeDiscriminatorUpdate(raw);
      const { value, grads } = tf.variableGrads(() => {
        const penalty = normalizer.penalty(raw);
        const loss: tf.Scalar = tf.sum(tf.square(normalizer.effectiveWeight(raw)));
        return penalty ? tf.add(loss, penalty) : loss;
      }, [raw]);
      tf.tidy(() => {
        raw.assign(tf.sub(raw, tf.mul(grads[raw.name], 1e-3)));
      });
      tf.dispose([value, grads[raw.name]]);
      normalizer.afterDiscriminatorUpdate(raw, { gIteration: 0 });
      tf.tidy(() => {
        normalizer.effectiveWeight(raw);
      });
    };
    update(); // the first call may create lazily made state
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) update();
    expect(tf.memory().numTensors).toBe(before);
    raw.dispose();
    normalizer.dispose();
  });
});

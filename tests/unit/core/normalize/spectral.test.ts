import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { spectralNormalizedWeight, weightAsMatrix } from '../../../../src/core/kernels/power-iteration';
import { SpectralNormalizer } from '../../../../src/core/normalize/spectral';
import { normalizerSettings } from '../../../../src/core/normalize/settings';
import { defaultConfig } from '../../../../src/core/config/schema';

const DEFAULT_SETTINGS = normalizerSettings(defaultConfig());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  return (await tf.max(tf.abs(tf.sub(a, b))).data())[0];
}

describe('SpectralNormalizer (cpu backend, tfjs-ops twin)', () => {
  it(
    'after enough power iterations the normalized weight has top singular value 1 (an SVD, not ' +
      'power iteration, checks it)',
    async () => {
      const raw = tf.variable(tf.randomNormal([3, 3, 4, 6], 0, 0.5, 'float32', 11));
      const normalizer = new SpectralNormalizer({ kind: 'conv', shape: raw.shape }, 5, {
        ...DEFAULT_SETTINGS,
        powerIterations: 100,
      });
      normalizer.beforeDiscriminatorUpdate(raw);
      const weight = normalizer.effectiveWeight(raw);
      // tfjs layout [kh, kw, c_in, c_out] read row-major is W^T as [K, c_out]: the same singular values.
      const singular = (data: ArrayLike<number>) =>
        new SingularValueDecomposition(Matrix.from1DArray(36, 6, Array.from(data)), { autoTranspose: true }).diagonal;
      const before = singular(await raw.data());
      expect(singular(await weight.data())[0]).toBeCloseTo(1, 4);
      // The estimate is the largest singular value of the raw weight, far from its Frobenius norm here.
      expect((await normalizer.sigmaEstimate()!.data())[0] / before[0]).toBeCloseTo(1, 4);
      expect(Math.hypot(...before) / before[0]).toBeGreaterThan(1.5);
      tf.dispose([raw, weight]);
      normalizer.dispose();
    },
  );

  it('uses the power iteration sigma while W is unchanged and recomputes it after W changes', async () => {
    const raw = tf.variable(tf.randomNormal([8, 5], 0, 1, 'float32', 3));
    const normalizer = new SpectralNormalizer({ kind: 'dense', shape: raw.shape }, 5, DEFAULT_SETTINGS);
    expect(normalizer.sigmaEstimate()).toBeNull();
    normalizer.beforeDiscriminatorUpdate(raw);
    const sigma = (await normalizer.sigmaEstimate()!.data())[0];
    const before = normalizer.effectiveWeight(raw);
    expect(await maxAbsDifference(before, tf.div(raw, sigma))).toBeLessThan(1e-6);
    raw.assign(tf.mul(raw, 2)); // an optimizer step gives the variable new data
    const after = normalizer.effectiveWeight(raw);
    // sigma = v^T W u is linear in W, so doubling W leaves W / sigma unchanged.
    expect(await maxAbsDifference(after, before)).toBeLessThan(1e-5);
    tf.dispose([raw, before, after]);
    normalizer.dispose();
  });

  it('a known sigma gives the same weight and gradient as recomputing v^T W u', async () => {
    const w = tf.randomNormal([2, 2, 3, 4], 0, 1, 'float32', 21);
    const u = tf.randomNormal([4], 0, 1, 'float32', 22) as tf.Tensor1D;
    const v = tf.randomNormal([12], 0, 1, 'float32', 23) as tf.Tensor1D;
    const r = tf.randomNormal(w.shape, 0, 1, 'float32', 24);
    const sigma = tf.dot(v, tf.reshape(tf.matMul(weightAsMatrix(w), tf.reshape(u, [-1, 1])), [-1])) as tf.Scalar;
    const loss = (known?: tf.Scalar) => (x: tf.Tensor) =>
      tf.sum(tf.mul(spectralNormalizedWeight(x, u, v, known).weight, r));
    const recomputed = tf.grad(loss())(w);
    const withKnown = tf.grad(loss(sigma))(w);
    expect(await maxAbsDifference(recomputed, withKnown)).toBeLessThan(1e-6);
    expect((await tf.max(tf.abs(recomputed)).data())[0]).toBeGreaterThan(1e-3);
  });
});

/**
 * spectralNormalizedWeight on webgpu: W / sigma with sigma = v^T A u, u and v constant. The gradient
 * w.r.t. W is checked against central finite differences (float32, on the GPU) and against the closed
 * form in float64:  d/dW sum(R * W / sigma) = R / sigma - (sum(R * W) / sigma^2) * v u^T.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  powerIteration,
  powerIterationOps,
  spectralNormalizedWeight,
  weightAsMatrix,
} from '../../src/core/kernels/power-iteration';
import { seededNormals, seededUniform, withValidationScope } from './gpu-test-utils';

const SHAPES: Array<{ label: string; shape: number[] }> = [
  { label: 'conv [3,3,4,8]', shape: [3, 3, 4, 8] },
  { label: 'conv [2,2,3,16] (K=12 < cout)', shape: [2, 2, 3, 16] },
  { label: 'dense [16,24]', shape: [16, 24] },
];

const worst = { finiteDifferenceRelative: 0, closedFormRelative: 0 };
afterAll(() => {
  console.info('spectralNormalizedWeight worst errors', JSON.stringify(worst));
});

interface Problem {
  w: tf.Tensor;
  r: tf.Tensor;
  u: tf.Tensor1D;
  v: tf.Tensor1D;
}

/** W, a fixed random R for the loss sum(R * W / sigma), and u, v from a few power iterations. */
async function makeProblem(shape: number[], seed: number): Promise<Problem> {
  const size = shape.reduce((x, y) => x * y, 1);
  const w = tf.tensor(Float32Array.from(seededNormals(size, seed)), shape);
  const r = tf.tensor(Float32Array.from(seededNormals(size, seed + 1)), shape);
  const cout = shape[shape.length - 1];
  const u0 = tf.tensor1d(Float32Array.from(seededNormals(cout, seed + 2)));
  const a = weightAsMatrix(w);
  const { u, v, sigma } = powerIteration(a, u0, 5);
  tf.dispose([u0, a, sigma]);
  return { w, r, u, v };
}

function disposeProblem(problem: Problem): void {
  tf.dispose([problem.w, problem.r, problem.u, problem.v]);
}

function loss(w: tf.Tensor, problem: Problem): tf.Scalar {
  return tf.sum(tf.mul(spectralNormalizedWeight(w, problem.u, problem.v).weight, problem.r));
}

describe('spectralNormalizedWeight', () => {
  it.each(SHAPES)('returns W / sigma in the shape of W, with the power iteration sigma: $label', async ({ shape }) => {
    const problem = await makeProblem(shape, 100);
    const { result, error } = await withValidationScope(async () => {
      const { weight, sigma } = spectralNormalizedWeight(problem.w, problem.u, problem.v);
      // u, v from one more iteration of the same state give the same sigma definition, v^T A u'.
      const a = weightAsMatrix(problem.w);
      const again = powerIterationOps(a, problem.u, 1);
      const reference = spectralNormalizedWeight(problem.w, again.u, again.v);
      const out = {
        shape: weight.shape,
        weight: await weight.data(),
        w: await problem.w.data(),
        sigma: (await sigma.data())[0],
        referenceSigma: (await reference.sigma.data())[0],
        powerIterationSigma: (await again.sigma.data())[0],
      };
      tf.dispose([weight, sigma, a, again.u, again.v, again.sigma, reference.weight, reference.sigma]);
      return out;
    });
    expect(error).toBeNull();
    expect(result.shape).toEqual(shape);
    expect(result.referenceSigma).toBeCloseTo(result.powerIterationSigma, 4);
    for (let i = 0; i < result.w.length; i++) {
      expect(result.weight[i]).toBeCloseTo(result.w[i] / result.sigma, 5);
    }
    disposeProblem(problem);
  });

  it.each(SHAPES)(
    'gradient w.r.t. W matches central finite differences and the closed form: $label',
    async ({ shape }) => {
      const problem = await makeProblem(shape, 200);
      const gradient = tf.grad((w: tf.Tensor) => loss(w, problem))(problem.w);
      const analytic = await gradient.data();
      gradient.dispose();
      const wData = Float32Array.from(await problem.w.data());

      // Central differences in float32 on the GPU, at a handful of seeded entries.
      const step = 1e-2;
      const pick = seededUniform(7);
      const lossAt = async (data: Float32Array): Promise<number> => {
        const w = tf.tensor(data, shape);
        const value = loss(w, problem);
        const out = (await value.data())[0];
        tf.dispose([w, value]);
        return out;
      };
      for (let check = 0; check < 8; check++) {
        const index = Math.floor(pick() * wData.length);
        const plus = wData.slice();
        const minus = wData.slice();
        plus[index] += step;
        minus[index] -= step;
        const finiteDifference = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * step);
        // f32 loss rounding over ~hundreds of terms divided by 2*step dominates: ~1e-4 absolute.
        const error = Math.abs(finiteDifference - analytic[index]);
        worst.finiteDifferenceRelative = Math.max(
          worst.finiteDifferenceRelative,
          error / Math.max(Math.abs(analytic[index]), 1e-2),
        );
        expect(error).toBeLessThan(2e-3 + 1e-2 * Math.abs(analytic[index]));
      }

      // Closed form in float64 from the same float32 inputs, at every entry.
      const rData = await problem.r.data();
      const uData = await problem.u.data();
      const vData = await problem.v.data();
      const cout = shape[shape.length - 1];
      let sigma = 0;
      let weightedSum = 0;
      for (let i = 0; i < wData.length; i++) {
        sigma += vData[Math.floor(i / cout)] * wData[i] * uData[i % cout];
        weightedSum += rData[i] * wData[i];
      }
      let largest = 0;
      let maxError = 0;
      for (let i = 0; i < wData.length; i++) {
        const expected =
          rData[i] / sigma - (weightedSum / (sigma * sigma)) * vData[Math.floor(i / cout)] * uData[i % cout];
        largest = Math.max(largest, Math.abs(expected));
        maxError = Math.max(maxError, Math.abs(expected - analytic[i]));
      }
      worst.closedFormRelative = Math.max(worst.closedFormRelative, maxError / largest);
      expect(maxError / largest).toBeLessThan(1e-4);
      disposeProblem(problem);
    },
  );

  it('passes no gradient to u and v', async () => {
    const problem = await makeProblem([3, 3, 4, 8], 300);
    const f = (w: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(spectralNormalizedWeight(w, u as tf.Tensor1D, v as tf.Tensor1D).weight, problem.r));
    const [, du, dv] = tf.grads(f)([problem.w, problem.u, problem.v]);
    expect(Math.max(...(await du.abs().data()))).toBe(0);
    expect(Math.max(...(await dv.abs().data()))).toBe(0);
    tf.dispose([du, dv]);
    disposeProblem(problem);
  });

  it.each([
    { label: 'WGSL kernel', iterate: powerIteration },
    { label: 'tfjs-ops twin', iterate: powerIterationOps },
  ])('treats u, v as constants even when the $label runs inside the gradient tape', async ({ iterate }) => {
    const problem = await makeProblem([2, 2, 3, 16], 400);
    // u, v computed outside the tape: the reference gradient.
    const a = weightAsMatrix(problem.w);
    const outside = iterate(a, problem.u, 1);
    const reference = tf.grad((w: tf.Tensor) => loss(w, { ...problem, u: outside.u, v: outside.v }))(problem.w);
    // The same power iteration recorded on the tape, from the very W being differentiated.
    const inside = tf.grad((w: tf.Tensor) => {
      const { u, v } = iterate(weightAsMatrix(w), problem.u, 1);
      return loss(w, { ...problem, u, v });
    })(problem.w);
    const [expected, actual] = [await reference.data(), await inside.data()];
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], 5);
    tf.dispose([a, outside.u, outside.v, outside.sigma, reference, inside]);
    disposeProblem(problem);
  });

  it('does not leak tensors', async () => {
    const problem = await makeProblem([3, 3, 4, 8], 500);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const gradient = tf.grad((w: tf.Tensor) => loss(w, problem))(problem.w);
      gradient.dispose();
      const { weight, sigma } = spectralNormalizedWeight(problem.w, problem.u, problem.v);
      tf.dispose([weight, sigma]);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeProblem(problem);
  });
});

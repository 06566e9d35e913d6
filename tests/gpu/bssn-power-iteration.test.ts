/**
 * The WGSL BSSN power-iteration kernel (both matrices in one dispatch per half-iteration) on real
 * WebGPU (Dawn): against its tfjs-ops twin, against ml-matrix SVDs of both matrices, for leaks, and
 * with every first run inside a validation error scope. Also BssnNormalizer end to end on webgpu.
 */
import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  bssnPowerIteration,
  bssnPowerIterationOps,
  type BssnPowerIterationResult,
} from '../../src/core/kernels/bssn-power-iteration';
import { BSSN_POWER_ITERATION_KERNEL } from '../../src/core/kernels/bssn-power-iteration-webgpu';
import { BssnNormalizer } from '../../src/core/normalize/bssn';
import { maxAbsDifference, seededNormals, webgpuBackend, withValidationScope } from './gpu-test-utils';

/** tfjs conv shapes [kh, kw, cin, cout]; vec4 reads when cout % 4 == 0, scalar otherwise. */
const SHAPES: Array<{ label: string; shape: number[] }> = [
  { label: '3x3 [3,3,8,4]: cin > cout', shape: [3, 3, 8, 4] },
  { label: '3x3 [3,3,4,16]: cin < cout', shape: [3, 3, 4, 16] },
  { label: '4x4 [4,4,16,8]: cin > cout', shape: [4, 4, 16, 8] },
  { label: '4x4 [4,4,3,64]: cin < cout', shape: [4, 4, 3, 64] },
  { label: '3x3 [3,3,32,100]: partial workgroups', shape: [3, 3, 32, 100] },
  { label: '2x2 [2,2,70,12]: a workgroup straddles the halves', shape: [2, 2, 70, 12] },
  { label: '4x4 [4,4,6,3]: cout % 4 != 0, cin > cout', shape: [4, 4, 6, 3] },
  { label: '3x3 [3,3,5,7]: cout % 4 != 0, cin < cout', shape: [3, 3, 5, 7] },
  { label: '1x1 [1,1,16,8]', shape: [1, 1, 16, 8] },
];

const TWIN_TOLERANCE = 1e-5;
const SVD_RELATIVE_TOLERANCE = 1e-3;
const worst = {
  twinU: 0,
  twinV: 0,
  twinSigmaRelative: 0,
  twinGradient: 0,
  svdSigmaRelative: 0,
  svdGradient: 0,
  normalizer: 0,
};
afterAll(() => console.info('bssn-power-iteration worst errors', JSON.stringify(worst)));
afterEach(() => vi.restoreAllMocks());

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

function tensorFromSeed(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(Float32Array.from(seededNormals(product(shape), seed)), shape);
}

interface ReadBack {
  u: Float32Array;
  v: Float32Array;
  sigma: Float32Array;
  gradient: Float32Array;
}

/** Reads and disposes a result. */
async function readBack(result: BssnPowerIterationResult): Promise<ReadBack> {
  const { u, v, sigma, meanSigmaGradient } = result;
  const [uData, vData, sigmaData, gradient] = await Promise.all([
    u.data(),
    v.data(),
    sigma.data(),
    meanSigmaGradient.data(),
  ]);
  tf.dispose([u, v, sigma, meanSigmaGradient]);
  return {
    u: uData as Float32Array,
    v: vData as Float32Array,
    sigma: sigmaData as Float32Array,
    gradient: gradient as Float32Array,
  };
}

describe('bssnPowerIteration on webgpu', () => {
  it('runs through the WGSL kernel', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    const runKernel = vi.spyOn(tf.engine(), 'runKernel');
    const w = tensorFromSeed([3, 3, 2, 4], 1);
    const u = tensorFromSeed([6], 2) as tf.Tensor1D;
    const { error } = await withValidationScope(() => readBack(bssnPowerIteration(w, u, 1)));
    expect(error).toBeNull();
    expect(runKernel.mock.calls.map((call) => call[0])).toContain(BSSN_POWER_ITERATION_KERNEL);
    tf.dispose([w, u]);
  });

  it.each(SHAPES)('agrees with its tfjs-ops twin to 1e-5 for 1, 3 and 10 iterations: $label', async ({ shape }) => {
    const w = tensorFromSeed(shape, 11);
    const u = tensorFromSeed([shape[2] + shape[3]], 12) as tf.Tensor1D;
    const { error } = await withValidationScope(async () => {
      for (const iterations of [1, 3, 10]) {
        const kernel = await readBack(bssnPowerIteration(w, u, iterations));
        const twin = await readBack(bssnPowerIterationOps(w, u, iterations));
        const errors = {
          u: maxAbsDifference(kernel.u, twin.u),
          v: maxAbsDifference(kernel.v, twin.v),
          sigma: Math.max(...[0, 1].map((i) => Math.abs(kernel.sigma[i] - twin.sigma[i]) / twin.sigma[i])),
          gradient: maxAbsDifference(kernel.gradient, twin.gradient),
        };
        worst.twinU = Math.max(worst.twinU, errors.u);
        worst.twinV = Math.max(worst.twinV, errors.v);
        worst.twinSigmaRelative = Math.max(worst.twinSigmaRelative, errors.sigma);
        worst.twinGradient = Math.max(worst.twinGradient, errors.gradient);
        expect(kernel.u.length).toBe(shape[2] + shape[3]);
        expect(kernel.v.length).toBe(product(shape.slice(0, 2)) * (shape[2] + shape[3]));
        expect(kernel.gradient.length).toBe(product(shape));
        expect(errors.u).toBeLessThan(TWIN_TOLERANCE);
        expect(errors.v).toBeLessThan(TWIN_TOLERANCE);
        expect(errors.sigma).toBeLessThan(TWIN_TOLERANCE);
        expect(errors.gradient).toBeLessThan(TWIN_TOLERANCE);
      }
    });
    expect(error).toBeNull();
    tf.dispose([w, u]);
  });
});

/**
 * Seeded noise plus a rank-1 tensor x_P (x) y_cin (x) z_cout above the noise level: rank-1 in both
 * BSSN matrices, so both have a spectral gap and 200 iterations converge.
 */
function plantedWeight(shape: number[], seed: number): Float32Array {
  const [cin, cout] = [shape[2], shape[3]];
  const p = shape[0] * shape[1];
  const data = seededNormals(product(shape), seed);
  const unit = (x: Float64Array) => x.map((value) => value / Math.hypot(...x));
  const [x, y, z] = [p, cin, cout].map((n, i) => unit(seededNormals(n, seed + i + 1)));
  const spike = 1.5 * (Math.sqrt(p * Math.max(cin, cout)) + Math.sqrt(Math.max(cin, cout)));
  for (let i = 0; i < p; i++)
    for (let j = 0; j < cin; j++)
      for (let k = 0; k < cout; k++) {
        data[(i * cin + j) * cout + k] += spike * x[i] * y[j] * z[k];
      }
  return Float32Array.from(data);
}

/** A1 = [P*cin, cout] and B = [P*cout, cin] of the blocks view, in float64. */
function bssnMatrices(shape: number[], data: ArrayLike<number>): [Matrix, Matrix] {
  const [cin, cout] = [shape[2], shape[3]];
  const p = shape[0] * shape[1];
  const a1 = new Matrix(p * cin, cout);
  const b = new Matrix(p * cout, cin);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < cin; j++)
      for (let k = 0; k < cout; k++) {
        a1.set(i * cin + j, k, data[(i * cin + j) * cout + k]);
        b.set(i * cout + k, j, data[(i * cin + j) * cout + k]);
      }
  return [a1, b];
}

describe('bssnPowerIteration converges to both top singular values (ml-matrix SVD)', () => {
  it.each(SHAPES)(
    'sigma1, sigma2 within 1e-3 and the mean-sigma gradient after 200 iterations: $label',
    async ({ shape }) => {
      const data = plantedWeight(shape, 41);
      const svds = bssnMatrices(shape, data).map((m) => new SingularValueDecomposition(m, { autoTranspose: true }));
      const w = tf.tensor(data, shape);
      const u = tensorFromSeed([shape[2] + shape[3]], 42) as tf.Tensor1D;
      const { result, error } = await withValidationScope(() => readBack(bssnPowerIteration(w, u, 200)));
      expect(error).toBeNull();
      svds.forEach((svd, i) => {
        const relative = Math.abs(result.sigma[i] - svd.diagonal[0]) / svd.diagonal[0];
        worst.svdSigmaRelative = Math.max(worst.svdSigmaRelative, relative);
        expect(relative).toBeLessThan(SVD_RELATIVE_TOLERANCE);
      });
      // (left1 right1^T + T(left2 right2^T)) / 2 from the top singular vectors: the signs cancel.
      const [cin, cout] = [shape[2], shape[3]];
      const [first, second] = svds.map((svd) => [
        svd.leftSingularVectors.getColumn(0),
        svd.rightSingularVectors.getColumn(0),
      ]);
      const expected = Array.from(data, (_, index) => {
        const [row, co] = [Math.floor(index / cout), index % cout];
        const [p, ci] = [Math.floor(row / cin), row % cin];
        return 0.5 * (first[0][row] * first[1][co] + second[0][p * cout + co] * second[1][ci]);
      });
      const gradientError = maxAbsDifference(result.gradient, expected);
      worst.svdGradient = Math.max(worst.svdGradient, gradientError);
      expect(gradientError).toBeLessThan(1e-3);
      tf.dispose([w, u]);
    },
  );
});

describe('BssnNormalizer on webgpu', () => {
  it('gives the same weight and gradient as on cpu', async () => {
    const shape = [3, 3, 6, 8];
    const data = plantedWeight(shape, 51);
    const r = Float32Array.from(seededNormals(product(shape), 52));
    const settings = {
      powerIterations: 5,
      bssnScale: 1.3,
      srFraction: 0.5,
      srEvery: 5,
      orthoBeta: 1e-4,
      clipValue: 0.01,
      srLayers: 'conv' as const,
      powerWarmup: 0,
    };
    const run = async () => {
      const raw = tf.variable(tf.tensor(data, shape));
      const rTensor = tf.tensor(r, shape);
      const normalizer = new BssnNormalizer({ kind: 'conv', shape }, 7, settings);
      normalizer.beforeDiscriminatorUpdate(raw);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(normalizer.effectiveWeight(raw), rTensor)), [raw]);
      const out = [...(await value.data()), ...(await grads[raw.name].data())];
      tf.dispose([raw, rTensor, value, grads[raw.name]]);
      normalizer.dispose();
      return out;
    };
    const { result: onGpu, error } = await withValidationScope(run);
    expect(error).toBeNull();
    await tf.setBackend('cpu');
    try {
      const onCpu = await run();
      const difference = maxAbsDifference(onGpu, onCpu) / Math.max(...onCpu.map(Math.abs));
      worst.normalizer = difference;
      expect(difference).toBeLessThan(1e-4);
    } finally {
      await tf.setBackend('webgpu');
    }
  });
});

describe('bssnPowerIteration frees what it allocates', () => {
  it('keeps numTensors and the backend data count flat over 20 calls', async () => {
    const w = tensorFromSeed([3, 3, 8, 16], 61);
    const u = tensorFromSeed([24], 62) as tf.Tensor1D;
    const backend = webgpuBackend();
    await readBack(bssnPowerIteration(w, u, 3)); // warm-up: pipelines, buffer pool
    const tensorsBefore = tf.memory().numTensors;
    const dataIdsBefore = backend.numDataIds();
    let persistentU = tf.clone(u);
    for (let call = 0; call < 10; call++) {
      const result = bssnPowerIteration(w, persistentU, 3);
      tf.dispose([persistentU, result.v, result.sigma, result.meanSigmaGradient]);
      persistentU = result.u;
    }
    for (let call = 0; call < 10; call++) {
      tf.tidy(() => {
        bssnPowerIteration(w, u, 2);
      });
    }
    await persistentU.data(); // flushes the queue and the frees deferred until submission
    persistentU.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(dataIdsBefore);
    tf.dispose([w, u]);
  });
});

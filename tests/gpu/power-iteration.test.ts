/**
 * The WGSL power-iteration kernel on real WebGPU (Dawn): against its tfjs-ops twin, against an SVD,
 * for leaks, and with every first run inside a validation error scope.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  powerIteration,
  powerIterationOps,
  weightAsMatrix,
  type PowerIterationResult,
} from '../../src/core/kernels/power-iteration';
import { SPECTRAL_POWER_ITERATION_KERNEL } from '../../src/core/kernels/power-iteration-webgpu';
import {
  matrixWithSpectralGap,
  maxAbsDifference,
  seededNormals,
  toFloat32,
  webgpuBackend,
  withValidationScope,
} from './gpu-test-utils';

/**
 * tfjs weight shapes; A = [K, cout] with K = product of all but the last dimension. Both kernel
 * widths are covered: vec4 when cout % 4 == 0, scalar otherwise.
 */
const WEIGHT_SHAPES: Array<{ label: string; shape: number[] }> = [
  { label: 'conv [3,3,3,64]: K=27 < cout=64', shape: [3, 3, 3, 64] },
  { label: 'conv [4,4,64,64]: K=1024 > cout=64', shape: [4, 4, 64, 64] },
  { label: 'conv [1,1,16,8]: K=16 > cout=8', shape: [1, 1, 16, 8] },
  { label: 'conv [3,3,32,100]: partial workgroups both ways', shape: [3, 3, 32, 100] },
  { label: 'dense [128,1]: one column', shape: [128, 1] },
  { label: 'dense [1,32]: one row', shape: [1, 32] },
  { label: 'dense [300,130]: cout % 4 != 0', shape: [300, 130] },
  { label: 'conv [4,4,8,3]: cout = 3', shape: [4, 4, 8, 3] },
];

const TWIN_TOLERANCE = 1e-5;
const SVD_RELATIVE_TOLERANCE = 1e-3;

/** Largest errors seen, printed at the end so the numbers can be reported. */
const worst = { twinU: 0, twinV: 0, twinSigmaRelative: 0, svdSigmaRelative: 0, svdVectorAngle: 0 };

afterAll(() => {
  console.info('power-iteration worst errors', JSON.stringify(worst));
});

function matrixFromSeed(shape: number[], seed: number): tf.Tensor2D {
  const size = shape.reduce((x, y) => x * y, 1);
  return weightAsMatrix(tf.tensor(Float32Array.from(seededNormals(size, seed)), shape));
}

function vectorFromSeed(length: number, seed: number): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(seededNormals(length, seed)));
}

interface ReadBack {
  u: Float32Array;
  v: Float32Array;
  sigma: number;
}

/** Reads and disposes a result. */
async function readBack(result: PowerIterationResult): Promise<ReadBack> {
  const [u, v, sigma] = await Promise.all([result.u.data(), result.v.data(), result.sigma.data()]);
  tf.dispose([result.u, result.v, result.sigma]);
  return { u: u as Float32Array, v: v as Float32Array, sigma: sigma[0] };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('powerIteration on webgpu', () => {
  it('runs on the webgpu backend, through the WGSL kernel', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    const runKernel = vi.spyOn(tf.engine(), 'runKernel');
    const a = matrixFromSeed([8, 4], 1);
    const u = vectorFromSeed(4, 2);
    const { error } = await withValidationScope(() => readBack(powerIteration(a, u, 1)));
    expect(error).toBeNull();
    expect(runKernel.mock.calls.map((call) => call[0])).toContain(SPECTRAL_POWER_ITERATION_KERNEL);
    tf.dispose([a, u]);
  });

  it.each(WEIGHT_SHAPES)(
    'agrees with its tfjs-ops twin to 1e-5 for 1, 3 and 10 iterations: $label',
    async ({ shape }) => {
      const a = matrixFromSeed(shape, 11);
      const u = vectorFromSeed(a.shape[1], 12);
      // The first run of each program shape happens here, inside the scope.
      const { error } = await withValidationScope(async () => {
        for (const iterations of [1, 3, 10]) {
          const kernel = await readBack(powerIteration(a, u, iterations));
          const twin = await readBack(powerIterationOps(a, u, iterations));
          const uError = maxAbsDifference(kernel.u, twin.u);
          const vError = maxAbsDifference(kernel.v, twin.v);
          const sigmaError = Math.abs(kernel.sigma - twin.sigma) / Math.abs(twin.sigma);
          worst.twinU = Math.max(worst.twinU, uError);
          worst.twinV = Math.max(worst.twinV, vError);
          worst.twinSigmaRelative = Math.max(worst.twinSigmaRelative, sigmaError);
          expect(kernel.u.length).toBe(a.shape[1]);
          expect(kernel.v.length).toBe(a.shape[0]);
          expect(uError).toBeLessThan(TWIN_TOLERANCE);
          expect(vError).toBeLessThan(TWIN_TOLERANCE);
          expect(sigmaError).toBeLessThan(TWIN_TOLERANCE);
          expect(kernel.sigma).toBeGreaterThan(0);
        }
      });
      expect(error).toBeNull();
      tf.dispose([a, u]);
    },
  );

  it('returns a scalar sigma and unit u, v', async () => {
    const a = matrixFromSeed([3, 3, 8, 16], 21);
    const u = vectorFromSeed(16, 22);
    const result = powerIteration(a, u, 2);
    expect(result.sigma.shape).toEqual([]);
    expect(result.u.shape).toEqual([16]);
    expect(result.v.shape).toEqual([72]);
    const { u: uData, v: vData } = await readBack(result);
    const norm = (x: Float32Array) => Math.hypot(...x);
    expect(norm(uData)).toBeCloseTo(1, 5);
    expect(norm(vData)).toBeCloseTo(1, 5);
    tf.dispose([a, u]);
  });

  it('rejects a u of the wrong length and a non-positive iteration count', () => {
    const a = matrixFromSeed([6, 4], 31);
    const wrongU = vectorFromSeed(6, 32);
    const u = vectorFromSeed(4, 33);
    expect(() => powerIteration(a, wrongU, 1)).toThrow(/u \[cout\]/);
    expect(() => powerIteration(a, u, 0)).toThrow(/iterations/);
    tf.dispose([a, wrongU, u]);
  });
});

describe('powerIteration converges to the largest singular value (ml-matrix SVD)', () => {
  const ITERATIONS = 200;
  // s1 = 1.2 s2: the error in u shrinks by (1/1.2)^2 per iteration, to ~1e-32 after 200.
  const GAP_RATIO = 1.2;

  it.each(WEIGHT_SHAPES)('sigma within 1e-3 relative after 200 iterations: $label', async ({ shape }) => {
    const cout = shape[shape.length - 1];
    const rows = shape.reduce((x, y) => x * y, 1) / cout;
    const data = toFloat32(matrixWithSpectralGap(rows, cout, GAP_RATIO, 41));
    // Reference from the float32-rounded matrix the GPU actually sees.
    const reference = new SingularValueDecomposition(Matrix.from1DArray(rows, cout, Array.from(data)), {
      autoTranspose: true,
    });
    const a = weightAsMatrix(tf.tensor(data, shape));
    const u = vectorFromSeed(cout, 42);
    const { result, error } = await withValidationScope(() => readBack(powerIteration(a, u, ITERATIONS)));
    expect(error).toBeNull();

    const sigmaRelative = Math.abs(result.sigma - reference.diagonal[0]) / reference.diagonal[0];
    // u and v are the top right and left singular vectors up to a shared sign.
    const topRight = reference.rightSingularVectors.getColumn(0);
    const topLeft = reference.leftSingularVectors.getColumn(0);
    const cosU = Math.abs(topRight.reduce((sum, x, i) => sum + x * result.u[i], 0));
    const cosV = Math.abs(topLeft.reduce((sum, x, i) => sum + x * result.v[i], 0));
    worst.svdSigmaRelative = Math.max(worst.svdSigmaRelative, sigmaRelative);
    worst.svdVectorAngle = Math.max(worst.svdVectorAngle, 1 - cosU, 1 - cosV);
    expect(sigmaRelative).toBeLessThan(SVD_RELATIVE_TOLERANCE);
    expect(1 - cosU).toBeLessThan(1e-4);
    expect(1 - cosV).toBeLessThan(1e-4);
    tf.dispose([a, u]);
  });
});

describe('powerIteration frees what it allocates', () => {
  it('keeps numTensors and the backend data count flat over 20 calls', async () => {
    const a = matrixFromSeed([3, 3, 16, 32], 51);
    const u = vectorFromSeed(32, 52);
    const backend = webgpuBackend();
    // Warm up (pipelines, buffer pool), then flush so deferred frees have happened.
    await readBack(powerIteration(a, u, 3));
    const tensorsBefore = tf.memory().numTensors;
    const dataIdsBefore = backend.numDataIds();

    let persistentU = tf.clone(u);
    for (let call = 0; call < 10; call++) {
      // The training-loop pattern: replace the persistent u, dispose the rest.
      const result = powerIteration(a, persistentU, 3);
      tf.dispose([persistentU, result.v, result.sigma]);
      persistentU = result.u;
    }
    for (let call = 0; call < 10; call++) {
      tf.tidy(() => {
        powerIteration(a, u, 2);
      });
    }
    await persistentU.data(); // flushes the queue, releasing frees deferred until submission
    persistentU.dispose();

    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(dataIdsBefore);
    tf.dispose([a, u]);
  });
});

/** A program with a WGSL type error, to show that the scope used above does catch errors. */
class BrokenProgram implements WebGPUProgram {
  variableNames = ['x'];
  outputShape = [4];
  shaderKey = 'power_iteration_test_broken_wgsl';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number] = [1, 1, 1];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  getUserCode(): string {
    return `fn main(index : i32) { let wrong : i32 = 1.5; setOutputAtIndex(index, x[index]); }`;
  }
}

describe('validation error scope', () => {
  it('reports a WGSL error that tfjs itself swallows (negative control)', async () => {
    const backend = webgpuBackend();
    const x = tf.tensor1d([1, 2, 3, 4]);
    await x.data(); // start from an empty queue so the dropped batch holds only this program
    const { error } = await withValidationScope(async () => {
      const info = backend.runWebGPUProgram(new BrokenProgram(), [x], 'float32');
      const output = tf.engine().makeTensorFromTensorInfo(info);
      await output.data(); // no exception here: tfjs hands back whatever the buffer held
      output.dispose();
    });
    expect(error).not.toBeNull();
    x.dispose();
  });
});

describe('powerIteration off webgpu', () => {
  it('uses the tfjs-ops twin on cpu and agrees with the WGSL result', async () => {
    const shape = [3, 3, 4, 8];
    const a = matrixFromSeed(shape, 61);
    const u = vectorFromSeed(8, 62);
    const onWebGPU = await readBack(powerIteration(a, u, 4));
    const aData = await a.data();
    const uData = await u.data();
    tf.dispose([a, u]);

    const runKernel = vi.spyOn(tf.engine(), 'runKernel');
    await tf.setBackend('cpu');
    try {
      const aCpu = tf.tensor2d(aData as Float32Array, [36, 8]);
      const uCpu = tf.tensor1d(uData as Float32Array);
      const onCpu = await readBack(powerIteration(aCpu, uCpu, 4));
      tf.dispose([aCpu, uCpu]);
      expect(runKernel.mock.calls.map((call) => call[0])).not.toContain(SPECTRAL_POWER_ITERATION_KERNEL);
      expect(maxAbsDifference(onCpu.u, onWebGPU.u)).toBeLessThan(TWIN_TOLERANCE);
      expect(maxAbsDifference(onCpu.v, onWebGPU.v)).toBeLessThan(TWIN_TOLERANCE);
      expect(Math.abs(onCpu.sigma - onWebGPU.sigma) / onWebGPU.sigma).toBeLessThan(TWIN_TOLERANCE);
    } finally {
      await tf.setBackend('webgpu');
    }
    expect(tf.getBackend()).toBe('webgpu');
  });
});

/**
 * The WGSL Jacobi kernel's two paths on real WebGPU (Dawn): the one-workgroup path (n <= 128, all
 * sweeps in one dispatch plus a copy-out) and the per-round path (n > 128), against the tfjs-ops twin,
 * against each other (same rotations, same bits), against the decomposition they promise
 * (T_0 = Q diag(T') Q^T), their dispatch counts, and leaks. Every first run sits in a validation scope.
 * tests/gpu/spectral-regularization.test.ts covers SR through the kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  jacobiRoundsPerSweep,
  jacobiSweeps,
  jacobiSweepsOps,
  symmetricJacobi,
} from '../../src/core/kernels/jacobi-rotation';
import { JACOBI_ONE_WORKGROUP_MAX_N, jacobiSweepsWebGPU } from '../../src/core/kernels/jacobi-rotation-webgpu';
import { seededNormals } from '../fixtures/sr-reference';
import { maxAbsDifference, webgpuBackend, withValidationScope } from './gpu-test-utils';

const worst = { vsTwin: 0, pathsDiffer: 0, reconstruction: 0, offDiagonal: 0 };

afterAll(() => {
  console.info('jacobi-rotation (webgpu) worst errors', JSON.stringify(worst));
});

/** The state [T; Q] for a seeded symmetric T (Q = I, or a seeded Q to exercise the Q rows fully). */
function jacobiState(n: number, seed: number, randomQ: boolean): tf.Tensor2D {
  const b = seededNormals(n * n, seed);
  const t = Float32Array.from({ length: n * n }, (_, i) => (b[i] + b[(i % n) * n + Math.floor(i / n)]) / 2);
  const q = randomQ
    ? Float32Array.from(seededNormals(n * n, seed + 1))
    : Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  return tf.tensor2d(Float32Array.from([...t, ...q]), [2 * n, n]);
}

/** Calls of GPUComputePassEncoder.dispatchWorkgroups (found on a real pass's prototype chain) during fn. */
function countDispatches(fn: () => void): number {
  const encoder = webgpuBackend().device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  let owner = Object.getPrototypeOf(pass) as object | null;
  pass.end();
  encoder.finish();
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'dispatchWorkgroups')) {
    owner = Object.getPrototypeOf(owner) as object | null;
  }
  if (!owner) throw new Error('no dispatchWorkgroups on the compute pass prototype chain');
  const original = Object.getOwnPropertyDescriptor(owner, 'dispatchWorkgroups');
  const dispatch = original?.value as (...args: unknown[]) => unknown;
  let count = 0;
  Object.defineProperty(owner, 'dispatchWorkgroups', {
    ...original,
    value(this: unknown, ...args: unknown[]) {
      count++;
      return dispatch.apply(this, args);
    },
  });
  try {
    fn();
  } finally {
    Object.defineProperty(owner, 'dispatchWorkgroups', original as PropertyDescriptor);
  }
  return count;
}

/** Sweeps for the comparisons: two where it is cheap (the round index wraps), one at the large sizes. */
const sweepsFor = (n: number) => (n <= 64 ? 2 : 1);

describe('Jacobi WGSL kernel: one workgroup per call for n <= 128, per round above', () => {
  it.each([2, 3, 17, 64, 128, 129])('agrees with the twin to 1e-5, n=%i', async (n) => {
    const state = jacobiState(n, 100 + n, true);
    const scale = (await tf.max(tf.abs(state)).data())[0];
    const sweeps = sweepsFor(n);
    const twin = jacobiSweepsOps(state, sweeps);
    const twinData = await twin.data();
    const { error } = await withValidationScope(async () => {
      const kernel = jacobiSweeps(state, sweeps);
      const difference = maxAbsDifference(await kernel.data(), twinData) / scale;
      worst.vsTwin = Math.max(worst.vsTwin, difference);
      expect(difference).toBeLessThan(1e-5);
      kernel.dispose();
    });
    expect(error).toBeNull();
    tf.dispose([state, twin]);
  });

  it.each([3, 17, 64, 128])('gives the per-round path bit for bit, n=%i', async (n) => {
    const state = jacobiState(n, 200 + n, true);
    const { error } = await withValidationScope(async () => {
      const oneWorkgroup = jacobiSweepsWebGPU(state, 3);
      const perRound = jacobiSweepsWebGPU(state, 3, { perRound: true });
      const difference = maxAbsDifference(await oneWorkgroup.data(), await perRound.data());
      worst.pathsDiffer = Math.max(worst.pathsDiffer, difference);
      expect(difference).toBe(0);
      tf.dispose([oneWorkgroup, perRound]);
    });
    expect(error).toBeNull();
    state.dispose();
  });

  it.each([64, 128])("diagonalizes T in 8 sweeps: T = Q diag(T') Q^T, n=%i", async (n) => {
    const state = jacobiState(n, 300 + n, false);
    const t = tf.slice(state, [0, 0], [n, n]);
    const { rotated, rotation } = symmetricJacobi(t, 8);
    const [t0, d, q] = [await t.data(), await rotated.data(), await rotation.data()];
    const scale = Math.max(...Array.from(t0, Math.abs));
    let offDiagonal = 0;
    let reconstruction = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i !== j) offDiagonal = Math.max(offDiagonal, Math.abs(d[i * n + j]));
        let sum = 0;
        for (let k = 0; k < n; k++) sum += q[i * n + k] * d[k * n + k] * q[j * n + k];
        reconstruction = Math.max(reconstruction, Math.abs(sum - t0[i * n + j]));
      }
    }
    worst.offDiagonal = Math.max(worst.offDiagonal, offDiagonal / scale);
    worst.reconstruction = Math.max(worst.reconstruction, reconstruction / scale);
    expect(offDiagonal / scale).toBeLessThan(1e-5);
    expect(reconstruction / scale).toBeLessThan(1e-4);
    tf.dispose([state, t, rotated, rotation]);
  });

  it.each([
    { n: 2, sweeps: 6, expected: 2 },
    { n: 64, sweeps: 6, expected: 2 },
    { n: JACOBI_ONE_WORKGROUP_MAX_N, sweeps: 6, expected: 2 },
    { n: 129, sweeps: 1, expected: jacobiRoundsPerSweep(129) },
  ])('dispatches $expected times for n=$n, $sweeps sweeps', async ({ n, sweeps, expected }) => {
    const state = jacobiState(n, 400 + n, false);
    let out: tf.Tensor2D | undefined;
    expect(countDispatches(() => (out = jacobiSweeps(state, sweeps)))).toBe(expected);
    await out?.data();
    tf.dispose([state, out as tf.Tensor2D]);
  });

  it('dispatches once per round on the per-round path (n=64, 6 sweeps)', async () => {
    const state = jacobiState(64, 500, false);
    let out: tf.Tensor2D | undefined;
    expect(countDispatches(() => (out = jacobiSweepsWebGPU(state, 6, { perRound: true })))).toBe(6 * 63);
    await out?.data();
    tf.dispose([state, out as tf.Tensor2D]);
  });

  it.each([17, 129])('keeps numTensors and the backend data count flat over repeated calls, n=%i', async (n) => {
    const state = jacobiState(n, 600 + n, false);
    const t = tf.slice(state, [0, 0], [n, n]);
    const backend = webgpuBackend();
    const call = async () => {
      const out = jacobiSweeps(state, 2);
      const { rotated, rotation } = symmetricJacobi(t, 2);
      await rotation.data();
      tf.dispose([out, rotated, rotation]);
    };
    await call();
    const [tensors, dataIds] = [tf.memory().numTensors, backend.numDataIds()];
    for (let i = 0; i < 3; i++) await call();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(dataIds);
    tf.dispose([state, t]);
  });
});

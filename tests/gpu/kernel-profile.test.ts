/**
 * The kernel profiler of `npm run bench:dispatches` on real WebGPU (Dawn, 'timestamp-query'): GPU
 * time per tfjs kernel from tf.profile, none for a kernel that records no program, no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendHasTimestamps, profileKernels } from '../../src/bench/kernel-profile';
import { dispatchEverySmallOp } from './gpu-test-utils';

dispatchEverySmallOp();

describe('profileKernels on webgpu', () => {
  it('has GPU timestamps on this backend', () => {
    expect(backendHasTimestamps()).toBe(true);
  });

  it('times a 256x256 matMul as one BatchMatMul call with a finite positive GPU time', async () => {
    const a = tf.randomNormal([256, 256], 0, 1, 'float32', 1);
    const b = tf.randomNormal([256, 256], 0, 1, 'float32', 2);
    await Promise.all([a.data(), b.data()]);
    const tensorsBefore = tf.memory().numTensors;
    const profile = await profileKernels(async () => {
      const product = tf.matMul(a, b);
      await product.data();
      product.dispose();
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const matMul = profile.byKernel.BatchMatMul;
    expect(matMul?.calls).toBe(1);
    expect(matMul?.timedPrograms).toBe(1);
    expect(Number.isFinite(matMul?.gpuMs)).toBe(true);
    expect(matMul?.gpuMs).toBeGreaterThan(0);
    expect(matMul?.scope).toBeUndefined();
    expect(profile.gpuMs).toBeCloseTo(matMul?.gpuMs ?? Number.NaN, 9);
    expect(profile.timestamps).toBe(true);
    expect(profile.wallMs).toBeGreaterThan(0);
    tf.dispose([a, b]);
  });

  it('reports no GPU time for a Reshape', async () => {
    const a = tf.tensor1d([1, 2, 3, 4]);
    const tensorsBefore = tf.memory().numTensors;
    const profile = await profileKernels(() => tf.reshape(a, [2, 2]).dispose());
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(profile.byKernel).toEqual({ Reshape: { calls: 1, timedPrograms: 0 } });
    expect(profile.gpuMs).toBe(0);
    a.dispose();
  });

  it('lists the kernels a gradient runs, each timed on its own, without double counting', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const tensorsBefore = tf.memory().numTensors;
    const profile = await profileKernels(async () => {
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.square(v)))(x);
      await dx.data();
      dx.dispose();
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // Each timed: a program with a timestamp and a time. On a software GPU a 3-element kernel can
    // take less than the timestamps' resolution, so 0 ms is a measurement too (CI, 2026-12-06).
    for (const name of ['Square', 'Sum', 'Multiply']) {
      expect(profile.byKernel[name]?.timedPrograms).toBeGreaterThan(0);
      expect(profile.byKernel[name]?.gpuMs).toBeGreaterThanOrEqual(0);
    }
    const summed = Object.values(profile.byKernel).reduce((sum, k) => sum + (k.gpuMs ?? 0), 0);
    expect(profile.gpuMs).toBeCloseTo(summed, 9);
    x.dispose();
  });
});

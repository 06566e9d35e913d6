/**
 * The dispatch counter of `npm run bench:dispatches` on real WebGPU (Dawn): exact counts of
 * dispatchWorkgroups calls, their attribution to the tfjs kernel that issued them (stock kernels,
 * gradients, this project's WGSL kernels), and a clean uninstall.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DispatchCounter,
  OUTSIDE_KERNELS,
  computePassPrototype,
  countDispatches,
  type DispatchCount,
} from '../../src/bench/dispatch-count';
import { powerIteration } from '../../src/core/kernels/power-iteration';
import { SPECTRAL_POWER_ITERATION_KERNEL } from '../../src/core/kernels/power-iteration-webgpu';
import { dispatchEverySmallOp, webgpuBackend } from './gpu-test-utils';

dispatchEverySmallOp();

afterEach(() => {
  expect(Object.prototype.hasOwnProperty.call(tf.engine(), 'runKernelFunc'), 'engine left patched').toBe(false);
});

function dispatchDescriptor(): PropertyDescriptor | undefined {
  return Object.getOwnPropertyDescriptor(computePassPrototype(webgpuBackend().device), 'dispatchWorkgroups');
}

/** The per-kernel dispatches add up to the total. */
function expectConsistent(count: DispatchCount): void {
  const byKernel = Object.values(count.byKernel);
  expect(byKernel.reduce((sum, tally) => sum + tally.dispatches, 0)).toBe(count.dispatches);
  expect(byKernel.reduce((sum, tally) => sum + tally.calls, 0)).toBe(count.kernelCalls);
}

describe('countDispatches on webgpu', () => {
  it('counts one dispatch for a tf.add, attributed to Add', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([4, 5, 6]);
    let sum: number[] = [];
    const count = await countDispatches(async () => {
      const c = tf.add(a, b);
      sum = Array.from(await c.data());
      c.dispose();
    });
    expect(sum).toEqual([5, 7, 9]);
    expect(count).toEqual({ dispatches: 1, kernelCalls: 1, byKernel: { Add: { calls: 1, dispatches: 1 } } });
    tf.dispose([a, b]);
  });

  it('counts a tf.reshape as a kernel call with no dispatch', async () => {
    const a = tf.tensor1d([1, 2, 3, 4]);
    const count = await countDispatches(() => tf.reshape(a, [2, 2]).dispose());
    expect(count).toEqual({ dispatches: 0, kernelCalls: 1, byKernel: { Reshape: { calls: 1, dispatches: 0 } } });
    a.dispose();
  });

  it('counts N dispatches for N adds', async () => {
    const n = 7;
    let x: tf.Tensor = tf.tensor1d([0, 0]);
    const one = tf.tensor1d([1, 1]);
    const count = await countDispatches(async () => {
      for (let i = 0; i < n; i++) {
        const next = tf.add(x, one);
        x.dispose();
        x = next;
      }
      await x.data();
    });
    expect(Array.from(await x.data())).toEqual([n, n]);
    expect(count).toEqual({ dispatches: n, kernelCalls: n, byKernel: { Add: { calls: n, dispatches: n } } });
    tf.dispose([x, one]);
  });

  it.each([1, 3])('counts 2n + 3 dispatches of SpectralPowerIteration for n = %i', async (iterations) => {
    const a = tf.randomNormal([24, 8], 0, 1, 'float32', 3) as tf.Tensor2D;
    const u = tf.randomNormal([8], 0, 1, 'float32', 4) as tf.Tensor1D;
    await Promise.all([a.data(), u.data()]);
    const count = await countDispatches(async () => {
      const result = powerIteration(a, u, iterations);
      await result.sigma.data();
      tf.dispose([result.u, result.v, result.sigma]);
    });
    expect(count.byKernel[SPECTRAL_POWER_ITERATION_KERNEL]).toEqual({ calls: 1, dispatches: 2 * iterations + 3 });
    expect(count.dispatches).toBe(2 * iterations + 3);
    expectConsistent(count);
    tf.dispose([a, u]);
  });

  it('attributes the kernels of a gradient to themselves, none outside a kernel', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    let gradient: number[] = [];
    const count = await countDispatches(async () => {
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.square(v)))(x);
      gradient = Array.from(await dx.data());
      dx.dispose();
    });
    expect(gradient).toEqual([2, 4, 6]);
    expect(count.byKernel.Square?.dispatches).toBeGreaterThanOrEqual(1);
    expect(count.byKernel.Sum?.dispatches).toBeGreaterThanOrEqual(1);
    // Square's gradient is dy * 2x: its Multiply runs during backprop.
    expect(count.byKernel.Multiply?.dispatches).toBeGreaterThanOrEqual(1);
    expect(count.byKernel[OUTSIDE_KERNELS]).toBeUndefined();
    expect(count.dispatches).toBeGreaterThanOrEqual(3);
    expectConsistent(count);
    x.dispose();
  });

  it('sees a small add forwarded to the CPU (the default) as a call with no dispatch', async () => {
    tf.env().set('WEBGPU_CPU_FORWARD', true);
    try {
      const count = await countDispatches(() => tf.tidy(() => tf.add(tf.tensor1d([1]), tf.tensor1d([2]))).dispose());
      expect(count).toEqual({ dispatches: 0, kernelCalls: 1, byKernel: { Add: { calls: 1, dispatches: 0 } } });
    } finally {
      tf.env().set('WEBGPU_CPU_FORWARD', false);
    }
  });
});

describe('DispatchCounter install and uninstall', () => {
  it('restores the prototype and the engine; a dispatch after uninstall is not counted', async () => {
    const before = dispatchDescriptor();
    expect(typeof before?.value).toBe('function');
    const a = tf.tensor1d([1, 2]);
    const counter = DispatchCounter.install();
    expect(dispatchDescriptor()?.value).not.toBe(before?.value);
    expect(() => DispatchCounter.install()).toThrow(/already installed/);
    const count = await counter.measure(async () => {
      const counted = tf.add(a, a);
      counter.uninstall();
      const uncounted = tf.add(counted, a);
      await uncounted.data();
      tf.dispose([counted, uncounted]);
    });
    expect(count).toEqual({ dispatches: 1, kernelCalls: 1, byKernel: { Add: { calls: 1, dispatches: 1 } } });
    expect(dispatchDescriptor()).toEqual(before);
    expect(counter.isInstalled).toBe(false);
    await expect(counter.measure(() => undefined)).rejects.toThrow(/uninstalled/);
    counter.uninstall(); // idempotent
    expect(dispatchDescriptor()).toEqual(before);
    a.dispose();
  });

  it('uninstalls when the measured work throws, and can be installed again', async () => {
    const before = dispatchDescriptor();
    await expect(
      countDispatches(() => {
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(dispatchDescriptor()).toEqual(before);
    const a = tf.tensor1d([1]);
    const count = await countDispatches(() => tf.neg(a).dispose());
    expect(count.byKernel.Neg).toEqual({ calls: 1, dispatches: 1 });
    a.dispose();
  });
});

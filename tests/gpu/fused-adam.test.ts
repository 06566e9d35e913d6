/**
 * The fused Adam step on real WebGPU (Dawn): FusedAdamOptimizer against tf.train.adam over 100 steps,
 * the kernel against its tfjs-ops twin, dispatches per step, leaks, validation errors, and a checkpoint
 * of tf.train.adam resumed by FusedAdamOptimizer.
 *
 * Tolerance: |a - b| <= 1e-6 * max(|b|, floor), with floor = 1e-3 times the largest |b| of the same
 * tensor. A relative bound alone means nothing near zero: a weight that crosses zero, or a second
 * moment of a tiny gradient, has a float32 rounding error set by the tensor's scale, not its own size.
 * With the floor, entries under 1e-3 of the tensor's scale are held to 1e-9 of that scale, about 100
 * times tighter than one float32 ulp of the scale (1.2e-7) and still far above the one-ulp disagreements
 * that a shader compiler contracting a multiply-add into an fma would cause.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accBetaStep, fusedAdamStep, fusedAdamStepOps } from '../../src/core/kernels/fused-adam';
import {
  FUSED_ADAM_ACC_BETA_KERNEL,
  FUSED_ADAM_STEP_KERNEL,
  accBetaStepWebGPU,
  fusedAdamDispatchLimits,
} from '../../src/core/kernels/fused-adam-webgpu';
import { defaultConfig, type GanConfig } from '../../src/core/config/schema';
import { makeShapesDataset } from '../../src/core/data/shapes-dataset';
import { readOptimizer, writeOptimizer } from '../../src/core/train/checkpoint';
import { GanTrainer } from '../../src/core/train/gan-trainer';
import { FusedAdamOptimizer } from '../../src/core/train/fused-adam-optimizer';
import { seededNormals, webgpuBackend, withValidationScope } from './gpu-test-utils';

const RELATIVE_TOLERANCE = 1e-6;
const FLOOR_FRACTION = 1e-3;
const STEPS = 100;
/** Sizes 1152, 2100, 7, 1, 257 and 2048 against 256-thread workgroups: partial ones, a scalar, a bias. */
const SHAPES: number[][] = [[3, 3, 8, 16], [300, 7], [7], [], [257], [4, 4, 16, 8]];
const HYPER = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 };

const worst = { relative: 0, absolute: 0, kernelVsTwin: 0 };
const dispatches: Record<string, number> = {};

afterAll(() => {
  console.info('fused-adam worst differences', JSON.stringify(worst), 'dispatches', JSON.stringify(dispatches));
});

afterEach(() => {
  vi.restoreAllMocks();
  fusedAdamDispatchLimits.maxWorkgroupsPerDimension = undefined;
});

const owned: Array<tf.Variable | tf.Optimizer> = [];
afterEach(() => {
  owned.splice(0).forEach((item) => item.dispose());
});

function own<T extends tf.Variable | tf.Optimizer>(item: T): T {
  owned.push(item);
  return item;
}

function makeVariables(seed: number): tf.Variable[] {
  return SHAPES.map((shape, i) => {
    const data = Float32Array.from(seededNormals(tf.util.sizeFromShape(shape), seed * 100 + i));
    return own(tf.variable(tf.tensor(data, shape)));
  });
}

/**
 * Step `step`'s gradients, the same for every optimizer: seeded data times a scale, computed by the
 * backend (on the GPU, unless tfjs forwards an op on small cpu-resident tensors to the cpu). Every
 * third step 1e-3 times smaller, so the moments see changing scales.
 */
function gradientsAt(step: number, variables: tf.Variable[]): tf.Tensor[] {
  const scale = step % 3 === 0 ? 1e-3 : 1;
  return variables.map((v, i) =>
    tf.tidy(() => tf.mul(tf.tensor(Float32Array.from(seededNormals(v.size, 7919 * step + i)), v.shape), scale)),
  );
}

function applyStep(optimizer: tf.Optimizer, variables: tf.Variable[], step: number): void {
  const grads = gradientsAt(step, variables);
  optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
  tf.dispose(grads);
}

/** Every number the optimizer holds, in readOptimizer's order, then the variables. */
async function stateOf(optimizer: tf.Optimizer, variables: tf.Variable[]): Promise<Float32Array[]> {
  const saved = await readOptimizer(optimizer);
  const values = await Promise.all(variables.map(async (v) => (await v.data()) as Float32Array));
  return [...saved.map((entry) => entry.values), ...values];
}

/** max |a - b| / max(|b|, 1e-3 max|b|) per tensor; records the worst absolute difference too. */
function maxRelativeDifference(a: Float32Array[], b: Float32Array[]): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  a.forEach((tensorA, t) => {
    const tensorB = b[t];
    expect(tensorA.length).toBe(tensorB.length);
    const floor = FLOOR_FRACTION * tensorB.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    tensorA.forEach((x, i) => {
      const difference = Math.abs(x - tensorB[i]);
      worst.absolute = Math.max(worst.absolute, difference);
      max = Math.max(max, difference / Math.max(Math.abs(tensorB[i]), floor, Number.MIN_VALUE));
    });
  });
  return max;
}

/** Runs fn with tfjs's small-tensor cpu forwarding off or on, restoring the flag after. */
async function withCpuForward<T>(on: boolean, fn: () => Promise<T>): Promise<T> {
  const before = tf.env().getBool('WEBGPU_CPU_FORWARD');
  tf.env().set('WEBGPU_CPU_FORWARD', on);
  try {
    return await fn();
  } finally {
    tf.env().set('WEBGPU_CPU_FORWARD', before);
  }
}

/** Dawn's GPUComputePassEncoder prototype (a global in Node since node-webgpu.ts installs Dawn's). */
function computePassPrototype(): GPUComputePassEncoder {
  return (globalThis as unknown as { GPUComputePassEncoder: { prototype: GPUComputePassEncoder } })
    .GPUComputePassEncoder.prototype;
}

/** Dispatches recorded while fn runs, counted at the WebGPU API. */
function countDispatches(fn: () => void): number {
  const spy = vi.spyOn(computePassPrototype(), 'dispatchWorkgroups');
  try {
    fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

beforeAll(() => {
  expect(tf.getBackend()).toBe('webgpu');
});

describe('FusedAdamOptimizer on webgpu', () => {
  it('runs the WGSL kernel, without validation errors', async () => {
    const runKernel = vi.spyOn(tf.engine(), 'runKernel');
    const variables = makeVariables(1);
    const optimizer = own(new FusedAdamOptimizer(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
    expect(optimizer.usesFusedPath()).toBe(true);
    const { error } = await withValidationScope(async () => {
      applyStep(optimizer, variables, 1);
      return stateOf(optimizer, variables);
    });
    expect(error).toBeNull();
    const kernels = runKernel.mock.calls.map((call) => call[0]);
    expect(kernels.filter((name) => name === FUSED_ADAM_STEP_KERNEL)).toHaveLength(SHAPES.length);
  });

  it.each([
    ['off', false],
    ['on', true],
  ] as const)(
    `equals tf.train.adam to 1e-6 relative over ${STEPS} steps (cpu forwarding %s)`,
    async (_label, forward) => {
      await withCpuForward(forward, async () => {
        const stockVariables = makeVariables(2);
        const fusedVariables = makeVariables(2);
        const stock = own(tf.train.adam(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
        const fused = own(new FusedAdamOptimizer(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
        for (let step = 1; step <= STEPS; step++) {
          applyStep(stock, stockVariables, step);
          applyStep(fused, fusedVariables, step);
          if (step % 25 === 0) {
            const stockState = await stateOf(stock, stockVariables);
            const fusedState = await stateOf(fused, fusedVariables);
            const relative = maxRelativeDifference(fusedState, stockState);
            worst.relative = Math.max(worst.relative, relative);
            expect(relative).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
          }
        }
        const [stockState, fusedState] = [await readOptimizer(stock), await readOptimizer(fused)];
        // Names (iter, moments by variable, #accBeta1, #accBeta2) in the same order; accBeta bit for bit.
        const role = (name: string) => name.replace(/^.*\/(m|v)$/, '$1');
        expect(fusedState.map((e) => role(e.name))).toEqual(stockState.map((e) => role(e.name)));
        expect(fusedState.slice(-2)).toEqual(stockState.slice(-2));
        expect(fused.iterations).toBe(STEPS);
      });
    },
  );

  it('makes one dispatch per variable and one for the accBeta products per step', async () => {
    await withCpuForward(false, async () => {
      const stockVariables = makeVariables(3);
      const fusedVariables = makeVariables(3);
      const stock = own(tf.train.adam(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
      const fused = own(new FusedAdamOptimizer(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
      // The first step also creates the moments (zerosLike); count the second. Gradients are made
      // outside the counted call.
      applyStep(stock, stockVariables, 1);
      applyStep(fused, fusedVariables, 1);
      const count = (optimizer: tf.Optimizer, variables: tf.Variable[]) => {
        const grads = gradientsAt(2, variables);
        const n = countDispatches(() =>
          optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] }))),
        );
        tf.dispose(grads);
        return n;
      };
      const stockCount = count(stock, stockVariables);
      const fusedCount = count(fused, fusedVariables);
      const accBetaCount = countDispatches(() => {
        const products = accBetaStepWebGPU(tf.scalar(0.5), tf.scalar(0.999), 0.5, 0.999);
        tf.dispose([products.oneMinusAccBeta, products.nextAccBeta1, products.nextAccBeta2]);
      });
      dispatches[`stock, ${SHAPES.length} variables`] = stockCount;
      dispatches[`fused, ${SHAPES.length} variables`] = fusedCount;
      expect(accBetaCount).toBe(1);
      expect(fusedCount - accBetaCount).toBe(SHAPES.length);
      expect(stockCount).toBe(14 * SHAPES.length + 4);
      await stateOf(fused, fusedVariables); // flush
    });
  });

  it('keeps numTensors and the backend data count flat over 10 steps', async () => {
    const backend = webgpuBackend();
    const variables = makeVariables(4);
    const optimizer = own(new FusedAdamOptimizer(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
    applyStep(optimizer, variables, 1); // creates the moments
    await variables[0].data(); // flush: deferred frees happen at submit
    const tensorsBefore = tf.memory().numTensors;
    const dataIdsBefore = backend.numDataIds();
    for (let step = 2; step <= 11; step++) applyStep(optimizer, variables, step);
    await variables[0].data();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(dataIdsBefore);
  });

  it('resumes a checkpoint of tf.train.adam and continues as tf.train.adam does', async () => {
    const stockVariables = makeVariables(5);
    const stock = own(tf.train.adam(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
    for (let step = 1; step <= 5; step++) applyStep(stock, stockVariables, step);

    const fusedVariables = makeVariables(6);
    fusedVariables.forEach((v, i) => v.assign(stockVariables[i]));
    const fused = own(new FusedAdamOptimizer(HYPER.learningRate, HYPER.beta1, HYPER.beta2));
    await writeOptimizer(fused, structuredClone(await readOptimizer(stock)));
    expect(await stateOf(fused, fusedVariables)).toEqual(await stateOf(stock, stockVariables));
    for (let step = 6; step <= 20; step++) {
      applyStep(stock, stockVariables, step);
      applyStep(fused, fusedVariables, step);
    }
    const relative = maxRelativeDifference(await stateOf(fused, fusedVariables), await stateOf(stock, stockVariables));
    worst.relative = Math.max(worst.relative, relative);
    expect(relative).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    expect((await readOptimizer(fused)).slice(-2)).toEqual((await readOptimizer(stock)).slice(-2));
    expect(fused.iterations).toBe(stock.iterations);
  });
});

describe('fusedAdamStep kernel against its tfjs-ops twin', () => {
  /** Random state of one step: moments as after some steps, accBeta as after `t` steps. */
  function stepInputs(shape: number[], seed: number, t: number) {
    const size = tf.util.sizeFromShape(shape);
    const normal = (s: number) => Float32Array.from(seededNormals(size, s));
    const accBetas = [tf.scalar(0.5 ** t), tf.scalar(0.999 ** t)];
    const products = accBetaStep(accBetas[0], accBetas[1], 0.5, 0.999);
    tf.dispose([...accBetas, products.nextAccBeta1, products.nextAccBeta2]);
    return {
      value: tf.tensor(normal(seed), shape),
      firstMoment: tf.tensor(normal(seed + 1), shape),
      secondMoment: tf.tensor(
        normal(seed + 2).map((x) => x * x),
        shape,
      ),
      gradient: tf.tensor(normal(seed + 3), shape),
      oneMinusAccBeta: products.oneMinusAccBeta,
    };
  }

  async function compare(shape: number[], seed: number): Promise<number> {
    const inputs = stepInputs(shape, seed, 3);
    const hyper = { ...HYPER, epsilon: 1e-7 };
    const kernel = fusedAdamStep(inputs, hyper);
    const twin = fusedAdamStepOps(inputs, hyper);
    const read = (r: typeof kernel) =>
      Promise.all([r.value.data(), r.firstMoment.data(), r.secondMoment.data()]) as Promise<Float32Array[]>;
    const difference = maxRelativeDifference(await read(kernel), await read(twin));
    tf.dispose([...Object.values(inputs), ...Object.values(kernel), ...Object.values(twin)]);
    worst.kernelVsTwin = Math.max(worst.kernelVsTwin, difference);
    return difference;
  }

  it.each(SHAPES.map((shape) => ({ shape, label: `[${shape}]` })))(
    'agrees to 1e-6 relative: $label',
    async ({ shape }) => {
      const { result, error } = await withCpuForward(false, () => withValidationScope(() => compare(shape, 31)));
      expect(error).toBeNull();
      expect(result).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    },
  );

  it('spreads workgroups over y when x would exceed the per-dimension limit', async () => {
    // 1277 elements = 5 workgroups of 256; with at most 3 per dimension: a [3, 2] grid, one spare.
    fusedAdamDispatchLimits.maxWorkgroupsPerDimension = 3;
    const spy = vi.spyOn(computePassPrototype(), 'dispatchWorkgroups');
    const { result, error } = await withCpuForward(false, () => withValidationScope(() => compare([1277], 41)));
    expect(spy.mock.calls).toContainEqual([3, 2, 1]);
    expect(error).toBeNull();
    expect(result).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
  });

  it('returns new data and leaves its inputs as they were', async () => {
    const inputs = stepInputs([300], 51, 2);
    const before = await Promise.all(Object.values(inputs).map((t) => t.data()));
    const result = fusedAdamStep(inputs, { ...HYPER, epsilon: 1e-7 });
    const after = await Promise.all(Object.values(inputs).map((t) => t.data()));
    expect(after).toEqual(before);
    for (const output of Object.values(result)) {
      for (const input of Object.values(inputs)) expect(output.dataId).not.toBe(input.dataId);
    }
    tf.dispose([...Object.values(inputs), ...Object.values(result)]);
  });
});

describe('GanTrainer on webgpu', () => {
  it('steps both optimizers through the fused kernels', async () => {
    const config: GanConfig = { ...defaultConfig(), ch: 2, gch: 2, zdim: 8, batch: 2, subset: 32, every: 1 };
    const trainer = GanTrainer.create(config, makeShapesDataset({ seed: 1, count: 32, classes: config.classes }));
    try {
      const runKernel = vi.spyOn(tf.engine(), 'runKernel');
      trainer.trainIteration();
      await trainer.readMetrics(0);
      const names = runKernel.mock.calls.map((call) => call[0]);
      // One accBeta dispatch per optimizer step: ndis for D, one for G.
      expect(names.filter((name) => name === FUSED_ADAM_ACC_BETA_KERNEL)).toHaveLength(config.ndis + 1);
      expect(names.filter((name) => name === FUSED_ADAM_STEP_KERNEL).length).toBeGreaterThan(config.ndis + 1);
    } finally {
      trainer.dispose();
    }
  });
});

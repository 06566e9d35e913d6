/**
 * SR on real WebGPU (Dawn): the WGSL Jacobi kernel against its tfjs-ops twin, SR through the
 * normalizer (the trainer's path) against the cpu backend and the float64 SVD reference, a short
 * training run against the same run on cpu, and leaks. Every first run sits in a validation scope.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig, type GanConfig, type NormName } from '../../src/core/config/schema';
import { makeShapesDataset } from '../../src/core/data/shapes-dataset';
import { jacobiRoundOps, jacobiSweeps, jacobiSweepsOps } from '../../src/core/kernels/jacobi-rotation';
import { SYMMETRIC_JACOBI_SWEEPS_KERNEL } from '../../src/core/kernels/jacobi-rotation-webgpu';
import { normalizerSettings } from '../../src/core/normalize/settings';
import { DynamicSpectralRegularizer } from '../../src/core/normalize/spectral-regularization-dynamic';
import { StaticSpectralRegularizer } from '../../src/core/normalize/spectral-regularization-static';
import { GanTrainer } from '../../src/core/train/gan-trainer';
import {
  referenceDynamic,
  referenceStatic,
  referenceSvd,
  relativeError,
  seededNormals,
  testWeight,
} from '../fixtures/sr-reference';
import { maxAbsDifference, webgpuBackend, withValidationScope } from './gpu-test-utils';

const SETTINGS = { ...normalizerSettings(defaultConfig()), srFraction: 0.5, srEvery: 1 };
const worst = { roundVsTwin: 0, sweepsEigenvalues: 0, staticVsReference: 0, staticVsCpu: 0, dynamicVsReference: 0 };

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  console.info('spectral-regularization (webgpu) worst errors', JSON.stringify(worst));
  await tf.setBackend('webgpu');
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

describe('Jacobi: WGSL kernel against its tfjs-ops twin', () => {
  it('runs through the WGSL kernel on webgpu', async () => {
    const runKernel = vi.spyOn(tf.engine(), 'runKernel');
    const state = jacobiState(4, 1, false);
    const { error } = await withValidationScope(async () => {
      const out = jacobiSweeps(state, 1);
      await out.data();
      out.dispose();
    });
    expect(error).toBeNull();
    expect(runKernel.mock.calls.map((call) => call[0])).toContain(SYMMETRIC_JACOBI_SWEEPS_KERNEL);
    state.dispose();
  });

  it.each([2, 3, 7, 16, 33, 64])("one sweep agrees with the twin's rounds to 1e-5, n=%i", async (n) => {
    const state = jacobiState(n, 10 + n, true);
    const scale = (await tf.max(tf.abs(state)).data())[0];
    const { error } = await withValidationScope(async () => {
      // One sweep by the kernel, round by round through the twin: the kernel's rounds chain the same way.
      let twin = tf.clone(state);
      for (let round = 0; round < n + (n % 2) - 1; round++) {
        const next = jacobiRoundOps(twin, round);
        twin.dispose();
        twin = next;
      }
      const kernel = jacobiSweeps(state, 1);
      const difference = maxAbsDifference(await kernel.data(), await twin.data()) / scale;
      worst.roundVsTwin = Math.max(worst.roundVsTwin, difference);
      expect(difference).toBeLessThan(1e-5);
      tf.dispose([kernel, twin]);
    });
    expect(error).toBeNull();
    state.dispose();
  });

  it.each([5, 27, 48])("8 sweeps give the twin's eigenvalues to 1e-5, n=%i", async (n) => {
    const state = jacobiState(n, 20 + n, false);
    const diagonal = async (s: tf.Tensor2D) => {
      const data = await s.data();
      return Array.from({ length: n }, (_, i) => data[i * n + i]).sort((x, y) => x - y);
    };
    const kernel = jacobiSweeps(state, 8);
    const twin = jacobiSweepsOps(state, 8);
    const [a, b] = [await diagonal(kernel), await diagonal(twin)];
    const scale = Math.max(...b.map(Math.abs));
    const difference = maxAbsDifference(a, b) / scale;
    worst.sweepsEigenvalues = Math.max(worst.sweepsEigenvalues, difference);
    expect(difference).toBeLessThan(1e-5);
    tf.dispose([state, kernel, twin]);
  });
});

/** SR calls on one backend: returns the raw weight after each call (static, or dynamic with updates). */
async function srRun(
  method: 'static' | 'dynamic',
  shape: number[],
  data: Float32Array,
  calls: number,
): Promise<Float32Array[]> {
  const layer = { kind: 'conv' as const, shape };
  const sr =
    method === 'static'
      ? new StaticSpectralRegularizer(layer, 3, SETTINGS)
      : new DynamicSpectralRegularizer(layer, 3, SETTINGS);
  const raw = tf.variable(tf.tensor(data, shape));
  const results: Float32Array[] = [];
  for (let call = 0; call < calls; call++) {
    if (call > 0) {
      const step = tf.tensor(
        Float32Array.from(seededNormals(data.length, 40 + call), (x) => 0.01 * x),
        shape,
      );
      raw.assign(tf.add(raw, step)); // stands in for an Adam step
      step.dispose();
    }
    results.push(Float32Array.from(await raw.data()));
    sr.beforeDiscriminatorUpdate(raw);
    sr.afterDiscriminatorUpdate(raw, { gIteration: call });
    results.push(Float32Array.from(await raw.data()));
  }
  raw.dispose();
  sr.dispose();
  return results;
}

describe('SR through the normalizer on webgpu', () => {
  it.each([
    { label: '[3,3,4,16], K > c', shape: [3, 3, 4, 16] },
    { label: '[3,3,3,64], K < c (standard CNN first layer)', shape: [3, 3, 3, 64] },
    { label: '[4,4,8,32], K > c', shape: [4, 4, 8, 32] },
  ])('static and dynamic equal the float64 reference and the cpu backend to 1e-4: $label', async ({ shape }) => {
    const data = testWeight(shape, 50);
    const { result: gpu, error } = await withValidationScope(async () => ({
      static: await srRun('static', shape, data, 3),
      dynamic: await srRun('dynamic', shape, data, 3),
    }));
    expect(error).toBeNull();
    await tf.setBackend('cpu');
    const cpuStatic = await srRun('static', shape, data, 3);
    await tf.setBackend('webgpu');

    const ratios = referenceSvd(data, shape).singular.map(() => 0);
    for (let call = 0; call < 3; call++) {
      const [input, output] = [gpu.static[2 * call], gpu.static[2 * call + 1]];
      const vsReference = relativeError(output, referenceStatic(input, shape, 0.5));
      const vsCpu = relativeError(output, cpuStatic[2 * call + 1]);
      worst.staticVsReference = Math.max(worst.staticVsReference, vsReference);
      worst.staticVsCpu = Math.max(worst.staticVsCpu, vsCpu);
      expect(vsReference).toBeLessThan(1e-4);
      expect(vsCpu).toBeLessThan(1e-4);

      const [dynamicIn, dynamicOut] = [gpu.dynamic[2 * call], gpu.dynamic[2 * call + 1]];
      const expected = referenceDynamic(dynamicIn, shape, ratios);
      const vsDynamic = relativeError(dynamicOut, expected);
      worst.dynamicVsReference = Math.max(worst.dynamicVsReference, vsDynamic);
      expect(vsDynamic).toBeLessThan(1e-4);
    }
  });

  it('keeps numTensors and the backend data count flat over repeated SR calls', async () => {
    const shape = [3, 3, 4, 16];
    const raw = tf.variable(tf.tensor(testWeight(shape, 60), shape));
    const sr = new DynamicSpectralRegularizer({ kind: 'conv', shape }, 3, SETTINGS);
    const backend = webgpuBackend();
    for (let call = 0; call < 2; call++) sr.afterDiscriminatorUpdate(raw, { gIteration: 0 });
    await raw.data();
    const [tensors, dataIds] = [tf.memory().numTensors, backend.numDataIds()];
    for (let call = 0; call < 5; call++) sr.afterDiscriminatorUpdate(raw, { gIteration: call });
    await raw.data();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(dataIds);
    raw.dispose();
    sr.dispose();
  });
});

describe('training with SR on webgpu', () => {
  const tiny: GanConfig = {
    ...defaultConfig(),
    ch: 2,
    gch: 2,
    zdim: 8,
    batch: 2,
    subset: 32,
    every: 1,
    srevery: 1,
    ndis: 2,
  };
  const data = makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes });

  async function train(norm: NormName): Promise<number[][]> {
    const trainer = GanTrainer.create({ ...tiny, norm }, data);
    const points: number[][] = [];
    for (let i = 0; i < 2; i++) {
      trainer.trainIteration();
      const point = await trainer.readMetrics(0);
      points.push([point.dLoss, point.gLoss, ...point.sigmas]);
    }
    trainer.dispose();
    return points;
  }

  it.each(['sr-static', 'sr-dynamic'] as const)('%s matches the cpu backend step for step', async (norm) => {
    const { result: gpu, error } = await withValidationScope(() => train(norm));
    expect(error).toBeNull();
    await tf.setBackend('cpu');
    const cpu = await train(norm);
    await tf.setBackend('webgpu');
    gpu.forEach((point, i) =>
      point.forEach((value, j) =>
        expect(Math.abs(value - cpu[i][j])).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpu[i][j]))),
      ),
    );
  });
});

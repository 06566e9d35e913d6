/**
 * The fused conv/dense + bias + activation layer on real WebGPU (Dawn): forward and gradients w.r.t.
 * x, w and bias against the unfused tfjs-ops twin on the same backend, through a spectrally
 * normalized weight, dispatch counts fused vs twin, leaks, and the discriminators against cpu.
 *
 * Tolerance: 1e-5 of the reference's largest magnitude. The fused forward runs the same im2col and
 * matmul programs as the twin's conv2d / matMul with the bias and activation applied to the same
 * accumulator in the epilogue, the activation gradient is the same f32 select-and-multiply, and dx
 * and dw run the very kernels (and attrs) of tfjs's Conv2D / BatchMatMul gradients: all of these
 * should agree bit for bit. Only dbias sums in another order (tree in shared memory vs tfjs's
 * transpose + reduce); for up to 4096 terms of either sign, f32 reordering stays near 1e-6 relative.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { countDispatches, type DispatchCount } from '../../src/bench/dispatch-count';
import { POINT_SHAPE, type SampleShape } from '../../src/core/data/types';
import {
  convBiasActivation,
  convBiasActivationOps,
  denseBiasActivation,
  denseBiasActivationOps,
  type LayerActivation,
} from '../../src/core/kernels/fused-layer';
import {
  BIAS_GRADIENT_KERNEL,
  FUSED_LAYER_CONV_KERNEL,
  FUSED_LAYER_DENSE_KERNEL,
} from '../../src/core/kernels/fused-layer-webgpu';
import { spectralNormalizedWeight } from '../../src/core/kernels/power-iteration';
import type { ArchName } from '../../src/core/config/schema';
import { Discriminator, D_LEAKY_SLOPE } from '../../src/core/models/discriminator';
import { seededNormals, webgpuBackend, withValidationScope } from './gpu-test-utils';

const RELATIVE_TOLERANCE = 1e-5;
/** webgpu vs cpu (different summation orders in every conv): whole discriminators. */
const CROSS_BACKEND_TOLERANCE = 1e-4;

const worst = { forward: 0, dx: 0, dw: 0, dbias: 0, spectralDw: 0, crossBackend: 0 };
afterAll(() => console.info('fused-layer worst relative differences', JSON.stringify(worst)));

/** x, w and, for a layer with bias, the bias. */
type Args = tf.Tensor[];
/** One layer as a function of its tensors (bias last, absent for a bias-free layer). */
type LayerFn = (x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | null) => tf.Tensor;

interface LayerCase {
  label: string;
  kind: 'conv' | 'dense';
  x: number[];
  w: number[];
  stride: number;
  activation: LayerActivation;
  alpha: number;
  bias: boolean;
}

const activationLabel = (activation: LayerActivation, alpha: number, bias: boolean): string =>
  `${activation}${activation === 'leakyrelu' ? ` ${alpha}` : ''}${bias ? '' : ' no bias'}`;
const conv = (
  x: number[],
  w: number[],
  stride: number,
  activation: LayerActivation,
  alpha: number,
  bias = true,
): LayerCase => ({
  label: `conv x [${x}] w [${w}] s${stride} ${activationLabel(activation, alpha, bias)}`,
  kind: 'conv',
  x,
  w,
  stride,
  activation,
  alpha,
  bias,
});
const dense = (x: number[], w: number[], activation: LayerActivation, alpha: number, bias = true): LayerCase => ({
  ...conv(x, w, 1, activation, alpha, bias),
  label: `dense a [${x}] w [${w}] ${activationLabel(activation, alpha, bias)}`,
  kind: 'dense',
});

const CASES: LayerCase[] = [
  conv([2, 5, 5, 3], [3, 3, 3, 4], 1, 'leakyrelu', D_LEAKY_SLOPE),
  conv([2, 7, 7, 4], [4, 4, 4, 8], 2, 'leakyrelu', 0.2),
  conv([1, 9, 7, 8], [3, 3, 8, 3], 2, 'relu', 0),
  conv([2, 9, 9, 8], [3, 3, 8, 8], 1, 'leakyrelu', D_LEAKY_SLOPE), // 162 rows per bias channel
  conv([2, 5, 5, 4], [1, 1, 4, 8], 1, 'linear', 0), // ResNet shortcut: conv2dByMatMul
  conv([4, 32, 32, 3], [3, 3, 3, 4], 1, 'leakyrelu', D_LEAKY_SLOPE), // 4096 rows: 256-thread bias sums
  conv([2, 5, 5, 3], [3, 3, 3, 4], 1, 'leakyrelu', D_LEAKY_SLOPE, false),
  dense([3, 7], [7, 5], 'leakyrelu', D_LEAKY_SLOPE),
  dense([4, 10], [10, 1], 'linear', 0),
  dense([2, 6], [6, 8], 'relu', 0),
  dense([5, 9], [9, 4], 'leakyrelu', 0.2, false),
];

const fused = (c: LayerCase): LayerFn =>
  c.kind === 'conv'
    ? (x, w, b) =>
        convBiasActivation(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, c.stride, c.activation, c.alpha)
    : (x, w, b) => denseBiasActivation(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, c.activation, c.alpha);
const twin = (c: LayerCase): LayerFn =>
  c.kind === 'conv'
    ? (x, w, b) =>
        convBiasActivationOps(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, c.stride, c.activation, c.alpha)
    : (x, w, b) => denseBiasActivationOps(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, c.activation, c.alpha);

const seeded = (shape: number[], seed: number): tf.Tensor =>
  tf.tensor(
    Float32Array.from(
      seededNormals(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
    ),
    shape,
  );

function outputShape(c: LayerCase): number[] {
  if (c.kind === 'dense') return [c.x[0], c.w[1]];
  const [n, h, w] = c.x;
  return [n, Math.ceil(h / c.stride), Math.ceil(w / c.stride), c.w[3]];
}

function caseTensors(c: LayerCase, seed: number): { args: Args; dy: tf.Tensor } {
  const args: Args = [seeded(c.x, seed), seeded(c.w, seed + 1)];
  if (c.bias) args.push(seeded([c.w[c.w.length - 1]], seed + 2));
  return { args, dy: seeded(outputShape(c), seed + 3) };
}

/**
 * One forward and one backward: y and the gradients of sum(y * dy) w.r.t. args[k] for k in `wrt`
 * (default: all, i.e. [dx, dw, dbias?]), as tensors the caller disposes.
 */
function forwardBackward(layer: LayerFn, args: Args, dy: tf.Tensor, wrt = args.map((_, k) => k)): tf.Tensor[] {
  const call = (...t: tf.Tensor[]) => {
    const all = args.slice();
    wrt.forEach((k, j) => (all[k] = t[j]));
    return layer(all[0], all[1], all[2] ?? null);
  };
  const { value, grads } = tf.valueAndGrads(call)(
    wrt.map((k) => args[k]),
    dy,
  );
  return [value, ...grads];
}

async function readAll(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(tensors);
  return values;
}

function relativeDifference(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < actual.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

describe('fused layer on webgpu against its tfjs-ops twin', () => {
  it('runs on webgpu, through the fused kernels', () => {
    expect(tf.getBackend()).toBe('webgpu');
    const names: string[] = [];
    const engine = tf.engine() as unknown as { runKernelFunc: (p: { kernelName?: string }) => unknown };
    const original = engine.runKernelFunc;
    engine.runKernelFunc = function (this: unknown, p) {
      if (p.kernelName) names.push(p.kernelName);
      return original.call(this, p);
    };
    try {
      tf.tidy(() => {
        for (const c of [CASES[0], CASES[7]]) {
          const { args } = caseTensors(c, 1);
          fused(c)(args[0], args[1], args[2] ?? null);
        }
      });
    } finally {
      engine.runKernelFunc = original;
    }
    expect(names).toContain(FUSED_LAYER_CONV_KERNEL);
    expect(names).toContain(FUSED_LAYER_DENSE_KERNEL);
    expect(names).not.toContain('LeakyRelu');
  });

  for (const [index, c] of CASES.entries()) {
    it(`forward and d/dx, d/dw, d/dbias match: ${c.label}`, async () => {
      const { args, dy } = caseTensors(c, 10 * index + 1);
      const { result, error } = await withValidationScope(() => readAll(forwardBackward(fused(c), args, dy)));
      expect(error).toBeNull();
      const expected = await readAll(forwardBackward(twin(c), args, dy));
      tf.dispose([...args, dy]);
      expect(result.length).toBe(c.bias ? 4 : 3);
      const keys = ['forward', 'dx', 'dw', 'dbias'] as const;
      result.forEach((values, i) => {
        const relative = relativeDifference(values, expected[i]);
        worst[keys[i]] = Math.max(worst[keys[i]], relative);
        expect(relative, keys[i]).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
      });
      // Both masks matter: some outputs below zero, some above (else the test proves little).
      if (c.activation !== 'linear') {
        expect(result[0].some((v) => v < 0 || (c.activation === 'relu' && v === 0))).toBe(true);
        expect(result[0].some((v) => v > 0)).toBe(true);
      }
    });
  }

  it('passes the filter gradient on to the raw weight of a spectrally normalized effective weight', async () => {
    const c = CASES[1];
    const { args, dy } = caseTensors(c, 77);
    const raw = args[1];
    const k = raw.size / c.w[3];
    const u = seeded([c.w[3]], 78) as tf.Tensor1D;
    const v = seeded([k], 79) as tf.Tensor1D;
    const throughSn = (layer: LayerFn) => (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null) =>
      layer(x, spectralNormalizedWeight(w, u, v).weight, b);
    const got = await readAll(forwardBackward(throughSn(fused(c)), args, dy));
    const expected = await readAll(forwardBackward(throughSn(twin(c)), args, dy));
    tf.dispose([...args, dy, u, v]);
    const relative = relativeDifference(got[2], expected[2]);
    worst.spectralDw = relative;
    expect(relative).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    expect(got[2].some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });

  it('needs fewer dispatches than the twin for one layer forward + backward', async () => {
    const layers: LayerCase[] = [
      conv([2, 8, 8, 8], [3, 3, 8, 8], 1, 'leakyrelu', D_LEAKY_SLOPE),
      conv([2, 8, 8, 8], [4, 4, 8, 8], 2, 'leakyrelu', D_LEAKY_SLOPE),
      dense([4, 16], [16, 8], 'leakyrelu', D_LEAKY_SLOPE),
      conv([2, 8, 8, 8], [3, 3, 8, 8], 1, 'relu', 0),
    ];
    const summary = (count: DispatchCount) =>
      `${count.dispatches} [${Object.entries(count.byKernel)
        .filter(([, tally]) => tally.dispatches > 0)
        .map(([name, tally]) => `${name} ${tally.dispatches}`)
        .join(', ')}]`;
    for (const c of layers) {
      const { args, dy } = caseTensors(c, 5);
      const measure = async (layer: LayerFn, wrt: number[] | null) => {
        const run = () => (wrt ? forwardBackward(layer, args, dy, wrt) : [layer(args[0], args[1], args[2] ?? null)]);
        await readAll(run()); // warm-up (pipelines compiled)
        let outputs: tf.Tensor[] = [];
        const count = await countDispatches(() => {
          outputs = run();
        });
        await readAll(outputs);
        return count;
      };
      const all = [0, 1, 2];
      const [fusedBoth, twinBoth] = [await measure(fused(c), all), await measure(twin(c), all)];
      const [fusedForward, twinForward] = [await measure(fused(c), null), await measure(twin(c), null)];
      // A G step backprops through D to x only: no filter or bias gradient may run.
      const [fusedX, twinX] = [await measure(fused(c), [0]), await measure(twin(c), [0])];
      tf.dispose([...args, dy]);
      console.info(
        `dispatches ${c.label}\n  forward+backward fused ${summary(fusedBoth)}\n  forward+backward twin  ` +
          `${summary(twinBoth)}\n  forward only fused ${fusedForward.dispatches}, twin ${twinForward.dispatches}` +
          `\n  forward+backward to x only: fused ${fusedX.dispatches}, twin ${twinX.dispatches}`,
      );
      expect(fusedBoth.dispatches).toBeLessThan(twinBoth.dispatches);
      expect(fusedForward.dispatches).toBeLessThan(twinForward.dispatches);
      expect(fusedX.dispatches).toBeLessThan(twinX.dispatches);
      expect(Object.keys(fusedX.byKernel)).not.toContain('Conv2DBackpropFilter');
      expect(Object.keys(fusedX.byKernel)).not.toContain(BIAS_GRADIENT_KERNEL);
    }
  });

  it('keeps numTensors and the backend data count flat over repeated forward + backward', async () => {
    const backend = webgpuBackend();
    for (const c of [CASES[1], CASES[6], CASES[7], CASES[10]]) {
      const { args, dy } = caseTensors(c, 3);
      await readAll(forwardBackward(fused(c), args, dy));
      const tensorsBefore = tf.memory().numTensors;
      const dataIdsBefore = backend.numDataIds();
      for (let i = 0; i < 10; i++) await readAll(forwardBackward(fused(c), args, dy));
      expect(tf.memory().numTensors, c.label).toBe(tensorsBefore);
      expect(backend.numDataIds(), c.label).toBe(dataIdsBefore);
      tf.dispose([...args, dy]);
    }
  });
});

describe('discriminators with fused layers on webgpu against cpu', () => {
  /** Logits and the gradients of their sum w.r.t. every D variable, on one backend. */
  async function run(backend: string, arch: ArchName, ch: number, shape: SampleShape): Promise<Float32Array[]> {
    await tf.setBackend(backend);
    const d = new Discriminator(arch, ch, 11, shape);
    const samples = seeded([2, ...shape], 12);
    const logits = () =>
      d.apply(
        samples,
        d.layers.map((layer) => layer.weight),
      );
    const { value, grads } = tf.variableGrads(() => tf.sum(logits()), d.variables);
    const out = await readAll([logits(), value, ...d.variables.map((variable) => grads[variable.name])]);
    samples.dispose();
    d.dispose();
    return out;
  }

  const NETWORKS: Array<{ arch: ArchName; ch: number; shape?: SampleShape }> = [
    { arch: 'cnn', ch: 2 },
    { arch: 'resnet', ch: 1 },
    { arch: 'mlp', ch: 2, shape: POINT_SHAPE },
  ];
  for (const { arch, ch, shape } of NETWORKS) {
    it(`${arch} ch ${ch}: logits and all gradients match the cpu backend (unfused ops)`, async () => {
      const sampleShape = shape ?? [32, 32, 3];
      let expected: Float32Array[];
      try {
        expected = await run('cpu', arch, ch, sampleShape);
      } finally {
        await tf.setBackend('webgpu');
      }
      const { result, error } = await withValidationScope(() => run('webgpu', arch, ch, sampleShape));
      expect(error).toBeNull();
      expect(result.length).toBe(expected.length);
      result.forEach((values, i) => {
        const relative = relativeDifference(values, expected[i]);
        worst.crossBackend = Math.max(worst.crossBackend, relative);
        expect(relative, `output ${i}`).toBeLessThanOrEqual(CROSS_BACKEND_TOLERANCE);
      });
    });
  }
});

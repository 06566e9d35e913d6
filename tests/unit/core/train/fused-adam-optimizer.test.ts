// FusedAdamOptimizer on the cpu backend (src/core/train/fused-adam-optimizer.ts): by default it is
// tfjs's own Adam there; with path 'fused' it runs the fused loop over the tfjs-ops twin
// (src/core/kernels/fused-adam-ops.ts), which must give tf.train.adam's results bit for bit: values,
// moments, accBeta products, iteration count, weight names, and checkpoints in both directions.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../src/core/data/seeded-random';
import { dispatchShape } from '../../../../src/core/kernels/fused-adam-dispatch';
import { readOptimizer, writeOptimizer } from '../../../../src/core/train/checkpoint';
import { FusedAdamOptimizer, type FusedAdamPath } from '../../../../src/core/train/fused-adam-optimizer';

// Weight, bias, a scalar and a shape whose size is not a multiple of anything in particular.
const SHAPES: number[][] = [[3, 3, 2, 5], [5], [], [7, 11]];
// The GAN's usual settings (lr 2e-4, beta1 0.5, beta2 0.999) and tfjs's defaults.
const SETTINGS = [
  { lr: 2e-4, beta1: 0.5, beta2: 0.999 },
  { lr: 1e-3, beta1: 0.9, beta2: 0.999 },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const created: Array<tf.Variable | tf.Optimizer> = [];
afterEach(() => {
  created.splice(0).forEach((item) => item.dispose());
});

function normals(random: SeededRandom, count: number): Float32Array {
  return Float32Array.from({ length: count }, () => {
    const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
    return radius * Math.cos(2 * Math.PI * random.next());
  });
}

function makeVariables(seed: number): tf.Variable[] {
  const random = new SeededRandom(seed);
  return SHAPES.map((shape) => {
    const variable = tf.variable(tf.tensor(normals(random, tf.util.sizeFromShape(shape)), shape));
    created.push(variable);
    return variable;
  });
}

/** Gradients of step `step`, the same for every optimizer under test. */
function gradientsAt(step: number, variables: tf.Variable[]): tf.Tensor[] {
  const random = new SeededRandom(1000 + step);
  // Every third step small gradients, so the moments' scales differ from step to step.
  const scale = step % 3 === 0 ? 1e-3 : 1;
  return variables.map((v) => tf.tidy(() => tf.mul(tf.tensor(normals(random, v.size), v.shape), scale)));
}

function adamFor(kind: 'stock' | FusedAdamPath, setting: (typeof SETTINGS)[number]): tf.AdamOptimizer {
  const optimizer =
    kind === 'stock'
      ? tf.train.adam(setting.lr, setting.beta1, setting.beta2)
      : new FusedAdamOptimizer(setting.lr, setting.beta1, setting.beta2, undefined, kind);
  created.push(optimizer);
  return optimizer;
}

/** Steps `optimizer` on `variables`; odd steps pass a map, even steps an array (both forms tfjs takes). */
function step(optimizer: tf.Optimizer, variables: tf.Variable[], at: number): void {
  const grads = gradientsAt(at, variables);
  if (at % 2 === 1) {
    optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, grads[i]])));
  } else {
    optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
  }
  tf.dispose(grads);
}

interface Snapshot {
  values: number[][];
  weights: Array<{ name: string; values: number[] }>;
  products: number[];
}

async function snapshot(optimizer: tf.AdamOptimizer, variables: tf.Variable[]): Promise<Snapshot> {
  const saved = await readOptimizer(optimizer);
  // Moment names embed the variables' names; compare them by role (iter, /m, /v, #accBeta).
  const role = (name: string) => name.replace(/^.*\/(m|v)$/, '$1');
  return {
    values: await Promise.all(variables.map(async (v) => Array.from(await v.data()))),
    weights: saved.filter((w) => !w.name.startsWith('#')).map((w) => ({ name: role(w.name), values: [...w.values] })),
    products: saved.filter((w) => w.name.startsWith('#')).map((w) => w.values[0]),
  };
}

describe('FusedAdamOptimizer on cpu', () => {
  it('takes tfjs own applyGradients by default off webgpu, and the fused loop with path "fused"', () => {
    expect(new FusedAdamOptimizer(1e-3, 0.9, 0.999).usesFusedPath()).toBe(false);
    expect(new FusedAdamOptimizer(1e-3, 0.9, 0.999, undefined, 'fused').usesFusedPath()).toBe(true);
  });

  it('has tf.train.adam config, epsilon included, and the same class name for serialization', () => {
    const fused = adamFor('auto', SETTINGS[0]);
    expect(fused.getConfig()).toEqual(adamFor('stock', SETTINGS[0]).getConfig());
    expect(fused.getClassName()).toBe('Adam');
  });

  it.each(['auto', 'fused'] as const)('path %s equals tf.train.adam bit for bit over 30 steps', async (path) => {
    for (const setting of SETTINGS) {
      const stockVariables = makeVariables(7);
      const fusedVariables = makeVariables(7);
      const stock = adamFor('stock', setting);
      const fused = adamFor(path, setting);
      for (let at = 1; at <= 30; at++) {
        step(stock, stockVariables, at);
        step(fused, fusedVariables, at);
      }
      expect(await snapshot(fused, fusedVariables)).toEqual(await snapshot(stock, stockVariables));
      expect(fused.iterations).toBe(30);
    }
  });

  it('skips a missing gradient as tfjs does, still creating its moments at the same index', async () => {
    const stockVariables = makeVariables(8);
    const fusedVariables = makeVariables(8);
    const stock = adamFor('stock', SETTINGS[1]);
    const fused = adamFor('fused', SETTINGS[1]);
    for (let at = 1; at <= 4; at++) {
      for (const [optimizer, variables] of [
        [stock, stockVariables],
        [fused, fusedVariables],
      ] as const) {
        const grads = gradientsAt(at, variables);
        // The bias gets no gradient on even steps.
        const named = variables.map((v, i) => ({ name: v.name, tensor: at % 2 === 0 && i === 1 ? null : grads[i] }));
        optimizer.applyGradients(named as Array<{ name: string; tensor: tf.Tensor }>);
        tf.dispose(grads);
      }
    }
    expect(await snapshot(fused, fusedVariables)).toEqual(await snapshot(stock, stockVariables));
  });

  it('works through minimize', async () => {
    const [stockW] = makeVariables(9);
    const [fusedW] = makeVariables(9);
    const stock = adamFor('stock', SETTINGS[0]);
    const fused = adamFor('fused', SETTINGS[0]);
    for (let at = 0; at < 5; at++) {
      tf.dispose(stock.minimize(() => tf.sum(tf.square(tf.sub(stockW, at))), true, [stockW]) ?? []);
      tf.dispose(fused.minimize(() => tf.sum(tf.square(tf.sub(fusedW, at))), true, [fusedW]) ?? []);
    }
    expect(Array.from(await fusedW.data())).toEqual(Array.from(await stockW.data()));
  });

  it.each([
    ['tf.train.adam', 'fused'],
    ['FusedAdamOptimizer', 'stock'],
  ] as const)('resumes a checkpoint of %s and continues bit for bit', async (_from, to) => {
    const setting = SETTINGS[0];
    const from = to === 'fused' ? 'stock' : 'fused';
    const originalVariables = makeVariables(10);
    const original = adamFor(from, setting);
    for (let at = 1; at <= 5; at++) step(original, originalVariables, at);

    const resumedVariables = makeVariables(11);
    originalVariables.forEach((v, i) => resumedVariables[i].assign(v));
    const resumed = adamFor(to, setting);
    await writeOptimizer(resumed, structuredClone(await readOptimizer(original)));
    for (let at = 6; at <= 12; at++) {
      step(original, originalVariables, at);
      step(resumed, resumedVariables, at);
    }
    expect(await snapshot(resumed, resumedVariables)).toEqual(await snapshot(original, originalVariables));
  });

  it('leaks no tensors', () => {
    const variables = makeVariables(12);
    const fused = adamFor('fused', SETTINGS[1]);
    step(fused, variables, 1); // creates the moments
    const before = tf.memory().numTensors;
    for (let at = 2; at <= 6; at++) step(fused, variables, at);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('dispatchShape (fused Adam workgroup grid)', () => {
  it('puts workgroups along x while they fit, then in full rows over y', () => {
    expect(dispatchShape(0, 65535)).toEqual([1, 1]);
    expect(dispatchShape(5, 65535)).toEqual([5, 1]);
    expect(dispatchShape(65535, 65535)).toEqual([65535, 1]);
    expect(dispatchShape(65536, 65535)).toEqual([65535, 2]);
    expect(dispatchShape(5, 3)).toEqual([3, 2]);
    expect(() => dispatchShape(10, 3)).toThrow(/2-D dispatch/);
  });
});

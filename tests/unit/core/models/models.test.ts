import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Discriminator } from '../../../../src/core/models/discriminator';
import { POINT_SHAPE } from '../../../../src/core/data/types';
import { architectureFor } from '../../../../src/core/models/architecture';
import { Generator } from '../../../../src/core/models/generator';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('standard CNN (SN paper Table 3)', () => {
  it('D has 7 convs and a dense layer with the paper channel plan', () => {
    const d = new Discriminator('cnn', 64, 1);
    expect(d.layers.map((l) => l.weight.shape)).toEqual([
      [3, 3, 3, 64],
      [4, 4, 64, 64],
      [3, 3, 64, 128],
      [4, 4, 128, 128],
      [3, 3, 128, 256],
      [4, 4, 256, 256],
      [3, 3, 256, 512],
      [4 * 4 * 512, 1],
    ]);
    expect(d.layers.map((l) => l.stride)).toEqual([1, 2, 1, 2, 1, 2, 1, 1]);
    d.dispose();
  });

  it('G maps z to 32x32x3 images in [-1, 1] and D maps images to one logit each', async () => {
    const g = new Generator('cnn', 4, 16, 1);
    const d = new Discriminator('cnn', 4, 1);
    const z = tf.randomNormal([3, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
    const images = g.apply(z);
    expect(images.shape).toEqual([3, 32, 32, 3]);
    const values = await images.data();
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    const logits = d.apply(
      images,
      d.layers.map((l) => l.weight),
    );
    expect(logits.shape).toEqual([3, 1]);
    tf.dispose([z, images, logits]);
    g.dispose();
    d.dispose();
  });

  it('the same seed gives the same initial weights, another seed different ones', async () => {
    const a = new Discriminator('cnn', 4, 7);
    const b = new Discriminator('cnn', 4, 7);
    const c = new Discriminator('cnn', 4, 8);
    const wa = await a.layers[2].weight.data();
    expect(Array.from(await b.layers[2].weight.data())).toEqual(Array.from(wa));
    expect(Array.from(await c.layers[2].weight.data())).not.toEqual(Array.from(wa));
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('MLP', () => {
  it('on 2-D points: 2 inputs to D, 2 linear (unbounded) outputs from G, hidden width 4ch / 4gch', async () => {
    const g = new Generator('mlp', 4, 3, 1, POINT_SHAPE);
    const d = new Discriminator('mlp', 2, 1, POINT_SHAPE);
    const z = tf.mul(tf.randomNormal([64, 3], 0, 1, 'float32', 5), 50) as tf.Tensor2D;
    const points = g.apply(z);
    expect(points.shape).toEqual([64, 2]);
    expect(g.variables.map((v) => v.shape)).toEqual([[3, 16], [16], [16, 16], [16], [16, 2], [2]]);
    // Linear output: large z gives points outside [-1, 1] (a tanh output could not reach the grid's 4).
    expect(Math.max(...Array.from(await tf.abs(points).data()))).toBeGreaterThan(1);
    expect(d.layers.map((l) => [l.kind, ...l.weight.shape])).toEqual([
      ['dense', 2, 8],
      ['dense', 8, 8],
      ['dense', 8, 1],
    ]);
    expect(
      d.apply(
        points,
        d.layers.map((l) => l.weight),
      ).shape,
    ).toEqual([64, 1]);
    g.dispose();
    d.dispose();
    tf.dispose([z, points]);
  });

  it('conv architectures refuse points; the toy data always gets the MLP', () => {
    expect(() => new Discriminator('cnn', 2, 1, POINT_SHAPE)).toThrow(/need arch mlp/);
    expect(() => new Generator('resnet', 2, 4, 1, POINT_SHAPE)).toThrow(/need arch mlp/);
    expect(architectureFor('cnn', POINT_SHAPE)).toBe('mlp');
    expect(architectureFor('resnet', [32, 32, 3])).toBe('resnet');
  });

  it('has the expected shapes', () => {
    const g = new Generator('mlp', 8, 10, 1);
    const d = new Discriminator('mlp', 8, 1);
    const z = tf.randomNormal([2, 10]) as tf.Tensor2D;
    const images = g.apply(z);
    expect(images.shape).toEqual([2, 32, 32, 3]);
    expect(
      d.apply(
        images,
        d.layers.map((l) => l.weight),
      ).shape,
    ).toEqual([2, 1]);
    expect(d.layers.map((l) => l.weight.shape)).toEqual([
      [3072, 32],
      [32, 32],
      [32, 1],
    ]);
    g.dispose();
    d.dispose();
  });
});

describe('ResNet (SN paper Table 4): D width 2ch, G width 4gch', () => {
  it('D lists every conv (1x1 shortcuts included) and the dense layer, in forward order', () => {
    const d = new Discriminator('resnet', 4, 1); // width 8
    expect(d.layers.map((l) => [l.name, l.kind, l.weight.shape])).toEqual([
      ['D.block1.conv1', 'conv', [3, 3, 3, 8]],
      ['D.block1.conv2', 'conv', [3, 3, 8, 8]],
      ['D.block1.shortcut', 'conv', [1, 1, 3, 8]],
      ['D.block2.conv1', 'conv', [3, 3, 8, 8]],
      ['D.block2.conv2', 'conv', [3, 3, 8, 8]],
      ['D.block2.shortcut', 'conv', [1, 1, 8, 8]],
      ['D.block3.conv1', 'conv', [3, 3, 8, 8]],
      ['D.block3.conv2', 'conv', [3, 3, 8, 8]],
      ['D.block4.conv1', 'conv', [3, 3, 8, 8]],
      ['D.block4.conv2', 'conv', [3, 3, 8, 8]],
      ['D.dense', 'dense', [8, 1]],
    ]);
    // Every conv has a bias, the final dense layer none; the optimizer gets 11 weights + 10 biases.
    expect(d.layers.map((l) => l.bias !== null)).toEqual([...Array(10).fill(true), false]);
    expect(d.variables).toHaveLength(21);
    d.dispose();
  });

  it('the default ch = 64 gives the paper widths (D 128, G 256)', () => {
    const d = new Discriminator('resnet', 64, 1);
    expect(d.layers[0].weight.shape).toEqual([3, 3, 3, 128]);
    expect(d.layers[10].weight.shape).toEqual([128, 1]);
    d.dispose();
    const g = new Generator('resnet', 64, 128, 1);
    expect(g.variables[0].shape).toEqual([128, 4 * 4 * 256]);
    g.dispose();
  });

  it('G maps z to 32x32x3 images in [-1, 1] and D maps them to one logit each', async () => {
    const g = new Generator('resnet', 2, 16, 1);
    const d = new Discriminator('resnet', 2, 1);
    const z = tf.randomNormal([3, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
    const images = g.apply(z);
    expect(images.shape).toEqual([3, 32, 32, 3]);
    const values = await images.data();
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(new Set(values).size).toBeGreaterThan(100); // not constant
    const logits = d.apply(
      images,
      d.layers.map((l) => l.weight),
    );
    expect(logits.shape).toEqual([3, 1]);
    expect(Array.from(await logits.data()).every(Number.isFinite)).toBe(true);
    tf.dispose([z, images, logits]);
    g.dispose();
    d.dispose();
  });

  it('D uses the effective weights it is given, shortcuts included', async () => {
    const d = new Discriminator('resnet', 2, 3);
    const images = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const raw = d.layers.map((l) => l.weight as tf.Tensor);
    const base = await d.apply(images, raw).data();
    const shortcut = d.layers.findIndex((l) => l.name === 'D.block2.shortcut');
    const changed = raw.map((w, i) => (i === shortcut ? tf.mul(w, 0) : w));
    const other = await d.apply(images, changed).data();
    expect(Array.from(other)).not.toEqual(Array.from(base));
    expect(() => d.apply(images, raw.slice(1))).toThrow(/expected 11 D weights/);
    tf.dispose([images, changed[shortcut]]);
    d.dispose();
  });

  it('gradients reach every D weight and every G variable', () => {
    const g = new Generator('resnet', 2, 8, 1);
    const d = new Discriminator('resnet', 2, 1);
    const z = tf.randomNormal([2, 8], 0, 1, 'float32', 4) as tf.Tensor2D;
    const score = () =>
      tf.sum(
        d.apply(
          g.apply(z),
          d.layers.map((l) => l.weight),
        ),
      ) as tf.Scalar;
    const dGrads = tf.variableGrads(score, d.variables).grads;
    const gGrads = tf.variableGrads(score, g.variables).grads;
    expect(Object.keys(dGrads)).toHaveLength(d.variables.length);
    expect(Object.keys(gGrads)).toHaveLength(g.variables.length);
    tf.dispose([z, ...Object.values(dGrads), ...Object.values(gGrads)]);
    g.dispose();
    d.dispose();
  });

  it('the same seed gives the same initial weights, another seed different ones', async () => {
    const read = async (m: { variables: tf.Variable[] }) =>
      Promise.all(m.variables.map(async (v) => Array.from(await v.data())));
    const [a, b, c] = [7, 7, 8].map((seed) => new Discriminator('resnet', 2, seed));
    expect(await read(b)).toEqual(await read(a));
    expect(await read(c)).not.toEqual(await read(a));
    const [ga, gb] = [7, 7].map((seed) => new Generator('resnet', 2, 8, seed));
    expect(await read(gb)).toEqual(await read(ga));
    // Glorot uniform with gain sqrt 2 on a 3x3 conv: |w| <= sqrt2 * sqrt(6 / (9 cin + 9 cout)).
    const w = await a.layers[1].weight.data();
    const limit = Math.SQRT2 * Math.sqrt(6 / (9 * 4 + 9 * 4));
    expect(Math.max(...Array.from(w).map(Math.abs))).toBeLessThanOrEqual(limit);
    [a, b, c, ga, gb].forEach((m) => m.dispose());
  });
});

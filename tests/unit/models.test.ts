import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Discriminator } from '../../src/core/models/discriminator';
import { Generator } from '../../src/core/models/generator';

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
    const logits = d.apply(images, d.layers.map((l) => l.weight));
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
  it('has the expected shapes', () => {
    const g = new Generator('mlp', 8, 10, 1);
    const d = new Discriminator('mlp', 8, 1);
    const z = tf.randomNormal([2, 10]) as tf.Tensor2D;
    const images = g.apply(z);
    expect(images.shape).toEqual([2, 32, 32, 3]);
    expect(d.apply(images, d.layers.map((l) => l.weight)).shape).toEqual([2, 1]);
    expect(d.layers.map((l) => l.weight.shape)).toEqual([
      [3072, 32],
      [32, 32],
      [32, 1],
    ]);
    g.dispose();
    d.dispose();
  });
});

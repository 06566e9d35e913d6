import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminatorLoss, generatorLoss } from '../../../../src/core/train/losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const softplus = (x: number) => Math.log(1 + Math.exp(x));

describe('GAN losses on hand-computed values', () => {
  const real = tf.tensor2d([[2], [0.5], [-1]]);
  const fake = tf.tensor2d([[-3], [0.25], [1.5]]);

  it('hinge D loss = mean relu(1 - D(x)) + mean relu(1 + D(G(z)))', async () => {
    // real: relu(1-2)=0, relu(0.5)=0.5, relu(2)=2 -> 2.5/3; fake: relu(-2)=0, 1.25, 2.5 -> 3.75/3
    const value = (await discriminatorLoss('hinge', real, fake).data())[0];
    expect(value).toBeCloseTo(2.5 / 3 + 3.75 / 3, 6);
  });

  it('hinge G loss = -mean D(G(z))', async () => {
    const value = (await generatorLoss('hinge', fake).data())[0];
    expect(value).toBeCloseTo(-(-3 + 0.25 + 1.5) / 3, 6);
  });

  it('standard D loss = mean softplus(-D(x)) + mean softplus(D(G(z)))', async () => {
    const expected =
      (softplus(-2) + softplus(-0.5) + softplus(1)) / 3 + (softplus(-3) + softplus(0.25) + softplus(1.5)) / 3;
    const value = (await discriminatorLoss('ns', real, fake).data())[0];
    expect(value).toBeCloseTo(expected, 5);
  });

  it('non-saturating G loss = mean softplus(-D(G(z)))', async () => {
    const expected = (softplus(3) + softplus(-0.25) + softplus(-1.5)) / 3;
    const value = (await generatorLoss('ns', fake).data())[0];
    expect(value).toBeCloseTo(expected, 5);
  });

  it('does not leak tensors', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      discriminatorLoss('hinge', real, fake).dispose();
      generatorLoss('ns', fake).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

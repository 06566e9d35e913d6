// A small MLP generator for quick experiments: two ReLU hidden layers of 4gch units, tanh output.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../data/types';
import { deriveSeed } from '../data/seeded-random';
import type { GeneratorForward, ParameterBag } from './generator-parameters';

export function mlpGenerator(bag: ParameterBag, gch: number, zdim: number, seed: number): GeneratorForward {
  const hidden = 4 * gch;
  const outputs = IMAGE_SIZE * IMAGE_SIZE * 3;
  const sizes = [zdim, hidden, hidden, outputs];
  const layers = [0, 1, 2].map((i) => ({
    weight: bag.normal([sizes[i], sizes[i + 1]], deriveSeed(seed, 10 + i)),
    bias: bag.constant([sizes[i + 1]], 0),
  }));
  return (z) => {
    let h: tf.Tensor = z;
    layers.forEach((layer, i) => {
      h = tf.add(tf.matMul(h as tf.Tensor2D, layer.weight as tf.Tensor2D), layer.bias);
      h = i < layers.length - 1 ? tf.relu(h) : tf.tanh(h);
    });
    return tf.reshape(h, [z.shape[0], IMAGE_SIZE, IMAGE_SIZE, 3]) as tf.Tensor4D;
  };
}

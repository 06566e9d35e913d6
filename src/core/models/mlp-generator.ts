// A small MLP generator: two ReLU hidden layers of 4gch units, then a dense layer to one sample.
// Images: 3072 outputs with tanh, reshaped to [32, 32, 3]. Points (the toy 2-D data sets): 2 linear
// outputs, as in the toy-GAN set-ups (unrolled GAN, VEEGAN, GAN Lab), whose data is not in [-1, 1].
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SHAPE, isImageShape, sampleSize, type SampleShape } from '../data/types';
import { deriveSeed } from '../data/seeded-random';
import type { GeneratorForward, ParameterBag } from './generator-parameters';

export function mlpGenerator(
  bag: ParameterBag,
  gch: number,
  zdim: number,
  seed: number,
  sampleShape: SampleShape = IMAGE_SHAPE,
): GeneratorForward {
  const hidden = 4 * gch;
  const images = isImageShape(sampleShape);
  const sizes = [zdim, hidden, hidden, sampleSize(sampleShape)];
  // Images keep the DCGAN init N(0, 0.02) of the first version (same runs). Points use Glorot
  // uniform: with a linear output, N(0, 0.02) would start every sample within about 0.01 of the
  // origin, far below the data's scale of 2-4.
  const layers = [0, 1, 2].map((i) => ({
    weight: images
      ? bag.normal([sizes[i], sizes[i + 1]], deriveSeed(seed, 10 + i))
      : bag.glorot([sizes[i], sizes[i + 1]], 1, deriveSeed(seed, 10 + i)),
    bias: bag.constant([sizes[i + 1]], 0),
  }));
  return (z) => {
    let h: tf.Tensor = z;
    layers.forEach((layer, i) => {
      h = tf.add(tf.matMul(h as tf.Tensor2D, layer.weight as tf.Tensor2D), layer.bias);
      if (i < layers.length - 1) h = tf.relu(h);
      else if (images) h = tf.tanh(h);
    });
    return tf.reshape(h, [z.shape[0], ...sampleShape]);
  };
}

// The SN paper's standard CNN generator (Table 3): dense to 4x4x8gch, three 4x4 stride-2
// deconvolutions to 4gch, 2gch, gch (each with batch norm and ReLU), a 3x3 conv to RGB and tanh.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../data/types';
import { deriveSeed } from '../data/seeded-random';
import { batchNormRelu } from '../kernels/batch-norm-relu';
import { type GeneratorForward, type ParameterBag } from './generator-parameters';

const BASE_SIZE = IMAGE_SIZE / 8; // 4x4 before three upsampling steps

export function standardCnnGenerator(bag: ParameterBag, gch: number, zdim: number, seed: number): GeneratorForward {
  const top = 8 * gch;
  const dense = bag.normal([zdim, BASE_SIZE * BASE_SIZE * top], deriveSeed(seed, 1));
  const denseBias = bag.constant([BASE_SIZE * BASE_SIZE * top], 0);
  const denseNorm = bag.batchNorm(BASE_SIZE * BASE_SIZE * top);
  const channels = [top, 4 * gch, 2 * gch, gch];
  const deconvs = [0, 1, 2].map((i) => ({
    // conv2dTranspose filters are [kh, kw, outChannels, inChannels].
    weight: bag.normal([4, 4, channels[i + 1], channels[i]], deriveSeed(seed, 2 + i)),
    bias: bag.constant([channels[i + 1]], 0),
    norm: bag.batchNorm(channels[i + 1]),
    outChannels: channels[i + 1],
    outSize: BASE_SIZE * 2 ** (i + 1),
  }));
  const toRgb = bag.normal([3, 3, gch, 3], deriveSeed(seed, 5));
  const toRgbBias = bag.constant([3], 0);

  return (z) => {
    const batch = z.shape[0];
    // relu(batchNorm(x + bias)), one fused kernel on webgpu, the same tfjs ops as before elsewhere.
    let h: tf.Tensor = batchNormRelu(tf.matMul(z, dense), denseNorm, denseBias);
    h = tf.reshape(h, [batch, BASE_SIZE, BASE_SIZE, top]);
    for (const layer of deconvs) {
      const shape: [number, number, number, number] = [batch, layer.outSize, layer.outSize, layer.outChannels];
      h = tf.conv2dTranspose(h as tf.Tensor4D, layer.weight as tf.Tensor4D, shape, 2, 'same');
      h = batchNormRelu(h, layer.norm, layer.bias);
    }
    return tf.tanh(tf.add(tf.conv2d(h as tf.Tensor4D, toRgb as tf.Tensor4D, 1, 'same'), toRgbBias)) as tf.Tensor4D;
  };
}

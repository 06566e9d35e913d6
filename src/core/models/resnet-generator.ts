// The SN paper's CIFAR ResNet generator (Table 4; the authors' resnet_32): dense to 4x4xW, three
// ResBlocks up (BN, ReLU, nearest-neighbour 2x upsample, conv 3x3, BN, ReLU, conv 3x3; shortcut:
// upsample, 1x1 conv), then BN, ReLU, conv 3x3 to RGB, tanh.
// Width W = 4 * gch, so the default gch = 64 gives the paper's 256 and gch = 4 a tiny test model.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../data/types';
import { deriveSeed } from '../data/seeded-random';
import { batchNormRelu } from '../kernels/batch-norm-relu';
import { type GeneratorForward, type ParameterBag } from './generator-parameters';

const BASE_SIZE = IMAGE_SIZE / 8;

/** G channels for the URL's `gch` (the paper: gch 64 -> 256). */
export function resnetGeneratorWidth(gch: number): number {
  return 4 * gch;
}

const upsample = (h: tf.Tensor4D): tf.Tensor4D => tf.image.resizeNearestNeighbor(h, [h.shape[1] * 2, h.shape[2] * 2]);

export function resnetGenerator(bag: ParameterBag, gch: number, zdim: number, seed: number): GeneratorForward {
  const width = resnetGeneratorWidth(gch);
  let stream = 20;
  const next = () => deriveSeed(seed, stream++);
  // The authors' init: GlorotUniform(sqrt 2) inside blocks, GlorotUniform(1) for dense, shortcuts, output conv.
  const dense = bag.glorot([zdim, BASE_SIZE * BASE_SIZE * width], 1, next());
  const denseBias = bag.constant([BASE_SIZE * BASE_SIZE * width], 0);
  const blocks = [0, 1, 2].map(() => ({
    norm1: bag.batchNorm(width),
    conv1: bag.glorot([3, 3, width, width], Math.SQRT2, next()),
    bias1: bag.constant([width], 0),
    norm2: bag.batchNorm(width),
    conv2: bag.glorot([3, 3, width, width], Math.SQRT2, next()),
    bias2: bag.constant([width], 0),
    shortcut: bag.glorot([1, 1, width, width], 1, next()),
    shortcutBias: bag.constant([width], 0),
  }));
  const outNorm = bag.batchNorm(width);
  const toRgb = bag.glorot([3, 3, width, 3], 1, next());
  const toRgbBias = bag.constant([3], 0);
  const conv = (x: tf.Tensor4D, w: tf.Variable, b: tf.Variable): tf.Tensor4D =>
    tf.add(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'), b);

  return (z) => {
    const linear = tf.add(tf.matMul(z, dense), denseBias);
    let h = tf.reshape(linear, [z.shape[0], BASE_SIZE, BASE_SIZE, width]) as tf.Tensor4D;
    for (const b of blocks) {
      // relu(batchNorm(.)): one fused kernel on webgpu, the same tfjs ops as before elsewhere. conv1's
      // bias goes into it (x + bias is the same op as conv() adds, and is free in the fused kernel).
      let r = upsample(batchNormRelu(h, b.norm1) as tf.Tensor4D);
      r = tf.conv2d(r, b.conv1 as tf.Tensor4D, 1, 'same');
      r = conv(batchNormRelu(r, b.norm2, b.bias1) as tf.Tensor4D, b.conv2, b.bias2);
      h = tf.add(r, conv(upsample(h), b.shortcut, b.shortcutBias));
    }
    const out = batchNormRelu(h, outNorm) as tf.Tensor4D;
    return tf.tanh(conv(out, toRgb, toRgbBias));
  };
}

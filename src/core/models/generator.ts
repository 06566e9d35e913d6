// Generators for 32x32 RGB images in [-1, 1].
// cnn: the SN paper's standard CNN generator (Table 3): dense to 4x4x8gch, three 4x4 stride-2
// deconvolutions to 4gch, 2gch, gch (each with batch norm and ReLU), a 3x3 conv to RGB and tanh.
// mlp: two ReLU hidden layers of 4gch units and a tanh output layer.
import * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../config/schema';
import { IMAGE_SIZE } from '../data/types';
import { deriveSeed } from '../data/seeded-random';
import { constantVariable, normalVariable } from './parameters';

const BATCH_NORM_EPSILON = 1e-5;
const BASE_SIZE = IMAGE_SIZE / 8; // 4x4 before three upsampling steps

interface BatchNormParams {
  gamma: tf.Variable;
  beta: tf.Variable;
}

/** Batch statistics in both training and sampling, as in the reference GAN code's train mode. */
function batchNorm(x: tf.Tensor, params: BatchNormParams): tf.Tensor {
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, params.beta, params.gamma, BATCH_NORM_EPSILON);
}

export class Generator {
  readonly variables: tf.Variable[] = [];
  private readonly forward: (z: tf.Tensor2D) => tf.Tensor4D;

  constructor(
    arch: ArchName,
    readonly gch: number,
    readonly zdim: number,
    seed: number,
  ) {
    this.forward = arch === 'cnn' ? this.buildStandardCnn(seed) : this.buildMlp(seed);
  }

  /** Images [batch, 32, 32, 3] in [-1, 1] from latent vectors [batch, zdim]. */
  apply(z: tf.Tensor2D): tf.Tensor4D {
    return this.forward(z);
  }

  private weight(shape: number[], seed: number): tf.Variable {
    const v = normalVariable(shape, seed);
    this.variables.push(v);
    return v;
  }

  private constant(shape: number[], value: number): tf.Variable {
    const v = constantVariable(shape, value);
    this.variables.push(v);
    return v;
  }

  private batchNormParams(channels: number): BatchNormParams {
    return { gamma: this.constant([channels], 1), beta: this.constant([channels], 0) };
  }

  private buildStandardCnn(seed: number): (z: tf.Tensor2D) => tf.Tensor4D {
    const g = this.gch;
    const top = 8 * g;
    const dense = this.weight([this.zdim, BASE_SIZE * BASE_SIZE * top], deriveSeed(seed, 1));
    const denseBias = this.constant([BASE_SIZE * BASE_SIZE * top], 0);
    const denseNorm = this.batchNormParams(BASE_SIZE * BASE_SIZE * top);
    const channels = [top, 4 * g, 2 * g, g];
    const deconvs = [0, 1, 2].map((i) => ({
      // conv2dTranspose filters are [kh, kw, outChannels, inChannels].
      weight: this.weight([4, 4, channels[i + 1], channels[i]], deriveSeed(seed, 2 + i)),
      bias: this.constant([channels[i + 1]], 0),
      norm: this.batchNormParams(channels[i + 1]),
      outChannels: channels[i + 1],
      outSize: BASE_SIZE * 2 ** (i + 1),
    }));
    const toRgb = this.weight([3, 3, g, 3], deriveSeed(seed, 5));
    const toRgbBias = this.constant([3], 0);

    return (z) => {
      const batch = z.shape[0];
      let h: tf.Tensor = tf.relu(batchNorm(tf.add(tf.matMul(z, dense), denseBias), denseNorm));
      h = tf.reshape(h, [batch, BASE_SIZE, BASE_SIZE, top]);
      for (const layer of deconvs) {
        const shape: [number, number, number, number] = [batch, layer.outSize, layer.outSize, layer.outChannels];
        h = tf.conv2dTranspose(h as tf.Tensor4D, layer.weight as tf.Tensor4D, shape, 2, 'same');
        h = tf.relu(batchNorm(tf.add(h, layer.bias), layer.norm));
      }
      return tf.tanh(tf.add(tf.conv2d(h as tf.Tensor4D, toRgb as tf.Tensor4D, 1, 'same'), toRgbBias)) as tf.Tensor4D;
    };
  }

  private buildMlp(seed: number): (z: tf.Tensor2D) => tf.Tensor4D {
    const hidden = 4 * this.gch;
    const outputs = IMAGE_SIZE * IMAGE_SIZE * 3;
    const sizes = [this.zdim, hidden, hidden, outputs];
    const layers = [0, 1, 2].map((i) => ({
      weight: this.weight([sizes[i], sizes[i + 1]], deriveSeed(seed, 10 + i)),
      bias: this.constant([sizes[i + 1]], 0),
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

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

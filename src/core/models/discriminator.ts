// Discriminators as a sequence of weight layers (conv or dense) with leaky ReLU between them.
// The forward pass takes the effective weights from outside, so any normalization can be applied
// to the raw weights without the model knowing about it.
import * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../config/schema';
import { IMAGE_SIZE } from '../data/types';
import { deriveSeed } from '../data/seeded-random';
import { constantVariable, normalVariable } from './parameters';

/** Leaky ReLU slope of the SN paper's standard CNN (Table 3). */
export const D_LEAKY_SLOPE = 0.1;

export interface DiscriminatorLayer {
  name: string;
  kind: 'conv' | 'dense';
  /** Raw weight: conv [kh, kw, cin, cout], dense [in, out]. */
  weight: tf.Variable;
  bias: tf.Variable;
  stride: number;
}

interface LayerPlan {
  kind: 'conv' | 'dense';
  shape: number[];
  stride: number;
}

/** SN paper, Table 3 (M = 32): 3x3 s1, 4x4 s2 pairs at ch, 2ch, 4ch, then 3x3 s1 8ch and dense. */
function standardCnnPlan(ch: number): LayerPlan[] {
  const conv = (k: number, cin: number, cout: number, stride: number): LayerPlan => ({
    kind: 'conv',
    shape: [k, k, cin, cout],
    stride,
  });
  const finalSize = IMAGE_SIZE / 8;
  return [
    conv(3, 3, ch, 1),
    conv(4, ch, ch, 2),
    conv(3, ch, 2 * ch, 1),
    conv(4, 2 * ch, 2 * ch, 2),
    conv(3, 2 * ch, 4 * ch, 1),
    conv(4, 4 * ch, 4 * ch, 2),
    conv(3, 4 * ch, 8 * ch, 1),
    { kind: 'dense', shape: [finalSize * finalSize * 8 * ch, 1], stride: 1 },
  ];
}

/** Two hidden layers of 4ch units on the flattened image. */
function mlpPlan(ch: number): LayerPlan[] {
  const inputs = IMAGE_SIZE * IMAGE_SIZE * 3;
  const hidden = 4 * ch;
  return [
    { kind: 'dense', shape: [inputs, hidden], stride: 1 },
    { kind: 'dense', shape: [hidden, hidden], stride: 1 },
    { kind: 'dense', shape: [hidden, 1], stride: 1 },
  ];
}

export class Discriminator {
  readonly layers: DiscriminatorLayer[];

  constructor(arch: ArchName, ch: number, seed: number) {
    const plan = arch === 'cnn' ? standardCnnPlan(ch) : mlpPlan(ch);
    this.layers = plan.map((layer, i) => {
      const name = `D.${layer.kind}${i}`;
      return {
        name,
        kind: layer.kind,
        weight: normalVariable(layer.shape, deriveSeed(seed, 100 + i)),
        bias: constantVariable([layer.shape[layer.shape.length - 1]], 0),
        stride: layer.stride,
      };
    });
  }

  /** Logits [batch, 1] for images [batch, 32, 32, 3], using the given effective weights. */
  apply(images: tf.Tensor4D, weights: readonly tf.Tensor[]): tf.Tensor2D {
    let h: tf.Tensor = images;
    this.layers.forEach((layer, i) => {
      const isLast = i === this.layers.length - 1;
      if (layer.kind === 'conv') {
        h = tf.add(tf.conv2d(h as tf.Tensor4D, weights[i] as tf.Tensor4D, layer.stride, 'same'), layer.bias);
      } else {
        h = tf.add(tf.matMul(tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D, weights[i] as tf.Tensor2D), layer.bias);
      }
      if (!isLast) h = tf.leakyRelu(h, D_LEAKY_SLOPE);
    });
    return h as tf.Tensor2D;
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((layer) => [layer.weight, layer.bias]);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

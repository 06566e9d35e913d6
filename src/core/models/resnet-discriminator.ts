// The SN paper's CIFAR ResNet discriminator (Table 4; the authors' snresnet_32):
// OptimizedBlock down, ResBlock down, ResBlock, ResBlock, ReLU, global sum pool, dense to 1 (no bias).
// Width: 2 * ch channels in every block, so the default ch = 64 gives the paper's 128 and ch = 4 a
// tiny test model. No batch norm; 2x2 average pooling; learned 1x1 shortcuts only where a block
// downsamples or changes channels. Every conv and the dense layer are in the flat `layers` list, so
// each normalization applies to the shortcuts too.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../data/seeded-random';
import {
  applyConv,
  applyDense,
  makeLayer,
  type DiscriminatorLayer,
  type DiscriminatorNetwork,
} from './discriminator-layer';
import { glorotUniformVariable } from './parameters';

/** D channels for the URL's `ch` (the paper: ch 64 -> 128). */
export function resnetDiscriminatorWidth(ch: number): number {
  return 2 * ch;
}

interface BlockLayers {
  conv1: DiscriminatorLayer;
  conv2: DiscriminatorLayer;
  shortcut: DiscriminatorLayer | null;
  downsample: boolean;
  /** The first block: no ReLU before conv1, and the shortcut pools before its 1x1 conv. */
  optimized: boolean;
}

const downsample = (h: tf.Tensor4D): tf.Tensor4D => tf.avgPool(h, 2, 2, 'valid');

export class ResnetDiscriminator implements DiscriminatorNetwork {
  readonly layers: DiscriminatorLayer[] = [];
  private readonly blocks: BlockLayers[];
  private readonly output: DiscriminatorLayer;

  constructor(ch: number, seed: number) {
    const width = resnetDiscriminatorWidth(ch);
    let stream = 100;
    // The authors' init: GlorotUniform(sqrt 2) for 3x3 convs, GlorotUniform(1) for shortcuts and the dense layer.
    const add = (
      name: string,
      kind: 'conv' | 'dense',
      shape: number[],
      gain: number,
      bias = true,
    ): DiscriminatorLayer => {
      const layer = makeLayer(name, kind, glorotUniformVariable(shape, gain, deriveSeed(seed, stream++)), { bias });
      this.layers.push(layer);
      return layer;
    };
    const block = (index: number, cin: number, down: boolean, optimized: boolean): BlockLayers => {
      const prefix = `D.block${index}`;
      return {
        conv1: add(`${prefix}.conv1`, 'conv', [3, 3, cin, width], Math.SQRT2),
        conv2: add(`${prefix}.conv2`, 'conv', [3, 3, width, width], Math.SQRT2),
        shortcut: down || cin !== width ? add(`${prefix}.shortcut`, 'conv', [1, 1, cin, width], 1) : null,
        downsample: down,
        optimized,
      };
    };
    this.blocks = [
      block(1, 3, true, true),
      block(2, width, true, false),
      block(3, width, false, false),
      block(4, width, false, false),
    ];
    this.output = add('D.dense', 'dense', [width, 1], 1, false);
  }

  forward(images: tf.Tensor, weights: readonly tf.Tensor[]): tf.Tensor2D {
    const w = (layer: DiscriminatorLayer) => weights[this.layers.indexOf(layer)];
    let h = images as tf.Tensor4D;
    for (const b of this.blocks) {
      let r = b.optimized ? h : tf.relu(h);
      r = applyConv(r, b.conv1, w(b.conv1), 'relu'); // conv1 + bias + ReLU, fused on webgpu
      r = applyConv(r, b.conv2, w(b.conv2));
      if (b.downsample) r = downsample(r);
      h = tf.add(r, this.shortcut(b, h, w));
    }
    const pooled = tf.sum(tf.relu(h), [1, 2]); // global sum pool -> [batch, width]
    return applyDense(pooled, this.output, w(this.output));
  }

  private shortcut(b: BlockLayers, h: tf.Tensor4D, w: (layer: DiscriminatorLayer) => tf.Tensor): tf.Tensor4D {
    if (!b.shortcut) return h;
    // The optimized block pools first (cheaper 1x1 conv), the others convolve first, as in the authors' code.
    if (b.optimized) return applyConv(downsample(h), b.shortcut, w(b.shortcut));
    const s = applyConv(h, b.shortcut, w(b.shortcut));
    return b.downsample ? downsample(s) : s;
  }
}

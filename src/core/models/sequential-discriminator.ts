// Discriminators that are a plain chain of weight layers with leaky ReLU between them:
// the SN paper's standard CNN (Table 3) and a small MLP (on flattened images, or on 2-D points).
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SHAPE, IMAGE_SIZE, sampleSize, type SampleShape } from '../data/types';
import { deriveSeed } from '../data/seeded-random';
import {
  applyConv,
  applyDense,
  makeLayer,
  type DiscriminatorLayer,
  type DiscriminatorNetwork,
} from './discriminator-layer';
import { normalVariable } from './parameters';

/** Leaky ReLU slope of the SN paper's standard CNN (Table 3). */
export const D_LEAKY_SLOPE = 0.1;

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

/** Two hidden layers of 4ch units on the flattened sample (3072 inputs for an image, 2 for a point). */
function mlpPlan(ch: number, sampleShape: SampleShape): LayerPlan[] {
  const inputs = sampleSize(sampleShape);
  const hidden = 4 * ch;
  return [
    { kind: 'dense', shape: [inputs, hidden], stride: 1 },
    { kind: 'dense', shape: [hidden, hidden], stride: 1 },
    { kind: 'dense', shape: [hidden, 1], stride: 1 },
  ];
}

class SequentialDiscriminator implements DiscriminatorNetwork {
  readonly layers: DiscriminatorLayer[];

  constructor(plan: LayerPlan[], seed: number) {
    // Seed streams 100 + i and names D.<kind><i> are unchanged from the first version (same runs).
    this.layers = plan.map((layer, i) =>
      makeLayer(`D.${layer.kind}${i}`, layer.kind, normalVariable(layer.shape, deriveSeed(seed, 100 + i)), {
        stride: layer.stride,
      }),
    );
  }

  forward(samples: tf.Tensor, weights: readonly tf.Tensor[]): tf.Tensor2D {
    let h: tf.Tensor = samples;
    this.layers.forEach((layer, i) => {
      // Leaky ReLU after every layer but the last, fused into the layer (webgpu) or as its own op.
      const activation = i < this.layers.length - 1 ? 'leakyrelu' : 'linear';
      h =
        layer.kind === 'conv'
          ? applyConv(h as tf.Tensor4D, layer, weights[i], activation, D_LEAKY_SLOPE)
          : applyDense(h, layer, weights[i], activation, D_LEAKY_SLOPE);
    });
    return h as tf.Tensor2D;
  }
}

export function standardCnnDiscriminator(ch: number, seed: number): DiscriminatorNetwork {
  return new SequentialDiscriminator(standardCnnPlan(ch), seed);
}

export function mlpDiscriminator(
  ch: number,
  seed: number,
  sampleShape: SampleShape = IMAGE_SHAPE,
): DiscriminatorNetwork {
  return new SequentialDiscriminator(mlpPlan(ch, sampleShape), seed);
}

// What every discriminator architecture provides. Its weight layers are one flat list, so each
// normalization applies to every conv and dense weight (ResNet 1x1 shortcuts included), and the
// forward pass takes the effective weights from outside (in the same order as `layers`).
import * as tf from '@tensorflow/tfjs';
import { constantVariable } from './parameters';

export interface DiscriminatorLayer {
  name: string;
  kind: 'conv' | 'dense';
  /** Raw weight: conv [kh, kw, cin, cout], dense [in, out]. */
  weight: tf.Variable;
  /** Null for a layer without bias (the ResNet's final dense layer). */
  bias: tf.Variable | null;
  stride: number;
}

export interface DiscriminatorNetwork {
  readonly layers: DiscriminatorLayer[];
  /** Logits [batch, 1] for samples [batch, ...sampleShape]; weights[i] replaces layers[i].weight. */
  forward(samples: tf.Tensor, weights: readonly tf.Tensor[]): tf.Tensor2D;
}

export function makeLayer(
  name: string,
  kind: 'conv' | 'dense',
  weight: tf.Variable,
  options: { stride?: number; bias?: boolean } = {},
): DiscriminatorLayer {
  const outputs = weight.shape[weight.shape.length - 1];
  return {
    name,
    kind,
    weight,
    bias: options.bias === false ? null : constantVariable([outputs], 0),
    stride: options.stride ?? 1,
  };
}

/** conv2d with 'same' padding and the layer's stride and bias. */
export function applyConv(h: tf.Tensor4D, layer: DiscriminatorLayer, weight: tf.Tensor): tf.Tensor4D {
  const out = tf.conv2d(h, weight as tf.Tensor4D, layer.stride, 'same');
  return layer.bias ? tf.add<tf.Tensor4D>(out, layer.bias) : out;
}

/** Flattens h to [batch, features] and applies the dense layer. */
export function applyDense(h: tf.Tensor, layer: DiscriminatorLayer, weight: tf.Tensor): tf.Tensor2D {
  const out: tf.Tensor2D = tf.matMul(tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D, weight as tf.Tensor2D);
  return layer.bias ? tf.add<tf.Tensor2D>(out, layer.bias) : out;
}

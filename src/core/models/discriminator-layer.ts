// What every discriminator architecture provides. Its weight layers are one flat list, so each
// normalization applies to every conv and dense weight (ResNet 1x1 shortcuts included), and the
// forward pass takes the effective weights from outside (in the same order as `layers`).
import * as tf from '@tensorflow/tfjs';
import { convBiasActivation, denseBiasActivation, type LayerActivation } from '../kernels/fused-layer';
import { constantVariable } from './parameters';

export type { LayerActivation } from '../kernels/fused-layer';

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

/**
 * conv2d with 'same' padding and the layer's stride and bias, then `activation` (alpha: leaky ReLU's
 * slope). Fused into one kernel chain with a hand-written backward on webgpu, the same unfused ops as
 * ever elsewhere (src/core/kernels/fused-layer.ts). The gradient flows into `weight`, so an effective
 * weight (W / sigma, ...) receives it and passes it on to the raw one.
 */
export function applyConv(
  h: tf.Tensor4D,
  layer: DiscriminatorLayer,
  weight: tf.Tensor,
  activation: LayerActivation = 'linear',
  alpha = 0,
): tf.Tensor4D {
  return convBiasActivation(
    h,
    weight as tf.Tensor4D,
    layer.bias as tf.Tensor1D | null,
    layer.stride,
    activation,
    alpha,
  );
}

/** Flattens h to [batch, features] and applies the dense layer, its bias and `activation`. */
export function applyDense(
  h: tf.Tensor,
  layer: DiscriminatorLayer,
  weight: tf.Tensor,
  activation: LayerActivation = 'linear',
  alpha = 0,
): tf.Tensor2D {
  const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
  return denseBiasActivation(flat, weight as tf.Tensor2D, layer.bias as tf.Tensor1D | null, activation, alpha);
}

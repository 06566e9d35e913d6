/**
 * The fused layer's tfjs-ops twin: conv2d ('same' padding) or matMul, then + bias, then the
 * activation, as separate stock ops and differentiated by tfjs. This is exactly what the
 * discriminator layers ran before fusion, so every backend but webgpu (fused-layer.ts picks) computes
 * bit for bit what it did; on webgpu it is the test oracle of the fused kernels.
 */
import * as tf from '@tensorflow/tfjs';

/** The activations a fused layer supports (those whose gradient is a mask on the output). */
export type LayerActivation = 'linear' | 'relu' | 'leakyrelu';

/** Applies the activation as its own op; `alpha` is leaky ReLU's negative slope (ignored otherwise). */
export function activationOps<T extends tf.Tensor>(h: T, activation: LayerActivation, alpha: number): T {
  if (activation === 'leakyrelu') return tf.leakyRelu(h, alpha);
  if (activation === 'relu') return tf.relu(h);
  return h;
}

/** activation(conv2d(x, w, stride, 'same') + bias); no add without a bias. w is [kh, kw, cin, cout]. */
export function convBiasActivationOps(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  stride: number,
  activation: LayerActivation = 'linear',
  alpha = 0,
): tf.Tensor4D {
  const out = tf.conv2d(x, w, stride, 'same');
  return activationOps(bias ? tf.add<tf.Tensor4D>(out, bias) : out, activation, alpha);
}

/** activation(a w + bias) for a [batch, in], w [in, out]; no add without a bias. */
export function denseBiasActivationOps(
  a: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  activation: LayerActivation = 'linear',
  alpha = 0,
): tf.Tensor2D {
  const out: tf.Tensor2D = tf.matMul(a, w);
  return activationOps(bias ? tf.add<tf.Tensor2D>(out, bias) : out, activation, alpha);
}

/**
 * A layer's conv2d ('same' padding) or matMul, + bias, then activation (linear, ReLU, leaky ReLU):
 * the public entry point. On webgpu one fused forward dispatch chain (tfjs's FusedConv2D /
 * _FusedMatMul epilogue) with a hand-written backward (fused-layer-webgpu.ts); on every other backend
 * the unfused tfjs-ops twin (fused-layer-ops.ts), i.e. exactly the ops the layers ran before. Both are
 * differentiable in x, w and bias (tested against each other in tests/gpu/fused-layer.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { convBiasActivationOps, denseBiasActivationOps, type LayerActivation } from './fused-layer-ops';
import { convBiasActivationWebGPU, denseBiasActivationWebGPU } from './fused-layer-webgpu';

export { activationOps, convBiasActivationOps, denseBiasActivationOps, type LayerActivation } from './fused-layer-ops';

/**
 * activation(conv2d(x, w, stride, 'same') + bias) for x [N, H, W, cin], w [kh, kw, cin, cout],
 * bias [cout] or null; alpha is leaky ReLU's negative slope (ignored by the other activations).
 */
export function convBiasActivation(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  stride: number,
  activation: LayerActivation = 'linear',
  alpha = 0,
): tf.Tensor4D {
  // Without bias or activation there is nothing to fuse: a plain conv2d on every backend.
  return tf.getBackend() === 'webgpu' && (bias || activation !== 'linear')
    ? convBiasActivationWebGPU(x, w, bias, stride, activation, alpha)
    : convBiasActivationOps(x, w, bias, stride, activation, alpha);
}

/** activation(a w + bias) for a [batch, in], w [in, out], bias [out] or null. */
export function denseBiasActivation(
  a: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  activation: LayerActivation = 'linear',
  alpha = 0,
): tf.Tensor2D {
  return tf.getBackend() === 'webgpu' && (bias || activation !== 'linear')
    ? denseBiasActivationWebGPU(a, w, bias, activation, alpha)
    : denseBiasActivationOps(a, w, bias, activation, alpha);
}

/**
 * Bias + batch norm (batch statistics) + ReLU, the public entry point: the fused WGSL kernel with a
 * hand-written gradient on webgpu (2 dispatches forward, 4 backward), the tfjs-ops twin on every
 * other backend, so cpu and webgl runs stay bit-identical to relu(batchNorm(x + bias)).
 * Tested against each other in tests/gpu/batch-norm-relu.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_EPSILON, batchNormReluOps, type BatchNormScaleOffset } from './batch-norm-relu-ops';
import { batchNormReluWebGPU } from './batch-norm-relu-webgpu';

export { BATCH_NORM_EPSILON, batchNormReluOps, type BatchNormScaleOffset } from './batch-norm-relu-ops';

/**
 * relu(gamma * (x + bias - mean) / sqrt(var + epsilon) + beta), with mean and (biased) var of
 * x + bias per channel (the last dimension) over all other dimensions of this batch. bias [C] is
 * optional; its gradient is zero (batch norm removes any per-channel shift). Differentiable in x,
 * gamma, beta and bias, also when gamma and beta are tf.Variables (tf.variableGrads, minimize).
 */
export function batchNormRelu(
  x: tf.Tensor,
  params: BatchNormScaleOffset,
  bias?: tf.Tensor,
  epsilon: number = BATCH_NORM_EPSILON,
): tf.Tensor {
  return tf.getBackend() === 'webgpu'
    ? batchNormReluWebGPU(x, params, bias, epsilon)
    : batchNormReluOps(x, params, bias, epsilon);
}

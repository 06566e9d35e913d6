/**
 * Bias + batch norm (training mode: batch statistics) + ReLU in stock tfjs ops: the path on every
 * backend but webgpu, and the oracle the fused WGSL kernel (batch-norm-relu-webgpu.ts) is tested
 * against. It is exactly the generators' former expression relu(batchNorm(x + bias)) with
 * tf.moments and tf.batchNorm, op for op, so cpu and webgl runs are bit-identical to before.
 *
 * x is normalized per channel (its last dimension) over all other dimensions: [N, H, W, C] over
 * N, H, W and [N, features] over N.
 */
import * as tf from '@tensorflow/tfjs';

/** The epsilon under the square root of every batch norm of the generators. */
export const BATCH_NORM_EPSILON = 1e-5;

/** gamma (scale) and beta (offset), each [C]; the generators' BatchNormParams (variables) fit. */
export interface BatchNormScaleOffset {
  gamma: tf.Tensor;
  beta: tf.Tensor;
}

/** Throws unless x is float32 of rank >= 2 and gamma, beta (and bias, if given) are float32 [C]. */
export function assertBatchNormReluArgs(x: tf.Tensor, params: BatchNormScaleOffset, bias?: tf.Tensor): void {
  if (x.rank < 2) throw new Error(`batchNormRelu needs x of rank >= 2 ([..., C]), got shape [${x.shape}]`);
  const channels = x.shape[x.rank - 1];
  const perChannel: Array<[string, tf.Tensor | undefined]> = [
    ['gamma', params.gamma],
    ['beta', params.beta],
    ['bias', bias],
  ];
  for (const [name, t] of perChannel) {
    if (t !== undefined && (t.rank !== 1 || t.shape[0] !== channels)) {
      throw new Error(`batchNormRelu needs ${name} of shape [${channels}], got [${t.shape}]`);
    }
  }
  for (const t of [x, params.gamma, params.beta, bias]) {
    if (t !== undefined && t.dtype !== 'float32') throw new Error('batchNormRelu needs float32 tensors');
  }
}

/** The axes batch statistics are taken over: all but the last. */
export function batchAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => i);
}

/** relu(batchNorm(x + bias)) with batch statistics; bias optional. */
export function batchNormReluOps(
  x: tf.Tensor,
  params: BatchNormScaleOffset,
  bias?: tf.Tensor,
  epsilon: number = BATCH_NORM_EPSILON,
): tf.Tensor {
  assertBatchNormReluArgs(x, params, bias);
  return tf.tidy(() => {
    const shifted = bias === undefined ? x : tf.add(x, bias);
    const { mean, variance } = tf.moments(shifted, batchAxes(x.rank));
    return tf.relu(tf.batchNorm(shifted, mean, variance, params.beta, params.gamma, epsilon));
  });
}

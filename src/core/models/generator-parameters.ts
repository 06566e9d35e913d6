// The generator's parameters are collected as each architecture creates them, so the Generator can
// hand the optimizer one list and dispose of it; plus the batch norm all generators use.
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_EPSILON } from '../kernels/batch-norm-relu-ops';
import { constantVariable, glorotUniformVariable, normalVariable } from './parameters';

export interface BatchNormParams {
  gamma: tf.Variable;
  beta: tf.Variable;
}

export class ParameterBag {
  readonly variables: tf.Variable[] = [];

  normal(shape: number[], seed: number): tf.Variable {
    return this.keep(normalVariable(shape, seed));
  }

  glorot(shape: number[], gain: number, seed: number): tf.Variable {
    return this.keep(glorotUniformVariable(shape, gain, seed));
  }

  constant(shape: number[], value: number): tf.Variable {
    return this.keep(constantVariable(shape, value));
  }

  batchNorm(channels: number): BatchNormParams {
    return { gamma: this.constant([channels], 1), beta: this.constant([channels], 0) };
  }

  private keep(v: tf.Variable): tf.Variable {
    this.variables.push(v);
    return v;
  }
}

/**
 * Batch statistics in both training and sampling, as in the reference GAN code's train mode. The
 * generators use batchNormRelu (kernels/batch-norm-relu.ts: relu(batchNorm(x + bias)), fused on
 * webgpu) instead; this stays for any batch norm not followed by a ReLU.
 */
export function batchNorm(x: tf.Tensor, params: BatchNormParams): tf.Tensor {
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, params.beta, params.gamma, BATCH_NORM_EPSILON);
}

/** Maps latent vectors [batch, zdim] to samples [batch, ...sampleShape] (images in [-1, 1], or points). */
export type GeneratorForward = (z: tf.Tensor2D) => tf.Tensor;

// The read-back's layout: every number of a MetricsPoint goes into one tensor so one data() call
// brings it back (each separate read would wait on the GPU), and comes out again by position here.
import * as tf from '@tensorflow/tfjs';
import { lipschitzReading } from './lipschitz-probe';
import type { MetricsPoint } from './types';

/** The tensors of one read-back, all still on the backend. */
export interface ReadbackTensors {
  dLoss: tf.Scalar;
  gLoss: tf.Scalar;
  /** sigma(raw W) per layer. */
  sigmas: tf.Scalar[];
  /** Squared gradient norm per layer [layers]. */
  gradSquares: tf.Tensor1D;
  /** [realMean, realMax, fakeMean, fakeMax] of |grad_x D| (lipschitz-probe.ts). */
  inputGradients: tf.Tensor1D;
  /** sigma(effective W) per layer. */
  effectiveSigmas: tf.Scalar[];
}

/** [dLoss, gLoss, sigmas..., gradSquares..., inputGradients (4), effectiveSigmas...]; call inside tf.tidy. */
export function packReadback(parts: ReadbackTensors): tf.Tensor1D {
  return tf.concat([
    tf.stack([parts.dLoss, parts.gLoss, ...parts.sigmas]),
    parts.gradSquares,
    parts.inputGradients,
    tf.stack(parts.effectiveSigmas),
  ]) as tf.Tensor1D;
}

/**
 * The MetricsPoint in `values` (packReadback's layout for `layerCount` layers). A loss without an
 * update behind it (`hasLosses` false for that one) reads NaN.
 */
export function unpackReadback(
  values: ArrayLike<number> & { slice(start?: number, end?: number): ArrayLike<number> },
  layerCount: number,
  at: { iteration: number; seconds: number; hasDLoss: boolean; hasGLoss: boolean },
): MetricsPoint {
  const gradStart = 2 + layerCount;
  const inputStart = gradStart + layerCount;
  const gradNorms = Array.from(values.slice(gradStart, inputStart), Math.sqrt);
  return {
    iteration: at.iteration,
    seconds: at.seconds,
    dLoss: at.hasDLoss ? values[0] : NaN,
    gLoss: at.hasGLoss ? values[1] : NaN,
    sigmas: Array.from(values.slice(2, gradStart)),
    gradNorms,
    gradNormTotal: Math.sqrt(gradNorms.reduce((sum, norm) => sum + norm * norm, 0)),
    lipschitz: lipschitzReading(values.slice(inputStart, inputStart + 4), values.slice(inputStart + 4)),
  };
}

/** Squared gradient norm of each D layer (weight and bias together), stacked in layer order. */
export function layerGradientSquares(
  layers: readonly { weight: tf.Variable; bias?: tf.Variable | null }[],
  grads: tf.NamedTensorMap,
): tf.Tensor1D {
  return tf.tidy(
    () =>
      tf.stack(
        layers.map((layer) => {
          const weightPart = tf.sum(tf.square(grads[layer.weight.name]));
          return layer.bias ? tf.add(weightPart, tf.sum(tf.square(grads[layer.bias.name]))) : weightPart;
        }),
      ) as tf.Tensor1D,
  );
}

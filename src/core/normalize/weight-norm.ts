// Weight normalization as the SN paper compares it (eq. 25): each output unit's weight vector divided
// by its L2 norm, with no learned gain g. In tfjs layout an output unit is a column of A = [K, cout]
// (a conv's c_out filter of kh*kw*cin weights, a dense layer's column of `in` weights).
// Differentiable by autodiff; no persistent state.
import * as tf from '@tensorflow/tfjs';
import { NormalizerBase } from './normalizer-base';
import { matrixShape } from './types';

/**
 * eps^2 inside the square root rather than max(|w|, eps) outside: the value differs only for an
 * all-zero column, whose gradient stays finite (the gradient of sqrt at 0 is infinite).
 */
const NORM_EPSILON_SQUARED = 1e-24;

export class WeightNormalizer extends NormalizerBase {
  readonly method = 'wn' as const;

  override effectiveWeight(raw: tf.Variable): tf.Tensor {
    return tf.tidy(() => {
      const a = tf.reshape(raw, matrixShape(this.layer.shape));
      const columnNorms = tf.sqrt(tf.add(tf.sum(tf.square(a), 0, true), NORM_EPSILON_SQUARED));
      return tf.reshape(tf.div(a, columnNorms), raw.shape);
    });
  }
}

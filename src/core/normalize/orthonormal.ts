// Orthonormal regularization (the SN paper's comparison, eq. 14, in the W W^T form): the forward pass
// uses the raw weight and the D loss gets beta * |W W^T - I|_F^2, with W the c_out x K matrix, i.e.
// W W^T = A^T A (c_out x c_out) for the tfjs matrix A = [K, cout]. Differentiable by autodiff.
import * as tf from '@tensorflow/tfjs';
import { NormalizerBase } from './normalizer-base';
import { matrixShape } from './types';

export class OrthonormalRegularizer extends NormalizerBase {
  readonly method = 'ortho' as const;

  override penalty(raw: tf.Variable): tf.Scalar {
    return tf.tidy(() => {
      const shape = matrixShape(this.layer.shape);
      const a = tf.reshape(raw, shape) as tf.Tensor2D;
      const gram = tf.matMul(a, a, true, false); // A^T A = W W^T, c_out x c_out
      const residual = tf.sub(gram, tf.eye(shape[1]));
      return tf.mul(tf.sum(tf.square(residual)), this.settings.orthoBeta);
    });
  }
}

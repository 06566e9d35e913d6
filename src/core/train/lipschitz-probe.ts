// What `chart-lipschitz` shows: D's input-gradient norm |grad_x D(x)| per sample, on the real and on
// the generated batch of the last D update before a read-back, beside the bound SN enforces, the
// product of the layers' effective spectral norms (with 1-Lipschitz activations such as leaky ReLU,
// |grad_x D(x)| <= prod_l sigma(W_l) for dense layers; for convolutions sigma is that of the kernel's
// c_out x (c_in kh kw) matrix, as SN normalizes it, which bounds the conv operator only up to a
// factor of the kernel size). Paid only on read-back iterations.
import * as tf from '@tensorflow/tfjs';

/** The numbers of a reading, in the order exports and records list them. */
export const LIPSCHITZ_KEYS = ['realMean', 'realMax', 'fakeMean', 'fakeMax', 'sigmaProduct'] as const;

/** One read-back of D's input gradients and of the product of effective sigmas. */
export interface LipschitzReading {
  /** Mean and max over the real batch of |d D(x_i) / d x_i|. */
  realMean: number;
  realMax: number;
  /** The same over the generated batch. */
  fakeMean: number;
  fakeMax: number;
  /** Product over D layers of the effective weight's largest singular value (warm-started power iteration). */
  sigmaProduct: number;
}

/**
 * [mean, max] of the per-sample input-gradient norm over a batch. D has no batch statistics, so the
 * gradient of sum_i D(x_i) with respect to x_i is sample i's own gradient.
 */
export function inputGradientStats(forward: (samples: tf.Tensor) => tf.Tensor, samples: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(forward(x)))(samples);
    const perSample = tf.sqrt(tf.sum(tf.square(tf.reshape(gradient, [gradient.shape[0], -1])), 1));
    return tf.stack([tf.mean(perSample), tf.max(perSample)]) as tf.Tensor1D;
  });
}

/** Reads [realMean, realMax, fakeMean, fakeMax] and the sigmas' product back into a reading. */
export function lipschitzReading(
  gradientStats: ArrayLike<number>,
  effectiveSigmas: ArrayLike<number>,
): LipschitzReading {
  let sigmaProduct = 1;
  for (let i = 0; i < effectiveSigmas.length; i++) sigmaProduct *= effectiveSigmas[i];
  return {
    realMean: gradientStats[0],
    realMax: gradientStats[1],
    fakeMean: gradientStats[2],
    fakeMax: gradientStats[3],
    sigmaProduct,
  };
}

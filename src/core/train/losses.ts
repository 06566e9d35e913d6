// GAN losses on D logits (SN paper eq. 15 for `ns`; hinge as in the SN/SR/BSSN reference code).
import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../config/schema';

/** D loss: hinge E relu(1 - D(x)) + E relu(1 + D(G(z))); ns E softplus(-D(x)) + E softplus(D(G(z))). */
export function discriminatorLoss(loss: LossName, realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy((): tf.Scalar => {
    if (loss === 'hinge') {
      return tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits))));
    }
    return tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits)));
  });
}

/** G loss: hinge -E D(G(z)); ns (non-saturating) E softplus(-D(G(z))). */
export function generatorLoss(loss: LossName, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy((): tf.Scalar =>
    loss === 'hinge' ? tf.neg(tf.mean<tf.Scalar>(fakeLogits)) : tf.mean<tf.Scalar>(tf.softplus(tf.neg(fakeLogits))),
  );
}

/**
 * Static spectral regularization ('sr-static', Liu et al. 2019, the authors' CIFAR code): on the SR
 * schedule, the top k = floor(srFraction * N) singular values of each conv layer's raw W are raised to
 * s_1 and the whole spectrum divided by s_1 (the raw W's top singular value becomes 1); the forward
 * pass is SN's W / sigma. Dense layers: exactly SN.
 */
import type * as tf from '@tensorflow/tfjs';
import { staticMultipliers } from './spectral-compensation';
import { SpectralRegularizerBase } from './spectral-regularization-base';

export class StaticSpectralRegularizer extends SpectralRegularizerBase {
  readonly method = 'sr-static' as const;

  protected multipliers(singular: tf.Tensor1D, ranks: tf.Tensor1D): tf.Tensor1D {
    const k = Math.floor(this.settings.srFraction * this.singularCount);
    return staticMultipliers(singular, ranks, k, this.tolerance);
  }
}

// No normalization: the forward pass uses the raw weight.
import type * as tf from '@tensorflow/tfjs';
import type { LayerNormalizer } from './types';

export class NoNormalizer implements LayerNormalizer {
  readonly method = 'none' as const;
  beforeDiscriminatorUpdate(): void {}
  effectiveWeight(raw: tf.Variable): tf.Tensor {
    return raw;
  }
  penalty(): null {
    return null;
  }
  afterDiscriminatorUpdate(): void {}
  sigmaEstimate(): null {
    return null;
  }
  setSettings(): void {}
  dispose(): void {}
}

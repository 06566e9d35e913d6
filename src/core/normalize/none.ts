// No normalization: the forward pass uses the raw weight.
import type * as tf from '@tensorflow/tfjs';
import type { LayerNormalizer } from './types';
import { emptyState, type NormalizerState } from './persistent-state';

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
  /** Stateless: a checkpoint holds nothing of it. */
  async saveState(): Promise<NormalizerState> {
    return emptyState();
  }
  loadState(): void {}
  dispose(): void {}
}

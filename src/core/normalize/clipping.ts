// Weight clipping (WGAN; the SN paper's comparison at c = 0.01): the forward pass uses the raw weight,
// and after each D optimizer step every raw element is clipped to [-c, c].
import * as tf from '@tensorflow/tfjs';
import type { LayerDescription, LayerNormalizer, NormalizerSettings, UpdateContext } from './types';
import { emptyState, type NormalizerState } from './persistent-state';

export class WeightClipper implements LayerNormalizer {
  readonly method = 'clip' as const;
  private settings: NormalizerSettings;

  // layer and seed are part of every normalizer's constructor; clipping is elementwise and stateless.
  constructor(_layer: LayerDescription, _seed: number, settings: NormalizerSettings) {
    this.settings = settings;
  }

  beforeDiscriminatorUpdate(): void {}

  effectiveWeight(raw: tf.Variable): tf.Tensor {
    return raw;
  }

  penalty(): null {
    return null;
  }

  // Every D update, whatever the G iteration: the context is not needed.
  afterDiscriminatorUpdate(raw: tf.Variable, _context: UpdateContext): void {
    const c = this.settings.clipValue;
    tf.tidy(() => {
      raw.assign(tf.clipByValue(raw, -c, c));
    });
  }

  sigmaEstimate(): null {
    return null;
  }

  setSettings(settings: NormalizerSettings): void {
    this.settings = settings;
  }

  /** Stateless: a checkpoint holds nothing of it. */
  async saveState(): Promise<NormalizerState> {
    return emptyState();
  }
  loadState(): void {}
  dispose(): void {}
}

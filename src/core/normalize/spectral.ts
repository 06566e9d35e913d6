// Spectral normalization (Miyato et al. 2018, Algorithm 1): per D update, power iteration(s) on the
// raw W advance u; the forward pass uses W / sigma with sigma = u^T W v and u, v held constant,
// so the gradient flows through W only.
import * as tf from '@tensorflow/tfjs';
import { spectralNormalizedWeight } from '../kernels/power-iteration';
import { NormalizerBase } from './normalizer-base';
import type { StateEntries } from './persistent-state';
import { PowerIterationState } from './power-iteration-state';
import type { LayerDescription, NormalizerSettings } from './types';

export class SpectralNormalizer extends NormalizerBase {
  readonly method = 'sn' as const;
  private readonly state: PowerIterationState;

  constructor(layer: LayerDescription, seed: number, settings: NormalizerSettings) {
    super(layer, seed, settings);
    this.state = new PowerIterationState(layer.shape, seed);
  }

  /** u, v, sigma and whether an advance has run, under their own names. */
  override declaredState(): StateEntries {
    return this.state.declaredState();
  }

  override beforeDiscriminatorUpdate(raw: tf.Variable): void {
    this.state.advance(raw, this.iterationsNow());
  }

  override effectiveWeight(raw: tf.Variable): tf.Tensor {
    // In the D update right after the power iteration, W is unchanged and sigma is known; in the G
    // update W has had an Adam step since, so sigma = v^T W u is recomputed.
    if (!this.state.hasEstimate) {
      return tf.tidy(() => {
        const next = this.state.preview(raw, this.iterationsNow());
        return spectralNormalizedWeight(raw, next.u, next.v, next.sigma).weight;
      });
    }
    const knownSigma = this.state.isCurrentFor(raw) ? this.state.sigma : undefined;
    return spectralNormalizedWeight(raw, this.state.u, this.state.v, knownSigma).weight;
  }

  /** The warm-up's extra iterations come once, at the first advance from the random u. */
  private iterationsNow(): number {
    return this.settings.powerIterations + (this.state.hasEstimate ? 0 : this.settings.powerWarmup);
  }

  override sigmaEstimate(): tf.Scalar | null {
    return this.state.hasEstimate ? this.state.sigma : null;
  }
}

// Bidirectional scaled spectral normalization (Lin et al. 2021): W_bar = c W / ((sigma1 + sigma2) / 2)
// with sigma1 of the c_out x c_in*kh*kw matrix and sigma2 of the c_in x c_out*kh*kw one, each with
// its own persistent vector, u and v held constant in the gradient. Dense layers and 1x1 convs have
// sigma1 = sigma2 (the two matrices are transposes), so there BSSN is c times SN's normalizer.
import * as tf from '@tensorflow/tfjs';
import { bssnNormalizedWeight } from '../kernels/bssn-power-iteration';
import { BidirectionalState } from './bssn-state';
import { NormalizerBase } from './normalizer-base';
import type { StateEntries } from './persistent-state';
import { SpectralNormalizer } from './spectral';
import type { LayerDescription, NormalizerSettings } from './types';
import { shapeSize } from '../numbers';

/** True when the two BSSN matrices are transposes of each other: dense layers and 1x1 convs. */
export function bssnReducesToSn(layer: LayerDescription): boolean {
  const { shape } = layer;
  const spatial = shapeSize(shape.slice(0, -2));
  return layer.kind === 'dense' || shape.length < 3 || spatial === 1;
}

export class BssnNormalizer extends NormalizerBase {
  readonly method = 'bssn' as const;
  /** SN (its state under SN's names) where BSSN reduces to c * SN, else the two power iterations. */
  private readonly part: SpectralNormalizer | BidirectionalState;

  constructor(layer: LayerDescription, seed: number, settings: NormalizerSettings) {
    super(layer, seed, settings);
    this.part = bssnReducesToSn(layer)
      ? new SpectralNormalizer(layer, seed, settings)
      : new BidirectionalState(layer.shape, seed);
  }

  override declaredState(): StateEntries {
    return this.part.declaredState();
  }

  override beforeDiscriminatorUpdate(raw: tf.Variable): void {
    if (this.part instanceof SpectralNormalizer) this.part.beforeDiscriminatorUpdate(raw);
    else this.part.advance(raw, this.iterationsNow(this.part));
  }

  override effectiveWeight(raw: tf.Variable): tf.Tensor {
    const scale = this.settings.bssnScale;
    const part = this.part;
    if (part instanceof SpectralNormalizer) {
      return tf.tidy(() => {
        const weight = part.effectiveWeight(raw);
        return scale === 1 ? weight : tf.mul(weight, scale);
      });
    }
    if (!part.hasEstimate) return part.previewWeight(raw, this.iterationsNow(part), scale);
    // Right after the power iteration W is unchanged and the sigmas are known; in the G update W has
    // had an Adam step since, and they are recomputed from the same u, v. tidy: s is not wanted here.
    const known = part.isCurrentFor(raw) ? part.meanSigma : undefined;
    return tf.tidy(() => bssnNormalizedWeight(raw, part.meanSigmaGradient, scale, known).weight);
  }

  /** The warm-up's extra iterations come once, at the first advance from the random vectors. */
  private iterationsNow(part: BidirectionalState): number {
    return this.settings.powerIterations + (part.hasEstimate ? 0 : this.settings.powerWarmup);
  }

  override sigmaEstimate(): tf.Scalar | null {
    if (this.part instanceof SpectralNormalizer) return this.part.sigmaEstimate();
    return this.part.hasEstimate ? this.part.sigma1 : null;
  }

  override setSettings(settings: NormalizerSettings): void {
    super.setSettings(settings);
    if (this.part instanceof SpectralNormalizer) this.part.setSettings(settings);
  }
}

// The read-back's sigma estimates beside training: warm-started power iterations on each D layer's
// raw weight (for methods that keep no sigma of their own) and on its effective weight (the product
// of effective sigmas of chart-lipschitz). Never touches the weights; checkpoints save both sets.
import type * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../data/seeded-random';
import type { DiscriminatorLayer } from '../models/discriminator-layer';
import { PowerIterationState } from '../normalize/power-iteration-state';
import type { LayerNormalizer } from '../normalize/types';

/** Warm-started power iterations per read-back: the weights move little between read-backs. */
const MONITOR_ITERATIONS = 2;

export class SigmaMonitors {
  readonly raw: PowerIterationState[];
  readonly effective: PowerIterationState[];

  constructor(
    private readonly layers: readonly DiscriminatorLayer[],
    seed: number,
  ) {
    this.raw = layers.map((layer, i) => new PowerIterationState(layer.weight.shape, deriveSeed(seed, 300 + i)));
    this.effective = layers.map((layer, i) => new PowerIterationState(layer.weight.shape, deriveSeed(seed, 400 + i)));
  }

  /** Each layer's sigma: its method's own estimate, else the raw monitor's after an advance. Call inside tidy. */
  rawSigmas(normalizers: readonly LayerNormalizer[]): tf.Scalar[] {
    return this.layers.map((layer, l) => {
      const own = normalizers[l].sigmaEstimate();
      if (own) return own;
      this.raw[l].advance(layer.weight, MONITOR_ITERATIONS);
      return this.raw[l].sigma;
    });
  }

  /** Each effective weight's sigma, after an advance. Call inside tidy. */
  effectiveSigmas(effective: readonly tf.Tensor[]): tf.Scalar[] {
    return this.effective.map((monitor, l) => {
      monitor.advance(effective[l], MONITOR_ITERATIONS);
      return monitor.sigma;
    });
  }

  dispose(): void {
    [...this.raw, ...this.effective].forEach((monitor) => monitor.dispose());
  }
}

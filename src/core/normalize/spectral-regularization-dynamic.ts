/**
 * Dynamic spectral regularization ('sr-dynamic', the authors' ImageNet code): per conv layer keep
 * r = max(r, s / s_1) elementwise by sorted index over all SR calls since this method first ran; the
 * first call only records r, later calls set W <- U diag(s_1 r) V^T with the raw s_1 kept. The forward
 * pass is SN's W / sigma. Dense layers: exactly SN. All N singular values take part (srFraction is not
 * used, as in the authors' code).
 *
 * r lives as long as this instance: across setSettings and across switching to another method and
 * back (the trainer keeps the instance), as the authors keep it for the whole run.
 */
import * as tf from '@tensorflow/tfjs';
import { dynamicMultipliers, sortDescending, updatedRatios } from './spectral-compensation';
import { LazyVariable, stateGroup, type StateEntries } from './persistent-state';
import { SpectralRegularizerBase } from './spectral-regularization-base';

export class DynamicSpectralRegularizer extends SpectralRegularizerBase {
  readonly method = 'sr-dynamic' as const;
  /** The maximum-ratio history r (descending, r[0] = 1), empty before the first SR call. */
  private readonly ratios = new LazyVariable();

  /** The history r, or null before the first SR call (for inspection and tests; not a copy). */
  get ratioHistory(): tf.Tensor1D | null {
    return this.ratios.value as tf.Tensor1D | null;
  }

  protected multipliers(singular: tf.Tensor1D, ranks: tf.Tensor1D): tf.Tensor1D | null {
    const previous = this.ratioHistory;
    // A variable is not tracked by the surrounding tidy: it outlives the call.
    this.ratios.write(updatedRatios(previous, sortDescending(singular, ranks)));
    if (!previous) return null;
    return dynamicMultipliers(singular, ranks, this.ratios.value as tf.Tensor1D, this.tolerance);
  }

  /** The base's state, and r under `method.` (hasRatios says whether it exists yet). */
  override declaredState(): StateEntries {
    const hasRatios = { get: () => (this.ratios.value ? 1 : 0) };
    return { ...super.declaredState(), method: stateGroup({ ratios: this.ratios, hasRatios }) };
  }
}

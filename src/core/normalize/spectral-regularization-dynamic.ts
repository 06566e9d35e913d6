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
import { numberOf, readTensors, tensorOf, type NormalizerState } from './persistent-state';
import { SpectralRegularizerBase } from './spectral-regularization-base';

export class DynamicSpectralRegularizer extends SpectralRegularizerBase {
  readonly method = 'sr-dynamic' as const;
  /** The maximum-ratio history r (descending, r[0] = 1), or null before the first SR call. */
  private ratios: tf.Variable<tf.Rank.R1> | null = null;

  /** The history r, or null before the first SR call (for inspection and tests; not a copy). */
  get ratioHistory(): tf.Tensor1D | null {
    return this.ratios;
  }

  protected multipliers(singular: tf.Tensor1D, ranks: tf.Tensor1D): tf.Tensor1D | null {
    const next = updatedRatios(this.ratios, sortDescending(singular, ranks));
    if (!this.ratios) {
      // tf.variable is not tracked by the surrounding tidy: it outlives the call.
      this.ratios = tf.variable(next, false);
      return null;
    }
    this.ratios.assign(next);
    return dynamicMultipliers(singular, ranks, this.ratios, this.tolerance);
  }

  protected override async saveMethodState(): Promise<NormalizerState> {
    if (!this.ratios) return { tensors: {}, numbers: { hasRatios: 0 } };
    return { tensors: await readTensors({ ratios: this.ratios }), numbers: { hasRatios: 1 } };
  }

  protected override loadMethodState(state: NormalizerState): void {
    if (numberOf(state, 'hasRatios') !== 1) {
      this.ratios?.dispose();
      this.ratios = null;
      return;
    }
    const saved = state.tensors.ratios;
    if (!saved) throw new Error('checkpoint: the sr-dynamic state has no ratios');
    const values = tf.tidy(() => tensorOf(state, 'ratios', saved.shape) as tf.Tensor1D);
    if (this.ratios) {
      this.ratios.assign(values);
      values.dispose();
    } else {
      this.ratios = tf.variable(values, false);
      values.dispose();
    }
  }

  dispose(): void {
    super.dispose();
    this.ratios?.dispose();
  }
}

/**
 * What static and dynamic SR share: SN with its persistent u, v (the forward pass always uses
 * W / sigma), plus, on the authors' schedule, a rewrite of the raw conv weight after the D update.
 *
 * Schedule ([SRC]/[SRI] updater.py): `if iteration % 5 == 0: SR(dis)` sits inside the n_dis loop right
 * after the D optimizer step, with `iteration` the number of G steps done. So every srEvery-th G
 * iteration SR runs after each of its n_dis D updates, and never on the other iterations. Dense
 * layers are not compensated (for them this is exactly SN), unless `srLayers` is 'all': an opt-in
 * extension for all-dense models such as the 2-D toy MLP, not in the authors' code.
 *
 * The subclasses only choose the new spectrum (the multipliers m = s'/s of spectral-compensation.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { weightAsMatrix } from '../kernels/power-iteration';
import { matrixShape } from './types';
import { COLD_PASSES, SingularBasis } from './singular-basis';
import { NormalizerBase } from './normalizer-base';
import type { NormalizerState, StateEntries } from './persistent-state';
import { SpectralNormalizer } from './spectral';
import { compensatedMatrix, descendingRanks, rankTolerance } from './spectral-compensation';
import type { LayerDescription, NormalizerSettings, UpdateContext } from './types';

/** First SR call of a scheduled G iteration: about srEvery * n_dis Adam steps since the last basis. */
export const BURST_START_PASSES = 2;
/** Later calls in the same G iteration: one Adam step since the last basis. */
export const WITHIN_BURST_PASSES = 1;

export abstract class SpectralRegularizerBase extends NormalizerBase {
  abstract readonly method: 'sr-static' | 'sr-dynamic';
  /** N = min(K, c) of this layer (for k = floor(srFraction * N)). */
  protected readonly singularCount: number;
  protected readonly tolerance: number;
  /** The forward pass, u and v: plain SN, so a dense layer behaves exactly as SN. */
  private readonly sn: SpectralNormalizer;
  /** Conv layers get one at once; dense layers only when srLayers = 'all' asks SR to act on them. */
  private basis: SingularBasis | null;
  /** G iteration of the last SR call, to choose a cold, burst-start or within-burst decomposition. */
  private lastCallIteration: number | null = null;

  constructor(layer: LayerDescription, seed: number, settings: NormalizerSettings) {
    super(layer, seed, settings);
    this.sn = new SpectralNormalizer(layer, seed, settings);
    this.basis = layer.kind === 'conv' ? new SingularBasis(layer.shape) : null;
    this.singularCount = Math.min(...matrixShape(layer.shape));
    this.tolerance = rankTolerance(layer.shape);
  }

  /** SN's state under `sn.`, the kept basis under `basis.` (once it exists), and when SR last ran. */
  override declaredState(): StateEntries {
    const lastCall = {
      get: () => this.lastCallIteration,
      set: (value: number | null) => {
        this.lastCallIteration = value;
      },
    };
    return { sn: this.sn, lastCallIteration: lastCall, basis: this.basis };
  }

  override loadState(state: NormalizerState, path = ''): void {
    // A dense layer's basis exists once srLayers = 'all' has compensated it; older checkpoints have none.
    const savesBasis = Object.keys(state.tensors).some((name) => name.startsWith('basis.'));
    if (!this.basis && savesBasis) this.basis = new SingularBasis(this.layer.shape);
    super.loadState(state, path);
  }

  override beforeDiscriminatorUpdate(raw: tf.Variable): void {
    this.sn.beforeDiscriminatorUpdate(raw);
  }

  override effectiveWeight(raw: tf.Variable): tf.Tensor {
    return this.sn.effectiveWeight(raw);
  }

  override afterDiscriminatorUpdate(raw: tf.Variable, context: UpdateContext): void {
    if (context.gIteration % Math.max(1, this.settings.srEvery) !== 0) return;
    const basis = this.basisToCompensate();
    if (!basis) return;
    const passes = this.passesFor(context.gIteration);
    this.lastCallIteration = context.gIteration;
    const next = tf.tidy(() => {
      const a = weightAsMatrix(raw);
      const decomposition = basis.decompose(a, passes);
      const multipliers = this.multipliers(decomposition.singular, descendingRanks(decomposition.singular));
      return multipliers ? [tf.reshape(compensatedMatrix(a, basis, decomposition, multipliers), raw.shape)] : [];
    });
    if (next.length === 0) return;
    raw.assign(next[0]);
    next[0].dispose();
  }

  /** The basis of a layer SR acts on now: every conv layer, and dense layers under srLayers = 'all'. */
  private basisToCompensate(): SingularBasis | null {
    if (!this.basis && this.layer.kind === 'dense' && this.settings.srLayers === 'all')
      this.basis = new SingularBasis(this.layer.shape);
    return this.layer.kind === 'dense' && this.settings.srLayers !== 'all' ? null : this.basis;
  }

  /**
   * The multipliers m = s'/s for the basis columns (singular values unsorted, ranks 0 = largest), or
   * null to leave W unchanged. Runs inside a tidy.
   */
  protected abstract multipliers(singular: tf.Tensor1D, ranks: tf.Tensor1D): tf.Tensor1D | null;

  override sigmaEstimate(): tf.Scalar | null {
    return this.sn.sigmaEstimate();
  }

  override setSettings(settings: NormalizerSettings): void {
    super.setSettings(settings);
    this.sn.setSettings(settings);
  }

  /** Cold when the kept basis is from no call, or from before a gap (method switched away, srEvery changed). */
  private passesFor(gIteration: number): number {
    if (this.lastCallIteration === gIteration) return WITHIN_BURST_PASSES;
    if (this.lastCallIteration === gIteration - this.settings.srEvery) return BURST_START_PASSES;
    return COLD_PASSES;
  }
}

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
import { emptyState, mergeStates, numberOf, prefixed, unprefixed, type NormalizerState } from './persistent-state';
import { SpectralNormalizer } from './spectral';
import { compensatedMatrix, descendingRanks, rankTolerance } from './spectral-compensation';
import type { LayerDescription, LayerNormalizer, NormalizerSettings, UpdateContext } from './types';

/** First SR call of a scheduled G iteration: about srEvery * n_dis Adam steps since the last basis. */
export const BURST_START_PASSES = 2;
/** Later calls in the same G iteration: one Adam step since the last basis. */
export const WITHIN_BURST_PASSES = 1;

export abstract class SpectralRegularizerBase implements LayerNormalizer {
  abstract readonly method: 'sr-static' | 'sr-dynamic';
  protected settings: NormalizerSettings;
  /** N = min(K, c) of this layer (for k = floor(srFraction * N)). */
  protected readonly singularCount: number;
  protected readonly tolerance: number;
  /** The forward pass, u and v: plain SN, so a dense layer behaves exactly as SN. */
  private readonly sn: SpectralNormalizer;
  /** Conv layers get one at once; dense layers only when srLayers = 'all' asks SR to act on them. */
  private basis: SingularBasis | null;
  private readonly layer: LayerDescription;
  /** G iteration of the last SR call, to choose a cold, burst-start or within-burst decomposition. */
  private lastCallIteration: number | null = null;

  constructor(layer: LayerDescription, seed: number, settings: NormalizerSettings) {
    this.sn = new SpectralNormalizer(layer, seed, settings);
    this.settings = settings;
    this.layer = layer;
    this.basis = layer.kind === 'conv' ? new SingularBasis(layer.shape) : null;
    this.singularCount = Math.min(...matrixShape(layer.shape));
    this.tolerance = rankTolerance(layer.shape);
  }

  beforeDiscriminatorUpdate(raw: tf.Variable): void {
    this.sn.beforeDiscriminatorUpdate(raw);
  }

  effectiveWeight(raw: tf.Variable): tf.Tensor {
    return this.sn.effectiveWeight(raw);
  }

  penalty(): null {
    return null;
  }

  afterDiscriminatorUpdate(raw: tf.Variable, context: UpdateContext): void {
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

  sigmaEstimate(): tf.Scalar | null {
    return this.sn.sigmaEstimate();
  }

  setSettings(settings: NormalizerSettings): void {
    this.settings = settings;
    this.sn.setSettings(settings);
  }

  async saveState(): Promise<NormalizerState> {
    const parts = [
      prefixed(await this.sn.saveState(), 'sn.'),
      { tensors: {}, numbers: { lastCallIteration: this.lastCallIteration } },
    ];
    if (this.basis) parts.push(prefixed(await this.basis.saveState(), 'basis.'));
    parts.push(prefixed(await this.saveMethodState(), 'method.'));
    return mergeStates(...parts);
  }

  loadState(state: NormalizerState): void {
    this.sn.loadState(unprefixed(state, 'sn.'));
    const basisState = unprefixed(state, 'basis.');
    // A dense layer's basis exists once srLayers = 'all' has compensated it; older checkpoints have none.
    if (!this.basis && Object.keys(basisState.tensors).length > 0) this.basis = new SingularBasis(this.layer.shape);
    if (this.basis && Object.keys(basisState.tensors).length > 0) this.basis.loadState(basisState);
    this.lastCallIteration = numberOf(state, 'lastCallIteration');
    this.loadMethodState(unprefixed(state, 'method.'));
  }

  /** The subclass's own persistent state (dynamic SR's ratio history); none by default. */
  protected async saveMethodState(): Promise<NormalizerState> {
    return emptyState();
  }

  protected loadMethodState(state: NormalizerState): void {
    void state;
  }

  dispose(): void {
    this.sn.dispose();
    this.basis?.dispose();
  }

  /** Cold when the kept basis is from no call, or from before a gap (method switched away, srEvery changed). */
  private passesFor(gIteration: number): number {
    if (this.lastCallIteration === gIteration) return WITHIN_BURST_PASSES;
    if (this.lastCallIteration === gIteration - this.settings.srEvery) return BURST_START_PASSES;
    return COLD_PASSES;
  }
}

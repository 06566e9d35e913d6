// What every normalizer shares: built from (layer, seed, settings), its persistent state declared
// once (saved, restored and disposed by PersistentState), and each hook a no-op until a method needs
// it, so a method writes only what it does (clip: the rewrite after a D update, ortho: the penalty).
import type * as tf from '@tensorflow/tfjs';
import type { NormName } from '../config/schema';
import { PersistentState, type StateEntries } from './persistent-state';
import type { LayerDescription, LayerNormalizer, NormalizerSettings, UpdateContext } from './types';

export abstract class NormalizerBase extends PersistentState implements LayerNormalizer {
  abstract readonly method: NormName;
  protected settings: NormalizerSettings;

  // The seed is for methods with random initial state; the base keeps none.
  constructor(
    protected readonly layer: LayerDescription,
    _seed: number,
    settings: NormalizerSettings,
  ) {
    super();
    this.settings = settings;
  }

  /** Stateless unless a method declares state: a checkpoint then holds nothing of it. */
  declaredState(): StateEntries {
    return {};
  }

  beforeDiscriminatorUpdate(_raw: tf.Variable): void {}

  /** The raw weight itself unless the method reparametrizes it. */
  effectiveWeight(raw: tf.Variable): tf.Tensor {
    return raw;
  }

  penalty(_raw: tf.Variable): tf.Scalar | null {
    return null;
  }

  afterDiscriminatorUpdate(_raw: tf.Variable, _context: UpdateContext): void {}

  sigmaEstimate(): tf.Scalar | null {
    return null;
  }

  setSettings(settings: NormalizerSettings): void {
    this.settings = settings;
  }
}

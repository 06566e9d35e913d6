// A normalization is a reparametrization of a raw D weight with persistent state of its own
// (PyTorch's parametrizations pattern): the optimizer only ever sees raw weights. A method may
// also add a penalty to the D loss (ortho) or rewrite the raw weight after a D update (clip, SR).
// Methods extend NormalizerBase (normalizer-base.ts): no-op hooks, state declared once.
import type * as tf from '@tensorflow/tfjs';
import type { NormName } from '../config/schema';
import type { NormalizerState } from './persistent-state';
import { shapeSize } from '../numbers';

/** Every method's parameters (URL fields); each method reads the ones it needs. */
export interface NormalizerSettings {
  /** Power iterations per D update (sn, bssn, and the SN step of sr-static / sr-dynamic). */
  powerIterations: number;
  /** BSSN scale c (1 is BSN). */
  bssnScale: number;
  /** SR: fraction of the N = min(rows, cols) singular values compensated, k = floor(fraction * N). */
  srFraction: number;
  /** SR runs after each D update of every `srEvery`-th G iteration (0, srEvery, 2 srEvery, ...). */
  srEvery: number;
  /** SR acts on conv layers only (the authors' code), or on dense layers too ('all': not in the authors' code). */
  srLayers: 'conv' | 'all';
  /**
   * Extra power iterations at a method's first D update (PyTorch's parametrization runs 15 at
   * registration); 0 keeps one iteration from the random u, as the SN paper's algorithm does.
   */
  powerWarmup: number;
  /** Orthonormal regularization: D loss += beta * sum over layers |W W^T - I|_F^2. */
  orthoBeta: number;
  /** Weight clipping: each raw element clipped to [-c, c] after each D update. */
  clipValue: number;
}

export interface LayerDescription {
  kind: 'conv' | 'dense';
  /** Raw weight shape in tfjs layout: conv [kh, kw, cin, cout], dense [in, out]. */
  shape: readonly number[];
}

export interface UpdateContext {
  /** G iterations completed before the current one (the SR authors' `iteration`). */
  gIteration: number;
}

export interface LayerNormalizer {
  readonly method: NormName;
  /** Advances persistent state (e.g. SN's u, v) once per D update, outside the gradient tape. */
  beforeDiscriminatorUpdate(raw: tf.Variable): void;
  /** The weight the forward pass uses: a differentiable function of the raw weight. */
  effectiveWeight(raw: tf.Variable): tf.Tensor;
  /** A term added to the D loss, inside the gradient tape (ortho); null for most methods. */
  penalty(raw: tf.Variable): tf.Scalar | null;
  /** After each D optimizer step, outside the tape: may rewrite the raw weight (clip, SR). */
  afterDiscriminatorUpdate(raw: tf.Variable, context: UpdateContext): void;
  /** This method's current estimate of sigma(raw W), or null if it keeps none. Not a copy. */
  sigmaEstimate(): tf.Scalar | null;
  setSettings(settings: NormalizerSettings): void;
  /** Its persistent state as plain copies, for checkpoints (empty for stateless methods). */
  saveState(): Promise<NormalizerState>;
  /** Puts saveState()'s output back, into a normalizer built for the same layer and method. */
  loadState(state: NormalizerState): void;
  dispose(): void;
}

/** The layer's weight viewed as the matrix A = [K, c_out] in tfjs layout (the paper's W^T). */
export function matrixShape(weightShape: readonly number[]): [number, number] {
  const cOut = weightShape[weightShape.length - 1];
  const k = shapeSize(weightShape) / cOut;
  return [k, cOut];
}

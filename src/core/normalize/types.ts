// A normalization is a reparametrization of a raw D weight with persistent state of its own
// (PyTorch's parametrizations pattern): the optimizer only ever sees raw weights.
import type * as tf from '@tensorflow/tfjs';
import type { NormName } from '../config/schema';

export interface NormalizerSettings {
  /** Power iterations per D update (SN). */
  powerIterations: number;
}

export interface LayerNormalizer {
  readonly method: NormName;
  /** Advances persistent state (e.g. SN's u, v) once per D update, outside the gradient tape. */
  beforeDiscriminatorUpdate(raw: tf.Variable): void;
  /** The weight the forward pass uses: a differentiable function of the raw weight. */
  effectiveWeight(raw: tf.Variable): tf.Tensor;
  /** This method's current estimate of sigma(raw W), or null if it keeps none. Not a copy. */
  sigmaEstimate(): tf.Scalar | null;
  setSettings(settings: NormalizerSettings): void;
  dispose(): void;
}

/** The layer's weight viewed as the matrix A = [K, c_out] in tfjs layout (the paper's W^T). */
export function matrixShape(weightShape: readonly number[]): [number, number] {
  const cOut = weightShape[weightShape.length - 1];
  const k = weightShape.reduce((a, b) => a * b, 1) / cOut;
  return [k, cOut];
}

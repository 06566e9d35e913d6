// Orthonormal regularization (the SN paper's comparison, eq. 14, in the W W^T form): the forward pass
// uses the raw weight and the D loss gets beta * |W W^T - I|_F^2, with W the c_out x K matrix, i.e.
// W W^T = A^T A (c_out x c_out) for the tfjs matrix A = [K, cout]. Differentiable by autodiff.
import * as tf from '@tensorflow/tfjs';
import type { LayerDescription, LayerNormalizer, NormalizerSettings } from './types';
import { matrixShape } from './types';
import { emptyState, type NormalizerState } from './persistent-state';

export class OrthonormalRegularizer implements LayerNormalizer {
  readonly method = 'ortho' as const;
  private readonly shape: [number, number];
  private settings: NormalizerSettings;

  constructor(layer: LayerDescription, _seed: number, settings: NormalizerSettings) {
    this.shape = matrixShape(layer.shape);
    this.settings = settings;
  }

  beforeDiscriminatorUpdate(): void {}

  effectiveWeight(raw: tf.Variable): tf.Tensor {
    return raw;
  }

  penalty(raw: tf.Variable): tf.Scalar {
    return tf.tidy(() => {
      const a = tf.reshape(raw, this.shape) as tf.Tensor2D;
      const gram = tf.matMul(a, a, true, false); // A^T A = W W^T, c_out x c_out
      const residual = tf.sub(gram, tf.eye(this.shape[1]));
      return tf.mul(tf.sum(tf.square(residual)), this.settings.orthoBeta);
    });
  }

  afterDiscriminatorUpdate(): void {}

  sigmaEstimate(): null {
    return null;
  }

  setSettings(settings: NormalizerSettings): void {
    this.settings = settings;
  }

  /** Stateless: a checkpoint holds nothing of it. */
  async saveState(): Promise<NormalizerState> {
    return emptyState();
  }
  loadState(): void {}
  dispose(): void {}
}

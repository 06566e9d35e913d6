/**
 * Spectral-norm power iteration, the public entry point: the WGSL kernel on webgpu, the tfjs-ops twin
 * on webgl and cpu. Both give the same u, v and sigma (tested to 1e-5 in tests/gpu).
 */
import * as tf from '@tensorflow/tfjs';
import { powerIterationOps, SPECTRAL_NORM_EPSILON, type PowerIterationResult } from './power-iteration-ops';
import { powerIterationWebGPU } from './power-iteration-webgpu';

export {
  powerIterationOps,
  spectralNormalizedWeight,
  SPECTRAL_NORM_EPSILON,
  stopGradient,
  weightAsMatrix,
  type PowerIterationResult,
} from './power-iteration-ops';

/**
 * `iterations` rounds of v = norm(A u), u' = norm(A^T v), then sigma = v^T A u', for A = [K, cout]
 * (weightAsMatrix of a tfjs weight) and the persistent u [cout]. The results are ordinary tracked
 * tensors with zero gradient; the caller owns them and disposes them (or runs this inside tf.tidy).
 */
export function powerIteration(
  a: tf.Tensor2D,
  u: tf.Tensor1D,
  iterations: number,
  eps: number = SPECTRAL_NORM_EPSILON,
): PowerIterationResult {
  return tf.getBackend() === 'webgpu'
    ? powerIterationWebGPU(a, u, iterations, eps)
    : powerIterationOps(a, u, iterations, eps);
}

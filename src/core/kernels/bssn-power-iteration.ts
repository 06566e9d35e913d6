/**
 * BSSN's two power iterations, the public entry point: the WGSL kernel on webgpu, the tfjs-ops twin
 * on webgl and cpu. Both give the same u, v, sigmas and mean-sigma gradient (tested to 1e-5 in
 * tests/gpu/bssn-power-iteration.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { BSSN_EPSILON, bssnPowerIterationOps, type BssnPowerIterationResult } from './bssn-power-iteration-ops';
import { bssnPowerIterationWebGPU } from './bssn-power-iteration-webgpu';

export {
  BSSN_EPSILON,
  bssnNormalizedWeight,
  bssnPowerIterationOps,
  bssnVectorLength,
  weightAsBlocks,
  type BssnPowerIterationResult,
} from './bssn-power-iteration-ops';

/**
 * `iterations` rounds of SN's power iteration on both of W's matrices (see bssn-power-iteration-ops.ts)
 * from the packed u = [u1 (cout); u2 (cin)], for a tfjs weight of rank >= 2. The results are tracked
 * tensors with zero gradient; the caller owns and disposes them (or runs this inside tf.tidy).
 */
export function bssnPowerIteration(
  w: tf.Tensor,
  u: tf.Tensor1D,
  iterations: number,
  eps: number = BSSN_EPSILON,
): BssnPowerIterationResult {
  return tf.getBackend() === 'webgpu'
    ? bssnPowerIterationWebGPU(w, u, iterations, eps)
    : bssnPowerIterationOps(w, u, iterations, eps);
}

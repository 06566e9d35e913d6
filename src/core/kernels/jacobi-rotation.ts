/**
 * Symmetric eigen-decomposition by parallel cyclic Jacobi, the public entry point: the WGSL kernel on
 * webgpu, plain loops on cpu, the tfjs-ops twin elsewhere (webgl). All three compute the same rounds
 * and are tested against the twin. Nothing is read back to the host on a GPU backend, so it can run
 * inside a synchronous training step.
 */
import * as tf from '@tensorflow/tfjs';
import { jacobiSweepsCpu } from './jacobi-rotation-cpu';
import { assertJacobiState, jacobiSweepsOps } from './jacobi-rotation-ops';
import { jacobiSweepsWebGPU } from './jacobi-rotation-webgpu';

export {
  jacobiPartner,
  jacobiRoundOps,
  jacobiRoundsPerSweep,
  jacobiSweepsOps,
  SYMMETRIC_JACOBI_SWEEPS_KERNEL,
} from './jacobi-rotation-ops';

export interface JacobiResult {
  /** The rotated matrix Q^T T Q: diagonal once converged, its diagonal the eigenvalues (unsorted). */
  rotated: tf.Tensor2D;
  /** The accumulated rotation Q (orthogonal); column i is the eigenvector of rotated[i][i]. */
  rotation: tf.Tensor2D;
}

/** `sweeps` Jacobi sweeps on the state [T; Q] (see jacobi-rotation-ops.ts); returns [T'; Q']. */
export function jacobiSweeps(state: tf.Tensor2D, sweeps: number): tf.Tensor2D {
  assertJacobiState(state);
  switch (tf.getBackend()) {
    case 'webgpu':
      return jacobiSweepsWebGPU(state, sweeps);
    case 'cpu':
      return jacobiSweepsCpu(state, sweeps);
    default:
      return jacobiSweepsOps(state, sweeps);
  }
}

/**
 * Diagonalizes the symmetric matrix T (n x n) with `sweeps` sweeps from Q = I. T must be symmetric;
 * only its upper triangle steers the rotations. The caller owns (and disposes) the results.
 */
export function symmetricJacobi(t: tf.Tensor2D, sweeps: number): JacobiResult {
  const n = t.shape[0];
  if (t.rank !== 2 || t.shape[1] !== n) throw new Error(`symmetricJacobi needs a square matrix, got [${t.shape}]`);
  return tf.tidy(() => {
    const final = jacobiSweeps(tf.concat([tf.cast(t, 'float32'), tf.eye(n)], 0) as tf.Tensor2D, sweeps);
    return { rotated: tf.slice(final, [0, 0], [n, n]), rotation: tf.slice(final, [n, 0], [n, n]) };
  });
}

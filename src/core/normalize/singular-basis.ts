/**
 * A warm-started singular basis of one weight matrix, kept on the GPU: the eigenvectors U of the
 * small Gram matrix X^T X and the singular values s, with X = A = [K, c] when c <= K (n = c) and
 * X = A^T when K < c (n = K), so the Gram is always n x n with n = min(K, c) = N.
 *
 * Why passes of "rotate, then Jacobi" instead of one eigen-decomposition of the Gram:
 * - Precision: in float32 the Gram X^T X has absolute errors about eps * s_1^2, so s_i comes out of it
 *   with a relative error about eps * (s_1 / s_i)^2 (1e-3 already at s_i = 1e-2 s_1 for n = 64). A pass forms T = (X
 *   U)^T (X U) in the current basis U instead:
 *   once U is close, T is nearly diagonal and each entry's error scales with its own row and column
 *   (eps * s_i * s_j), so the next Jacobi pass resolves small singular values to float32 accuracy
 *   (prototype, 576 x 64, spectrum 1 .. 1e-3: singular values 3e-3 off after a converged Jacobi on the
 *   float32 Gram; the static-SR weight 7e-7 off the float64 reference after four passes).
 * - Cost: consecutive SR calls are one Adam step apart (n_dis calls in a row), so the previous basis
 *   is nearly right and one pass of a few sweeps suffices; the first call runs COLD_PASSES from U = I.
 * Everything is enqueued on the backend; nothing is read back.
 */
import * as tf from '@tensorflow/tfjs';
import { symmetricJacobi } from '../kernels/jacobi-rotation';
import { matrixShape } from './types';
import { PersistentState, type StateEntries } from './persistent-state';

/** Jacobi sweeps per pass: enough for the quadratic convergence to reach float32 from a close basis. */
export const JACOBI_SWEEPS_PER_PASS = 3;
/**
 * Passes from U = I (first call, or a basis gone stale). Measured (float64 SVD reference): 4 reach the
 * float32 floor for Gaussian n = 512 and for spectra down to 1e-3 s_1 (n = 64, 128); a spectrum down
 * to 1e-4 s_1 needs 5 (2e-4 relative error after 4, 1e-5 after 5).
 */
export const COLD_PASSES = 5;

export interface SingularDecomposition {
  /** U (n x n, orthonormal columns): eigenvectors of the Gram X^T X, in no particular order. */
  basis: tf.Tensor2D;
  /** s_i = sqrt(lambda_i) for basis column i (not sorted). */
  singular: tf.Tensor1D;
}

export class SingularBasis extends PersistentState {
  /** N = min(K, c): the Gram's size and the number of singular values. */
  readonly n: number;
  /** True when X = A^T (K < c): the Gram is A A^T. */
  readonly transposed: boolean;
  private readonly basis: tf.Variable<tf.Rank.R2>;

  constructor(weightShape: readonly number[]) {
    super();
    const [k, c] = matrixShape(weightShape);
    this.transposed = k < c;
    this.n = Math.min(k, c);
    this.basis = tf.tidy(() => tf.variable(tf.eye(this.n) as tf.Tensor2D, false));
  }

  /** The kept basis, for checkpoints. */
  declaredState(): StateEntries {
    return { basis: this.basis };
  }

  /** X U: [K, n] when X = A, [c, n] when X = A^T. */
  project(a: tf.Tensor2D, basis: tf.Tensor2D): tf.Tensor2D {
    return this.transposed ? tf.matMul(a, basis, true, false) : tf.matMul(a, basis);
  }

  /**
   * Decomposes A = [K, c] (a weight as weightAsMatrix gives it) with `passes` passes from the kept
   * basis, and keeps the new basis. The caller owns the returned tensors.
   */
  decompose(a: tf.Tensor2D, passes: number): SingularDecomposition {
    if (!Number.isInteger(passes) || passes < 1) throw new Error(`decompose needs passes >= 1, got ${passes}`);
    const result = tf.tidy(() => {
      let basis: tf.Tensor2D = this.basis;
      let rotated: tf.Tensor2D | null = null;
      for (let pass = 0; pass < passes; pass++) {
        const projected = this.project(a, basis);
        const jacobi = symmetricJacobi(tf.matMul(projected, projected, true, false), JACOBI_SWEEPS_PER_PASS);
        basis = tf.matMul(basis, jacobi.rotation);
        rotated = jacobi.rotated;
      }
      if (!rotated) throw new Error('unreachable: at least one pass');
      // One Newton-Schulz step, U (3 I - U^T U) / 2: rounding in thousands of rotations per call
      // would otherwise slowly erode the orthogonality of the basis kept across calls.
      const gram = tf.matMul(basis, basis, true, false);
      const orthonormal = tf.matMul(basis, tf.mul(0.5, tf.sub(tf.mul(3, tf.eye(this.n)), gram))) as tf.Tensor2D;
      const eigenvalues = tf.sum(tf.mul(rotated, tf.eye(this.n)), 1);
      // Rounding can leave a zero eigenvalue slightly negative.
      return { basis: orthonormal, singular: tf.sqrt(tf.relu(eigenvalues)) as tf.Tensor1D };
    });
    this.basis.assign(result.basis);
    return result;
  }
}

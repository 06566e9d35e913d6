/**
 * The SR compensation (Liu et al. 2019) as GPU ops on a SingularDecomposition; no read-back.
 *
 * With the paper's W = A^T = U diag(s) V^T, a new spectrum s' gives
 *   W' = U diag(s') V^T = W + U diag(s' - s) V^T = (I + U diag(s'/s - 1) U^T) W,
 * so one symmetric n x n matrix M = U diag(m) U^T with m = s'/s applied to X (X' = X M, X = A or A^T,
 * see singular-basis.ts) is the whole update: one matMul on the layer. Only the multipliers m differ
 * between static and dynamic SR.
 *
 * Zero singular values: a direction with s_i = 0 has no defined right vector v_i (numpy's SVD would
 * pick an arbitrary one), so it cannot be raised. A singular value at or below numpy's
 * matrix_rank tolerance, max(K, c) * eps_f32 * s_1, counts as zero and keeps its value (zero, or the
 * scale every other untouched direction gets); the rank of W never changes.
 */
import * as tf from '@tensorflow/tfjs';
import type { SingularBasis, SingularDecomposition } from './singular-basis';
import { shapeSize } from '../numbers';

/** float32 machine epsilon (2^-23), as numpy's finfo(float32).eps. */
export const FLOAT32_EPSILON = 2 ** -23;
/** Keeps 1/s finite for s = 0; those entries are replaced by the zero rule anyway. */
const TINY = 1e-30;

/** s_i / s_1 at or below this counts as zero: numpy's matrix_rank default for a [K, c] float32 matrix. */
export function rankTolerance(weightShape: readonly number[]): number {
  const c = weightShape[weightShape.length - 1];
  const k = shapeSize(weightShape) / c;
  return Math.max(k, c) * FLOAT32_EPSILON;
}

/**
 * Position of each s_i in the descending order (0 = largest), ties broken by index, as int32:
 * rank_i = #{j : s_j > s_i} + #{j < i : s_j = s_i}. O(n^2) compares, fine for n <= 512 on any backend.
 */
export function descendingRanks(singular: tf.Tensor1D): tf.Tensor1D {
  const n = singular.shape[0];
  return tf.tidy(() => {
    const column = tf.reshape(singular, [n, 1]);
    const row = tf.reshape(singular, [1, n]);
    const index = tf.range(0, n, 1, 'int32');
    const before = tf.less(tf.reshape(index, [1, n]), tf.reshape(index, [n, 1]));
    const ahead = tf.logicalOr(tf.greater(row, column), tf.logicalAnd(tf.equal(row, column), before));
    return tf.sum(tf.cast(ahead, 'int32'), 1) as tf.Tensor1D;
  });
}

/** The singular values in descending order, from their ranks. */
export function sortDescending(singular: tf.Tensor1D, ranks: tf.Tensor1D): tf.Tensor1D {
  return tf.unsortedSegmentSum(singular, ranks, singular.shape[0]);
}

/** Indicator of the singular values that count as nonzero (see the file comment). */
function nonzero(singular: tf.Tensor1D, largest: tf.Scalar, tolerance: number): tf.Tensor1D {
  return tf.greater(singular, tf.mul(largest, tolerance));
}

/**
 * Static SR, exactly as the authors' code: s <- s / s_1, then the top k set to 1, then W <- U diag(s) V^T.
 * So the raw W's top singular value becomes 1 (SN then divides by about 1): m_i = 1 / s_i for the top
 * k, 1 / s_1 for the rest. (Raising the top k to s_1 and letting SN divide by s_1 gives the same
 * weight after SN.) A zero weight (s_1 = 0) is left as it is.
 */
export function staticMultipliers(
  singular: tf.Tensor1D,
  ranks: tf.Tensor1D,
  k: number,
  tolerance: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const largest = tf.max(singular) as tf.Scalar;
    const topK = tf.logicalAnd(tf.less(ranks, k), nonzero(singular, largest, tolerance));
    const raised = tf.div(1, tf.maximum(singular, TINY));
    const scaled = tf.div(1, tf.maximum(tf.broadcastTo(largest, singular.shape), TINY));
    const multipliers = tf.where(topK, raised, scaled);
    return tf.where(tf.greater(largest, 0), multipliers, tf.onesLike(multipliers)) as tf.Tensor1D;
  });
}

/** r <- max(r, s_sorted / s_1) elementwise by sorted index; the first call (r = null) starts r. */
export function updatedRatios(ratios: tf.Tensor1D | null, sortedSingular: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const current = tf.div(sortedSingular, tf.maximum(tf.max(sortedSingular), TINY)) as tf.Tensor1D;
    return ratios ? tf.maximum(ratios, current) : current;
  });
}

/**
 * Dynamic SR: target s'_i = s_1 * r[rank_i] (raw s_1 kept, since r[0] = 1), so m_i = s_1 r[rank_i] / s_i.
 * A zero singular value keeps m = 1.
 */
export function dynamicMultipliers(
  singular: tf.Tensor1D,
  ranks: tf.Tensor1D,
  ratios: tf.Tensor1D,
  tolerance: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const largest = tf.max(singular) as tf.Scalar;
    const target = tf.mul(largest, tf.gather(ratios, ranks));
    const multipliers = tf.div(target, tf.maximum(singular, TINY));
    return tf.where(nonzero(singular, largest, tolerance), multipliers, tf.onesLike(multipliers)) as tf.Tensor1D;
  });
}

/**
 * The compensated matrix A' = [K, c]: X' = X M with M = U diag(m) U^T (A' = A M, or A' = M A when
 * X = A^T; M is symmetric).
 */
export function compensatedMatrix(
  a: tf.Tensor2D,
  basis: SingularBasis,
  decomposition: SingularDecomposition,
  multipliers: tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const u = decomposition.basis;
    const m = tf.matMul(tf.mul(u, tf.reshape(multipliers, [1, -1])), u, false, true);
    return basis.transposed ? tf.matMul(m, a) : tf.matMul(a, m);
  });
}

/**
 * Spectral-norm power iteration written with stock tfjs ops: the path on webgl and cpu, and the
 * oracle the WGSL kernel (power-iteration-webgpu.ts) is tested against.
 *
 * Layout (SN paper, Algorithm 1, on tfjs weights): a conv kernel [kh, kw, cin, cout] is reshaped to
 * A = [K, cout] with K = kh*kw*cin (a free reshape); a dense kernel [in, out] already is A. The
 * paper's matrix is A^T (cout x K), which has the same singular values. u has length cout, v length K.
 * One iteration: v = norm(A u); u' = norm(A^T v); sigma = v^T A u'; norm(x) = x / max(|x|, eps).
 */
import * as tf from '@tensorflow/tfjs';

/** The eps of norm(x) = x / max(|x|, eps), as in the SN paper's code and torch.nn.utils. */
export const SPECTRAL_NORM_EPSILON = 1e-12;

export interface PowerIterationResult {
  /** u' = norm(A^T v), length cout: the persistent vector to keep for the next training step. */
  u: tf.Tensor1D;
  /** v = norm(A u), length K. */
  v: tf.Tensor1D;
  /** v^T A u', the estimate of the largest singular value of A. */
  sigma: tf.Scalar;
}

/**
 * Identity forward, zero gradient. u and v are constants of the normalization (they are updated by
 * training steps, never trained), and this keeps them so even if a caller computes them inside a
 * gradient tape from the very weight being trained.
 */
const stopGradientOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}

/** Weight of any rank >= 2 to the matrix A = [K, cout]; free (a reshape of the same data). */
export function weightAsMatrix(w: tf.Tensor): tf.Tensor2D {
  if (w.rank < 2) throw new Error(`spectral norm needs a weight of rank >= 2, got shape [${w.shape}]`);
  const cout = w.shape[w.rank - 1];
  return tf.reshape(w, [w.size / cout, cout]);
}

export function assertPowerIterationArgs(a: tf.Tensor2D, u: tf.Tensor1D, iterations: number): void {
  if (a.rank !== 2 || u.rank !== 1 || u.shape[0] !== a.shape[1]) {
    throw new Error(`power iteration needs A [K, cout] and u [cout]; got A [${a.shape}] and u [${u.shape}]`);
  }
  if (a.dtype !== 'float32' || u.dtype !== 'float32') throw new Error('power iteration needs float32 tensors');
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`power iteration needs a whole number of iterations >= 1, got ${iterations}`);
  }
}

function normalize(x: tf.Tensor1D, eps: number): tf.Tensor1D {
  return tf.div(x, tf.maximum(tf.norm(x), eps));
}

/** A x as a vector. */
function matrixTimesVector(a: tf.Tensor2D, x: tf.Tensor1D): tf.Tensor1D {
  return tf.reshape(tf.matMul(a, tf.reshape(x, [-1, 1])), [-1]);
}

/** A^T x as a vector, without materializing A^T. */
function matrixTransposedTimesVector(a: tf.Tensor2D, x: tf.Tensor1D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.reshape(x, [1, -1]), a), [-1]);
}

/** The tfjs-ops twin of the WGSL kernel; see the file comment for the math. */
export function powerIterationOps(
  a: tf.Tensor2D,
  u: tf.Tensor1D,
  iterations: number,
  eps: number = SPECTRAL_NORM_EPSILON,
): PowerIterationResult {
  assertPowerIterationArgs(a, u, iterations);
  return tf.tidy(() => {
    let uCurrent = u;
    let v = normalize(matrixTimesVector(a, uCurrent), eps);
    uCurrent = normalize(matrixTransposedTimesVector(a, v), eps);
    for (let i = 1; i < iterations; i++) {
      v = normalize(matrixTimesVector(a, uCurrent), eps);
      uCurrent = normalize(matrixTransposedTimesVector(a, v), eps);
    }
    const sigma = tf.dot(v, matrixTimesVector(a, uCurrent)) as tf.Scalar;
    return { u: stopGradient(uCurrent), v: stopGradient(v), sigma: stopGradient(sigma) };
  });
}

/**
 * W / sigma(W) with sigma = v^T A u, u and v held constant, so the gradient flows through W only
 * (SN paper, eq. 12). Returns the normalized weight in W's own shape and the sigma it used.
 *
 * The gradient is written out, dW = (G - <G, W/sigma> v u^T) / sigma for the upstream gradient G,
 * because autodiff of the same expression takes about twice as many GPU dispatches per layer.
 * `knownSigma` skips recomputing sigma when the caller knows it equals v^T A u for this very W
 * (right after a power iteration on it); it is used as a constant.
 */
export function spectralNormalizedWeight(
  w: tf.Tensor,
  u: tf.Tensor1D,
  v: tf.Tensor1D,
  knownSigma?: tf.Scalar,
): { weight: tf.Tensor; sigma: tf.Scalar } {
  const [k, cout] = [w.size / w.shape[w.rank - 1], w.shape[w.rank - 1]];
  if (u.rank !== 1 || v.rank !== 1 || u.shape[0] !== cout || v.shape[0] !== k) {
    throw new Error(
      `spectralNormalizedWeight: W [${w.shape}] needs u [${cout}] and v [${k}]; got u [${u.shape}], v [${v.shape}]`,
    );
  }
  return tf.tidy(() => {
    // Outside the custom op: its gradient is written below, so this sigma is a constant to it.
    const sigma = knownSigma
      ? tf.clone(knownSigma)
      : (tf.dot(stopGradient(v), matrixTimesVector(weightAsMatrix(w), stopGradient(u))) as tf.Scalar);
    const normalize = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [weightIn, uIn, vIn] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
      const save = args[3] as tf.GradSaveFunc;
      const weight = tf.div(weightIn, sigma);
      save([weight, sigma, uIn, vIn]);
      return {
        value: weight,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const upstream = dy as tf.Tensor;
          const [weightSaved, sigmaSaved, uSaved, vSaved] = saved;
          const inner = tf.sum(tf.mul(upstream, weightSaved));
          // v u^T by broadcasting: the same products as a k=1 matMul, without a tiled matMul program.
          const outer = tf.reshape(tf.mul(tf.reshape(vSaved, [-1, 1]), tf.reshape(uSaved, [1, -1])), upstream.shape);
          const dw = tf.div(tf.sub(upstream, tf.mul(outer, inner)), sigmaSaved);
          // tf.zeros is written from the host (no dispatch); zerosLike is a fill program per call.
          return [dw, tf.zeros(uSaved.shape), tf.zeros(vSaved.shape)];
        },
      };
    });
    return { weight: normalize(w, u, v), sigma };
  });
}

/**
 * BSSN's two power iterations (Lin et al. 2021) in stock tfjs ops: the path on webgl and cpu, and the
 * oracle the WGSL kernel (bssn-power-iteration-webgpu.ts) is tested against. Also the normalized
 * weight c W / ((sigma1 + sigma2) / 2) with its hand-written gradient.
 *
 * A tfjs conv kernel [kh, kw, cin, cout] is viewed as blocks W[p, ci, co] of shape [P, cin, cout],
 * P = kh*kw (a free reshape). Its two matrices, each with its own power iteration:
 *   A1 = reshape(W, [P*cin, cout])                        (SN's A; the paper's c_out x c_in*kh*kw, transposed)
 *   B  = reshape(transpose(W, [0, 2, 1]), [P*cout, cin])  (the paper's c_in x c_out*kh*kw, transposed)
 * Each iteration is SN's: v = norm(M u), u' = norm(M^T v), sigma = v^T M u' (powerIterationOps).
 * Vectors are packed so one kernel call serves both: u = [u1 (cout); u2 (cin)] and
 * v = [v1 (P*cin); v2 (P*cout)]. A rank-2 (dense) weight is the case P = 1, where B = A1^T.
 */
import * as tf from '@tensorflow/tfjs';
import { powerIterationOps, SPECTRAL_NORM_EPSILON, stopGradient } from './power-iteration-ops';

/** The eps of norm(x) = x / max(|x|, eps), SN's. */
export const BSSN_EPSILON = SPECTRAL_NORM_EPSILON;

export interface BssnPowerIterationResult {
  /** [u1 (cout); u2 (cin)], each half a unit vector: the persistent state for the next call. */
  u: tf.Tensor1D;
  /** [v1 (P*cin); v2 (P*cout)], each half a unit vector. */
  v: tf.Tensor1D;
  /** [sigma1, sigma2]: the estimates of sigma(A1) and sigma(B). */
  sigma: tf.Tensor1D;
  /**
   * d((sigma1 + sigma2) / 2) / dW with u, v held constant, in W's shape: (v1 u1^T + T(v2 u2^T)) / 2.
   * Also D with <W, D> = (sigma1 + sigma2) / 2, since each sigma = v^T M u is linear in W.
   */
  meanSigmaGradient: tf.Tensor;
}

/** The blocks view [P, cin, cout] of a weight of rank >= 2 (free: a reshape of the same data). */
export function weightAsBlocks(w: tf.Tensor): tf.Tensor3D {
  if (w.rank < 2) throw new Error(`BSSN needs a weight of rank >= 2, got shape [${w.shape}]`);
  const cin = w.shape[w.rank - 2];
  const cout = w.shape[w.rank - 1];
  return tf.reshape(w, [w.size / (cin * cout), cin, cout]);
}

/** Length of the packed u of a weight: cout + cin. */
export function bssnVectorLength(weightShape: readonly number[]): number {
  return weightShape[weightShape.length - 1] + weightShape[weightShape.length - 2];
}

export function assertBssnArgs(w: tf.Tensor, u: tf.Tensor1D, iterations: number): void {
  if (w.rank < 2 || u.rank !== 1 || u.shape[0] !== bssnVectorLength(w.shape)) {
    throw new Error(
      `BSSN power iteration needs W [..., cin, cout] and u [cout + cin]; got W [${w.shape}] and u [${u.shape}]`,
    );
  }
  if (w.dtype !== 'float32' || u.dtype !== 'float32') throw new Error('BSSN power iteration needs float32 tensors');
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`BSSN power iteration needs a whole number of iterations >= 1, got ${iterations}`);
  }
}

/** x y^T for vectors x, y. */
function outer(x: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor2D {
  return tf.matMul(tf.reshape(x, [-1, 1]), tf.reshape(y, [1, -1]));
}

/** The tfjs-ops twin of the WGSL kernel: SN's power iteration run on A1 and on B. */
export function bssnPowerIterationOps(
  w: tf.Tensor,
  u: tf.Tensor1D,
  iterations: number,
  eps: number = BSSN_EPSILON,
): BssnPowerIterationResult {
  assertBssnArgs(w, u, iterations);
  return tf.tidy(() => {
    const blocks = weightAsBlocks(w);
    const [p, cin, cout] = blocks.shape;
    const a1 = tf.reshape(blocks, [p * cin, cout]) as tf.Tensor2D;
    const b = tf.reshape(tf.transpose(blocks, [0, 2, 1]), [p * cout, cin]) as tf.Tensor2D;
    const [u1, u2] = tf.split(u, [cout, cin]) as [tf.Tensor1D, tf.Tensor1D];
    const first = powerIterationOps(a1, u1, iterations, eps);
    const second = powerIterationOps(b, u2, iterations, eps);
    const gradientFirst = tf.reshape(outer(first.v, first.u), [p, cin, cout]);
    const gradientSecond = tf.transpose(tf.reshape(outer(second.v, second.u), [p, cout, cin]), [0, 2, 1]);
    const gradient = tf.reshape(tf.mul(tf.add(gradientFirst, gradientSecond), 0.5), w.shape);
    return {
      u: stopGradient(tf.concat([first.u, second.u]) as tf.Tensor1D),
      v: stopGradient(tf.concat([first.v, second.v]) as tf.Tensor1D),
      sigma: stopGradient(tf.stack([first.sigma, second.sigma]) as tf.Tensor1D),
      meanSigmaGradient: stopGradient(gradient),
    };
  });
}

/**
 * c W / s with s = (sigma1 + sigma2) / 2 = <W, D> for D = meanSigmaGradient (u, v constant), so the
 * gradient flows through W only, as in SN. Returns the weight in W's shape and the s it used.
 *
 * The gradient is written out, dW = (c G - <G, out> D) / s for the upstream gradient G and the
 * output out = c W / s (the quotient rule with ds/dW = D), because D already comes from the power
 * iteration (one dispatch there): the backward is 6 elementwise or reduction dispatches, where
 * autodiff through v1^T A1 u1 and v2^T B u2 would rebuild both outer products (matMuls, a transpose)
 * on every backward. `knownMeanSigma` skips recomputing s when the caller knows it equals <W, D> for
 * this very W; it is used as a constant.
 */
export function bssnNormalizedWeight(
  w: tf.Tensor,
  meanSigmaGradient: tf.Tensor,
  scale: number,
  knownMeanSigma?: tf.Scalar,
): { weight: tf.Tensor; meanSigma: tf.Scalar } {
  if (!tf.util.arraysEqual(w.shape, meanSigmaGradient.shape)) {
    throw new Error(
      `bssnNormalizedWeight: W [${w.shape}] and its sigma gradient [${meanSigmaGradient.shape}] differ in shape`,
    );
  }
  return tf.tidy(() => {
    // Outside the custom op, and D and s are not its inputs: both are constants to its gradient.
    const meanSigma: tf.Scalar = knownMeanSigma ? tf.clone(knownMeanSigma) : tf.sum(tf.mul(w, meanSigmaGradient));
    const normalize = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const weightIn = args[0] as tf.Tensor;
      const save = args[1] as tf.GradSaveFunc;
      const weight = tf.mul(weightIn, tf.div(scale, meanSigma));
      save([weight, meanSigmaGradient, meanSigma]);
      return {
        value: weight,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const upstream = dy as tf.Tensor;
          const [weightSaved, direction, sigmaSaved] = saved;
          const inner = tf.sum(tf.mul(upstream, weightSaved));
          return tf.div(tf.sub(tf.mul(upstream, scale), tf.mul(direction, inner)), sigmaSaved);
        },
      };
    });
    return { weight: normalize(w), meanSigma };
  });
}

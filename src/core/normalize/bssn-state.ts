// BSSN's persistent state on a conv weight with a kh*kw > 1 kernel: one packed vector for the two
// power iterations (sigma1 of the c_out x c_in*kh*kw matrix, sigma2 of the c_in x c_out*kh*kw one).
import * as tf from '@tensorflow/tfjs';
import { bssnNormalizedWeight, bssnPowerIteration, bssnVectorLength } from '../kernels/bssn-power-iteration';
import { PersistentState, type StateEntries } from './persistent-state';
import { WeightVersion } from './weight-version';

/** Persistent state of the two power iterations of a conv weight with a kh*kw > 1 kernel. */
export class BidirectionalState extends PersistentState {
  /** Packed [u1 (cout); u2 (cin)], each half a unit vector. */
  readonly u: tf.Variable<tf.Rank.R1>;
  /** sigma1, the estimate of sigma(raw W) that sigmaEstimate reports. */
  readonly sigma1: tf.Variable<tf.Rank.R0>;
  /** (sigma1 + sigma2) / 2 as of the last advance. */
  readonly meanSigma: tf.Variable<tf.Rank.R0>;
  /** d meanSigma / dW with u, v constant (W's shape); also <W, D> = meanSigma, linear in W. */
  readonly meanSigmaGradient: tf.Variable;
  /** The weight data the last advance ran on. */
  private readonly version = new WeightVersion();

  constructor(weightShape: readonly number[], seed: number) {
    super();
    const cout = weightShape[weightShape.length - 1];
    const cin = weightShape[weightShape.length - 2];
    // Isotropic random unit halves, seeded so runs reproduce (SN paper, Algorithm 1, twice).
    this.u = tf.tidy(() => {
      const raw = tf.randomNormal([bssnVectorLength(weightShape)], 0, 1, 'float32', seed) as tf.Tensor1D;
      const halves = tf.split(raw, [cout, cin]).map((half) => tf.div(half, tf.norm(half)));
      return tf.variable(tf.concat(halves) as tf.Tensor1D, false);
    });
    this.sigma1 = tf.tidy(() => tf.variable(tf.scalar(0), false)); // tidy frees the initial value
    this.meanSigma = tf.tidy(() => tf.variable(tf.scalar(0), false)); // tidy frees the initial value
    // tidy frees the initial value
    this.meanSigmaGradient = tf.tidy(() => tf.variable(tf.zeros([...weightShape]), false));
  }

  advance(raw: tf.Tensor, iterations: number): void {
    tf.tidy(() => {
      const result = bssnPowerIteration(raw, this.u, iterations);
      this.u.assign(result.u);
      this.sigma1.assign(tf.reshape(tf.slice(result.sigma, [0], [1]), []));
      this.meanSigma.assign(tf.mean(result.sigma));
      this.meanSigmaGradient.assign(result.meanSigmaGradient);
    });
    this.version.record(raw);
  }

  /** True when `raw` has not changed since the last advance, so the stored sigma is exact. */
  isCurrentFor(raw: tf.Tensor): boolean {
    return this.version.isCurrentFor(raw);
  }

  get hasEstimate(): boolean {
    return this.version.recorded;
  }

  declaredState(): StateEntries {
    const { u, sigma1, meanSigma, meanSigmaGradient } = this;
    return { u, sigma1, meanSigma, meanSigmaGradient, recorded: this.version.asEntry() };
  }

  /** The normalized weight the next advance would give, nothing stored (see PowerIterationState.preview). */
  previewWeight(raw: tf.Tensor, iterations: number, scale: number): tf.Tensor {
    return tf.tidy(() => {
      const next = bssnPowerIteration(raw, this.u, iterations);
      return bssnNormalizedWeight(raw, next.meanSigmaGradient, scale, tf.mean(next.sigma) as tf.Scalar).weight;
    });
  }
}

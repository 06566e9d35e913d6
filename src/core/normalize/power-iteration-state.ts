// Persistent power-iteration vectors (u, v) and the latest sigma estimate for one weight matrix.
// Used by SN for training and by the sigma monitor for read-backs; never touches the raw weight.
import * as tf from '@tensorflow/tfjs';
import { powerIteration } from '../kernels/power-iteration';
import { matrixShape } from './types';
import { PersistentState, type StateEntries } from './persistent-state';
import { WeightVersion } from './weight-version';

export class PowerIterationState extends PersistentState {
  readonly u: tf.Variable<tf.Rank.R1>;
  readonly v: tf.Variable<tf.Rank.R1>;
  readonly sigma: tf.Variable<tf.Rank.R0>;
  private readonly shape: [number, number];
  /** The weight data the last advance ran on. */
  private readonly version = new WeightVersion();

  constructor(weightShape: readonly number[], seed: number) {
    super();
    this.shape = matrixShape(weightShape);
    const [k, cOut] = this.shape;
    // An isotropic random unit u, as in Algorithm 1 of the SN paper; seeded so runs reproduce.
    this.u = tf.tidy(() => {
      const raw = tf.randomNormal([cOut], 0, 1, 'float32', seed);
      return tf.variable(tf.div(raw, tf.norm(raw)) as tf.Tensor1D, false);
    });
    this.v = tf.tidy(() => tf.variable(tf.zeros([k]) as tf.Tensor1D, false)); // tidy frees the initial value
    this.sigma = tf.tidy(() => tf.variable(tf.scalar(0), false)); // tidy frees the initial value
  }

  /** Runs `iterations` power iterations from the stored u on the raw weight (no gradient). */
  advance(raw: tf.Tensor, iterations: number): void {
    tf.tidy(() => {
      const result = powerIteration(tf.reshape(raw, this.shape) as tf.Tensor2D, this.u, iterations);
      this.u.assign(result.u);
      this.v.assign(result.v);
      this.sigma.assign(result.sigma);
    });
    this.version.record(raw);
  }

  /**
   * u, v and sigma as the next advance would leave them, nothing stored: the effective weight
   * before the first D update (a snapshot at iteration 0, or right after a switch) is the one that
   * update will use. Call inside tf.tidy.
   */
  preview(raw: tf.Tensor, iterations: number): { u: tf.Tensor1D; v: tf.Tensor1D; sigma: tf.Scalar } {
    return powerIteration(tf.reshape(raw, this.shape) as tf.Tensor2D, this.u, iterations);
  }

  /** True when `raw` has not changed since the last advance, so the stored sigma is exact. */
  isCurrentFor(raw: tf.Tensor): boolean {
    return this.version.isCurrentFor(raw);
  }

  get hasEstimate(): boolean {
    return this.version.recorded;
  }

  declaredState(): StateEntries {
    return { u: this.u, v: this.v, sigma: this.sigma, recorded: this.version.asEntry() };
  }
}

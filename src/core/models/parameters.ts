// Seeded parameter creation, so the same URL seed gives the same initial weights on every backend
// (tfjs draws seeded random numbers on the CPU before upload). Variables get tfjs's automatic
// unique names: two trainers may coexist (benchmarks, comparisons), and tfjs names are global.
import * as tf from '@tensorflow/tfjs';

/** Normal(0, 0.02) as in the SN/BSSN reference code for the standard CNN. */
export const INIT_STDDEV = 0.02;

export function normalVariable(shape: number[], seed: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, INIT_STDDEV, 'float32', seed), true));
}

export function constantVariable(shape: number[], value: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), true));
}

export function countParameters(variables: readonly tf.Variable[]): number {
  return variables.reduce((total, v) => total + v.size, 0);
}

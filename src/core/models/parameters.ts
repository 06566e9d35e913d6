// Seeded parameter creation, so the same URL seed gives the same initial weights on every backend
// (tfjs draws seeded random numbers on the CPU before upload). Variables get tfjs's automatic
// unique names: two trainers may coexist (benchmarks, comparisons), and tfjs names are global.
import * as tf from '@tensorflow/tfjs';

/** Normal(0, 0.02) as in the SN/BSSN reference code for the standard CNN. */
export const INIT_STDDEV = 0.02;

export function normalVariable(shape: number[], seed: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, INIT_STDDEV, 'float32', seed), true));
}

/**
 * Chainer's GlorotUniform(scale), used by the SN paper's ResNet: U(-a, a) with
 * a = gain * sqrt(6 / (fan_in + fan_out)); conv fans include the kernel area.
 * Shapes: conv [kh, kw, cin, cout], dense [in, out].
 */
export function glorotUniformVariable(shape: number[], gain: number, seed: number): tf.Variable {
  const receptive = shape.length === 4 ? shape[0] * shape[1] : 1;
  const fanIn = receptive * shape[shape.length - 2];
  const fanOut = receptive * shape[shape.length - 1];
  const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
  return tf.tidy(() => tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed), true));
}

export function constantVariable(shape: number[], value: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), true));
}

export function countParameters(variables: readonly tf.Variable[]): number {
  return variables.reduce((total, v) => total + v.size, 0);
}

/** Helpers shared by the GPU kernel tests: seeded data, error scopes, reference matrices. */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { afterAll, beforeAll } from 'vitest';
import { SeededRandom } from '../../src/core/data/seeded-random';

/** Uniform [0, 1) draws from the project's seeded PRNG, so every test input is reproducible. */
export function seededUniform(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** Standard normal samples (Box-Muller over the seeded PRNG). */
export function seededNormals(count: number, seed: number): Float64Array {
  const uniform = seededUniform(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

export function webgpuBackend(): WebGPUBackend {
  if (tf.getBackend() !== 'webgpu') throw new Error(`expected the webgpu backend, got ${tf.getBackend()}`);
  return tf.backend() as WebGPUBackend;
}

/**
 * Runs fn (which must await a read of its GPU results, so the work is submitted) inside a validation
 * error scope. tfjs never throws on a WGSL or validation error, it returns stale data; the scope is
 * how a test sees such an error.
 */
export async function withValidationScope<T>(fn: () => Promise<T>): Promise<{ result: T; error: GPUError | null }> {
  const device = webgpuBackend().device;
  device.pushErrorScope('validation');
  try {
    const result = await fn();
    return { result, error: await device.popErrorScope() };
  } catch (thrown) {
    await device.popErrorScope(); // never leak a scope into the next test
    throw thrown;
  }
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Row-major data of an ml-matrix Matrix, rounded to float32 as the GPU will see it. */
export function toFloat32(matrix: Matrix): Float32Array {
  return Float32Array.from(matrix.to1DArray());
}

/**
 * A seeded Gaussian [rows, cols] matrix whose top singular value is raised to gapRatio times the
 * second one, so power iteration converges within a test's budget. The caller recomputes the SVD of
 * the float32-rounded result as the reference; this construction only guarantees the gap.
 */
export function matrixWithSpectralGap(rows: number, cols: number, gapRatio: number, seed: number): Matrix {
  const gaussian = new Matrix(rows, cols);
  const samples = seededNormals(rows * cols, seed);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) gaussian.set(r, c, samples[r * cols + c]);
  const svd = new SingularValueDecomposition(gaussian, { autoTranspose: true });
  const singular = svd.diagonal.slice();
  if (singular.length < 2) return gaussian; // rank one: one singular value, nothing to separate
  singular[0] = Math.max(singular[0], gapRatio * singular[1]);
  return svd.leftSingularVectors.mmul(Matrix.diag(singular)).mmul(svd.rightSingularVectors.transpose());
}

/**
 * For a test file that counts dispatches: tfjs runs ops on small CPU-side inputs on the CPU by
 * default (WEBGPU_CPU_FORWARD); off for the file, so every op dispatches, and restored after.
 */
export function dispatchEverySmallOp(): void {
  const flag = 'WEBGPU_CPU_FORWARD';
  let saved = true;
  beforeAll(() => {
    saved = tf.env().getBool(flag);
    tf.env().set(flag, false);
  });
  afterAll(() => {
    tf.env().set(flag, saved);
  });
}

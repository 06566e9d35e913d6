/**
 * The parallel Jacobi eigensolver on the cpu backend, both its cpu kernel (plain loops) and its tfjs-ops
 * twin, against ml-matrix's EVD and against each other, and its round-robin schedule. The WGSL kernel
 * is checked against the twin in tests/gpu.
 */
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jacobiPartner,
  jacobiRoundsPerSweep,
  jacobiSweeps,
  jacobiSweepsOps,
  type JacobiResult,
} from '../../../../src/core/kernels/jacobi-rotation';
import { seededNormals } from '../../../fixtures/sr-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A seeded symmetric matrix (B + B^T) / 2, optionally with a repeated eigenvalue block. */
function symmetricMatrix(n: number, seed: number): Matrix {
  const b = Matrix.from1DArray(n, n, Array.from(seededNormals(n * n, seed)));
  return b.add(b.transpose()).mul(0.5);
}

type Implementation = 'cpu kernel' | 'tfjs-ops twin';

/** Diagonalizes T from Q = I with the chosen implementation. */
function diagonalize(t: tf.Tensor2D, sweeps: number, implementation: Implementation): JacobiResult {
  const n = t.shape[0];
  return tf.tidy(() => {
    const state = tf.concat([t, tf.eye(n)], 0) as tf.Tensor2D;
    const final = implementation === 'cpu kernel' ? jacobiSweeps(state, sweeps) : jacobiSweepsOps(state, sweeps);
    return { rotated: tf.slice(final, [0, 0], [n, n]), rotation: tf.slice(final, [n, 0], [n, n]) };
  });
}

const IMPLEMENTATIONS: Implementation[] = ['cpu kernel', 'tfjs-ops twin'];

function sortedDiagonal(rotated: Float32Array, n: number): number[] {
  return Array.from({ length: n }, (_, i) => rotated[i * n + i]).sort((x, y) => x - y);
}

describe('round-robin schedule', () => {
  it.each([2, 3, 4, 7, 8, 33, 64])('pairs every two indices exactly once per sweep, disjointly, n=%i', (n) => {
    const seen = new Set<string>();
    for (let round = 0; round < jacobiRoundsPerSweep(n); round++) {
      const used = new Set<number>();
      for (let i = 0; i < n; i++) {
        const p = jacobiPartner(i, round, n);
        if (p >= n) continue; // the dummy of an odd n
        expect(jacobiPartner(p, round, n)).toBe(i);
        expect(p).not.toBe(i);
        used.add(i);
        if (i < p) seen.add(`${i},${p}`);
      }
      expect(used.size).toBe(n - (n % 2));
    }
    expect(seen.size).toBe((n * (n - 1)) / 2);
  });
});

describe.each(IMPLEMENTATIONS)('Jacobi (%s) against ml-matrix EVD', (implementation) => {
  it.each([1, 2, 5, 16, 33])('eigenvalues to 1e-5 and an orthonormal eigenbasis, n=%i', async (n) => {
    const matrix = symmetricMatrix(n, 100 + n);
    const reference = new EigenvalueDecomposition(matrix, { assumeSymmetric: true }).realEigenvalues.sort(
      (x, y) => x - y,
    );
    const t = tf.tensor2d(Float32Array.from(matrix.to1DArray()), [n, n]);
    const { rotated, rotation } = diagonalize(t, 8, implementation);
    const [rotatedData, q] = [(await rotated.data()) as Float32Array, (await rotation.data()) as Float32Array];
    const scale = Math.max(...reference.map(Math.abs));
    sortedDiagonal(rotatedData, n).forEach((value, i) =>
      expect(Math.abs(value - reference[i]) / scale).toBeLessThan(1e-5),
    );
    const qMatrix = Matrix.from1DArray(n, n, Array.from(q));
    expect(qMatrix.transpose().mmul(qMatrix).sub(Matrix.eye(n)).abs().max()).toBeLessThan(1e-5);
    // T Q = Q diag(lambda): column by column.
    const residual = matrix
      .mmul(qMatrix)
      .sub(qMatrix.mmul(Matrix.diag(Array.from({ length: n }, (_, i) => rotatedData[i * n + i]))));
    // Frobenius over n^2 float32 entries: a few eps * sqrt(n) is the floor.
    expect(residual.norm('frobenius') / scale).toBeLessThan(5e-5);
    tf.dispose([t, rotated, rotation]);
  });

  it('handles a repeated eigenvalue and an already diagonal matrix', async () => {
    const n = 6;
    const values = [3, 3, 3, 1, 0, 0];
    const q = Matrix.from1DArray(n, n, Array.from(seededNormals(n * n, 7)));
    const orthogonal = new EigenvalueDecomposition(q.add(q.transpose()), { assumeSymmetric: true }).eigenvectorMatrix;
    const matrix = orthogonal.mmul(Matrix.diag(values)).mmul(orthogonal.transpose());
    for (const input of [matrix, Matrix.diag(values)]) {
      const t = tf.tensor2d(Float32Array.from(input.to1DArray()), [n, n]);
      const { rotated, rotation } = diagonalize(t, 6, implementation);
      const found = sortedDiagonal((await rotated.data()) as Float32Array, n);
      found.forEach((value, i) => expect(Math.abs(value - [...values].sort((x, y) => x - y)[i])).toBeLessThan(1e-5));
      expect(Array.from(await rotation.data()).every(Number.isFinite)).toBe(true);
      tf.dispose([t, rotated, rotation]);
    }
  });

  it('does not leak tensors', () => {
    const t = tf.tensor2d(Float32Array.from(symmetricMatrix(9, 1).to1DArray()), [9, 9]);
    const before = tf.memory().numTensors;
    const result = diagonalize(t, 3, implementation);
    tf.dispose([result.rotated, result.rotation]);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

let worstKernelVsTwin = 0;
afterAll(() => {
  console.info('symmetric-jacobi worst cpu kernel vs twin', worstKernelVsTwin);
});

describe('the cpu kernel against the tfjs-ops twin', () => {
  it.each([2, 3, 8, 27, 40])('same state after 3 sweeps to 1e-6 of the scale, n=%i (random Q rows too)', async (n) => {
    const t = symmetricMatrix(n, 300 + n).to1DArray();
    const q = Array.from(seededNormals(n * n, 400 + n));
    const state = tf.tensor2d([...t, ...q], [2 * n, n]);
    const [kernel, twin] = [jacobiSweeps(state, 3), jacobiSweepsOps(state, 3)];
    const [a, b] = [await kernel.data(), await twin.data()];
    const scale = Math.max(...Array.from(b, Math.abs));
    const difference = Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]))) / scale;
    worstKernelVsTwin = Math.max(worstKernelVsTwin, difference);
    // Both round every step to float32 in the same order (bit-identical in Node); chained rotations
    // would amplify any engine difference a little.
    expect(difference).toBeLessThan(1e-6);
    tf.dispose([state, kernel, twin]);
  });
});

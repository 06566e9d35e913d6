/**
 * The float64 tred2/tql2 eigensolver against ml-matrix's EVD: values, A v = lambda v residuals,
 * orthonormal eigenvectors, repeated and zero eigenvalues.
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenvalues } from '../../../../src/core/metrics/symmetric-eigen';
import { seededNormals } from '../../../fixtures/sr-reference';

function randomSymmetric(n: number, seed: number): Float64Array {
  const b = seededNormals(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (b[i * n + j] + b[j * n + i]) / 2;
  return a;
}

/** Q diag(values) Q^T with a seeded orthogonal Q. */
function withEigenvalues(values: readonly number[], seed: number): Float64Array {
  const n = values.length;
  const q = new QrDecomposition(Matrix.from1DArray(n, n, Array.from(seededNormals(n * n, seed)))).orthogonalMatrix;
  const a = q.mmul(Matrix.diag([...values])).mmul(q.transpose());
  // Symmetrize exactly: the solver reads only what it is given.
  return Float64Array.from(
    { length: n * n },
    (_, k) => (a.get(Math.floor(k / n), k % n) + a.get(k % n, Math.floor(k / n))) / 2,
  );
}

function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}

/** max |A v_j - lambda_j v_j| and max |V^T V - I|. */
function residuals(
  a: Float64Array,
  n: number,
  values: Float64Array,
  vectors: Float64Array,
): { eigen: number; orthonormal: number } {
  const aMatrix = Matrix.from1DArray(n, n, Array.from(a));
  const v = Matrix.from1DArray(n, n, Array.from(vectors));
  const eigen = aMatrix
    .mmul(v)
    .sub(v.mmul(Matrix.diag(Array.from(values))))
    .abs()
    .max();
  const orthonormal = v.transpose().mmul(v).sub(Matrix.eye(n)).abs().max();
  return { eigen, orthonormal };
}

describe('symmetricEigen against ml-matrix EVD', () => {
  it.each([1, 2, 10, 50])('random symmetric n=%i', (n) => {
    const a = randomSymmetric(n, 40 + n);
    const original = Float64Array.from(a);
    const reference = new EigenvalueDecomposition(Matrix.from1DArray(n, n, Array.from(a)), {
      assumeSymmetric: true,
    }).realEigenvalues.sort((x, y) => y - x);
    const scale = maxAbs(reference);
    const { values, vectors } = symmetricEigen(a, n);
    const valuesOnly = symmetricEigenvalues(a, n);
    expect(a).toEqual(original); // input untouched
    values.forEach((value, i) => {
      expect(Math.abs(value - reference[i]) / scale).toBeLessThan(1e-12);
      expect(Math.abs(valuesOnly[i] - reference[i]) / scale).toBeLessThan(1e-12);
    });
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    const { eigen, orthonormal } = residuals(a, n, values, vectors);
    expect(eigen / scale).toBeLessThan(1e-12);
    expect(orthonormal).toBeLessThan(1e-12);
  });

  it('eigenvectors match ml-matrix up to sign for distinct eigenvalues', () => {
    const n = 10;
    const a = randomSymmetric(n, 3);
    const evd = new EigenvalueDecomposition(Matrix.from1DArray(n, n, Array.from(a)), { assumeSymmetric: true });
    const order = evd.realEigenvalues
      .map((value, i) => [value, i])
      .sort((x, y) => y[0] - x[0])
      .map(([, i]) => i);
    const { vectors } = symmetricEigen(a, n);
    for (let column = 0; column < n; column++) {
      let dot = 0;
      for (let row = 0; row < n; row++)
        dot += vectors[row * n + column] * evd.eigenvectorMatrix.get(row, order[column]);
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-10);
    }
  });

  it('repeated eigenvalues: right values and still an orthonormal eigenbasis', () => {
    const spectrum = [3, 3, 3, 1, 1, 0, -2, -2];
    const n = spectrum.length;
    const a = withEigenvalues(spectrum, 9);
    const { values, vectors } = symmetricEigen(a, n);
    values.forEach((value, i) => expect(value).toBeCloseTo(spectrum[i], 12));
    const { eigen, orthonormal } = residuals(a, n, values, vectors);
    expect(eigen).toBeLessThan(1e-12);
    expect(orthonormal).toBeLessThan(1e-12);
  });

  it('eigenvalues spanning twelve decades keep absolute accuracy eps * |A|', () => {
    const spectrum = Array.from({ length: 30 }, (_, i) => 10 ** (-12 * (i / 29)));
    const values = symmetricEigenvalues(withEigenvalues(spectrum, 21), 30);
    values.forEach((value, i) => expect(Math.abs(value - spectrum[i])).toBeLessThan(1e-14));
  });

  it('diagonal matrix: sorted diagonal, unit vectors', () => {
    const diagonal = [0.5, -1, 4, 2];
    const n = diagonal.length;
    const a = new Float64Array(n * n);
    diagonal.forEach((value, i) => (a[i * n + i] = value));
    const { values, vectors } = symmetricEigen(a, n);
    expect(Array.from(values)).toEqual([4, 2, 0.5, -1]);
    const expectedRow = [2, 3, 0, 1]; // where each sorted value sat on the diagonal
    for (let column = 0; column < n; column++) {
      for (let row = 0; row < n; row++)
        expect(Math.abs(vectors[row * n + column])).toBe(row === expectedRow[column] ? 1 : 0);
    }
  });

  it('zero matrix: zero values and the identity basis', () => {
    const n = 5;
    const { values, vectors } = symmetricEigen(new Float64Array(n * n), n);
    expect(Array.from(values)).toEqual([0, 0, 0, 0, 0]);
    expect(residuals(new Float64Array(n * n), n, values, vectors).orthonormal).toBe(0);
    expect(Array.from(symmetricEigenvalues(new Float64Array(n * n), n))).toEqual([0, 0, 0, 0, 0]);
  });

  it('empty matrix, and a clear error for bad input', () => {
    expect(symmetricEigenvalues(new Float64Array(0), 0).length).toBe(0);
    expect(symmetricEigen(new Float64Array(0), 0).vectors.length).toBe(0);
    expect(() => symmetricEigenvalues(new Float64Array(3), 2)).toThrow(/need 4 elements/);
    expect(() => symmetricEigenvalues(Float64Array.from([1, NaN, NaN, 1]), 2)).toThrow(/non-finite/);
  });

  it('n=512 eigenvalues are fast (timing printed)', () => {
    const n = 512;
    const a = randomSymmetric(n, 512);
    const start = performance.now();
    const values = symmetricEigenvalues(a, n);
    const elapsed = performance.now() - start;
    console.log(`symmetricEigenvalues n=512: ${elapsed.toFixed(0)} ms`);
    expect(values.length).toBe(n);
    // Trace is preserved: a cheap whole-spectrum check at this size.
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    expect(Math.abs(values.reduce((sum, value) => sum + value, 0) - trace)).toBeLessThan(1e-9 * n);
    expect(elapsed).toBeLessThan(3000); // generous: only catches an accidental O(n^4) or strided rewrite
  });
});

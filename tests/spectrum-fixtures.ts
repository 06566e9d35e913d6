// Weights with a chosen spectrum, stored the way tfjs stores them: the known answer for tests of
// the exact-spectrum path (CPU unit tests and the GPU read-back path).
import { Matrix, QrDecomposition } from 'ml-matrix';
import { layerMatrix } from '../src/core/metrics/exact-spectrum';
import { seededNormals } from './sr-reference';

/** A matrix with orthonormal columns (rows x columns, rows >= columns), from QR of a seeded Gaussian. */
function orthonormalColumns(rows: number, columns: number, seed: number): Matrix {
  return new QrDecomposition(Matrix.from1DArray(rows, columns, Array.from(seededNormals(rows * columns, seed))))
    .orthogonalMatrix;
}

/** Geometric spectrum from `top` down to top / 10^decades, descending. */
export function geometricSpectrum(count: number, top: number, decades: number): number[] {
  return Array.from({ length: count }, (_, i) => top * 10 ** (-decades * (count === 1 ? 0 : i / (count - 1))));
}

/** Storage data [K, c_out] = U diag(s) V^T as float32, U: K x n, V: c_out x n orthonormal columns. */
export function weightWithSpectrum(shape: readonly number[], spectrum: readonly number[], seed: number): Float32Array {
  const { storageRows, storageCols } = layerMatrix(shape);
  const n = spectrum.length;
  const u = orthonormalColumns(storageRows, n, seed);
  const v = orthonormalColumns(storageCols, n, seed + 1);
  return Float32Array.from(
    u
      .mmul(Matrix.diag([...spectrum]))
      .mmul(v.transpose())
      .to1DArray(),
  );
}

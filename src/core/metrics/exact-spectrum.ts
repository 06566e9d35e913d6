// Exact singular values of a D layer's weight on the CPU, in float64: the eigenvalues of the Gram
// matrix of the smaller side. Squaring the condition number is harmless here: the observatory plots
// s_i / s_1 on a log axis over a few decades, far above float64's ~1e-8 relative floor for sqrt(lambda).
import { dotTile2x4 } from './dot-tile';
import { symmetricEigenvalues } from './symmetric-eigen';
import { shapeSize } from '../numbers';

/**
 * A layer's matrix in both orientations. The paper's matrix W is c_out x (c_in*kh*kw) (dense: out x in):
 * `rows` x `cols`, as in LayerSpectrum. tfjs stores its transpose, W^T = [K, c_out] row-major with
 * K = kh*kw*c_in (dense [in, out]): `storageRows` x `storageCols`. Both have the same singular values.
 */
export interface LayerMatrix {
  /** c_out (dense: out): the paper's rows. */
  rows: number;
  /** c_in*kh*kw (dense: in): the paper's columns. */
  cols: number;
  /** kh*kw (1 for dense); fan_in = cols, fan_out = rows * kernelArea. */
  kernelArea: number;
  /** K = kh*kw*c_in (dense: in): rows of the row-major data tfjs holds. */
  storageRows: number;
  /** c_out (dense: out): columns of the row-major data tfjs holds. */
  storageCols: number;
}

/** The matrix view of a tfjs weight shape: conv [kh, kw, c_in, c_out] or dense [in, out]. */
export function layerMatrix(shape: readonly number[]): LayerMatrix {
  if (shape.length < 2) throw new Error(`layerMatrix: need a weight shape of rank >= 2, got [${shape.join(', ')}]`);
  const cOut = shape[shape.length - 1];
  const cIn = shape[shape.length - 2];
  const kernelArea = shapeSize(shape.slice(0, -2));
  const k = kernelArea * cIn;
  return { rows: cOut, cols: k, kernelArea, storageRows: k, storageCols: cOut };
}

/**
 * All min(rows, cols) singular values, descending, of the row-major rows x cols matrix `data`
 * (pass a tfjs weight as layerMatrix's storageRows x storageCols).
 */
export function singularValues(data: Float32Array | Float64Array, rows: number, cols: number): Float64Array {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new Error(`singularValues: bad shape ${rows} x ${cols}`);
  }
  if (data.length !== rows * cols)
    throw new Error(`singularValues: ${rows} x ${cols} needs ${rows * cols} elements, got ${data.length}`);
  const n = Math.min(rows, cols);
  if (n === 0) return new Float64Array(0);
  const gram = smallGram(data, rows, cols);
  const lambda = symmetricEigenvalues(gram, n);
  // Rounding can leave tiny negative eigenvalues for (near-)zero singular values.
  for (let i = 0; i < n; i++) lambda[i] = Math.sqrt(Math.max(0, lambda[i]));
  return lambda;
}

/**
 * The n x n Gram matrix of the smaller side, n = min(rows, cols): A^T A if rows >= cols, else A A^T.
 * Both become B B^T for B the n x m float64 matrix whose rows are A's columns (resp. rows), so each
 * entry is a dot product of two contiguous vectors. Entries are computed in 2 x 4 register blocks:
 * six loads feed eight multiply-adds, which about halves the time of plain dot products or of
 * rank-1 row updates on a 512 x 512 result.
 */
function smallGram(data: Float32Array | Float64Array, rows: number, cols: number): Float64Array {
  const n = Math.min(rows, cols);
  const m = Math.max(rows, cols);
  const b = new Float64Array(n * m);
  if (rows >= cols) {
    for (let t = 0; t < rows; t++) {
      const offset = t * cols;
      for (let j = 0; j < cols; j++) b[j * m + t] = data[offset + j];
    }
  } else {
    b.set(data);
  }

  const gram = new Float64Array(n * n);
  const tile = new Float64Array(8);
  const last = n - 1;
  // Upper triangle by 2 x 4 blocks (indices past the edge are clamped: duplicate work, same values).
  for (let i = 0; i < n; i += 2) {
    const i1 = Math.min(i + 1, last);
    const bi0 = i * m;
    const bi1 = i1 * m;
    for (let j = i; j < n; j += 4) {
      const j1 = Math.min(j + 1, last);
      const j2 = Math.min(j + 2, last);
      const j3 = Math.min(j + 3, last);
      const bj0 = j * m;
      const bj1 = j1 * m;
      const bj2 = j2 * m;
      const bj3 = j3 * m;
      dotTile2x4(b, bi0, bi1, b, bj0, bj1, bj2, bj3, m, tile);
      const g0 = i * n;
      const g1 = i1 * n;
      gram[g0 + j] = tile[0];
      gram[g0 + j1] = tile[1];
      gram[g0 + j2] = tile[2];
      gram[g0 + j3] = tile[3];
      gram[g1 + j] = tile[4];
      gram[g1 + j1] = tile[5];
      gram[g1 + j2] = tile[6];
      gram[g1 + j3] = tile[7];
    }
  }
  // Mirror: the diagonal blocks also wrote a few lower entries; the upper triangle is authoritative.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) gram[j * n + i] = gram[i * n + j];
  }
  return gram;
}

/**
 * Seeded Gaussian feature sets for the FID/KID tests, and independent float64 references built on
 * ml-matrix (never on the code under test).
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { seededNormals } from '../sr-reference';

/** A d x d mixing matrix A with N(0, 1/d) entries: features x = mean + A z have covariance A A^T (non-diagonal). */
export function mixingMatrix(d: number, seed: number): Float64Array {
  const a = seededNormals(d * d, seed);
  const scale = 1 / Math.sqrt(d);
  for (let i = 0; i < a.length; i++) a[i] *= scale;
  return a;
}

/** n rows of mean + A z, z ~ N(0, I), row-major [n, d] float32 (as features come off the GPU). */
export function gaussianFeatures(n: number, d: number, mixing: Float64Array, seed: number, mean = 0.5): Float32Array {
  const z = seededNormals(n * d, seed);
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let sum = mean;
      for (let k = 0; k < d; k++) sum += mixing[i * d + k] * z[r * d + k];
      out[r * d + i] = sum;
    }
  }
  return out;
}

/** The exact covariance A A^T of gaussianFeatures. */
export function mixingCovariance(mixing: Float64Array, d: number): Float64Array {
  const a = Matrix.from1DArray(d, d, Array.from(mixing));
  return Float64Array.from(a.mmul(a.transpose()).to1DArray());
}

/** Q diag(values) Q^T with a seeded orthogonal Q, exactly symmetric. */
export function covarianceWithEigenvalues(values: readonly number[], seed: number): Float64Array {
  const n = values.length;
  const q = new QrDecomposition(Matrix.from1DArray(n, n, Array.from(seededNormals(n * n, seed)))).orthogonalMatrix;
  const s = q.mmul(Matrix.diag([...values])).mmul(q.transpose());
  return Float64Array.from(
    { length: n * n },
    (_, k) => (s.get(Math.floor(k / n), k % n) + s.get(k % n, Math.floor(k / n))) / 2,
  );
}

/** tr((S1 S2)^(1/2)) as torch-fidelity does: sum of sqrt(real eigenvalues) of the non-symmetric S1 S2. */
export function referenceTraceSqrtByProductEigenvalues(
  s1: ArrayLike<number>,
  s2: ArrayLike<number>,
  d: number,
): number {
  const product = Matrix.from1DArray(d, d, Array.from(s1)).mmul(Matrix.from1DArray(d, d, Array.from(s2)));
  const eig = new EigenvalueDecomposition(product);
  return eig.realEigenvalues.reduce((sum, value) => sum + Math.sqrt(Math.max(0, value)), 0);
}

/**
 * tr((S1 S2)^(1/2)) by the Gram trick of metrics.md: with Xc = (X - mean) / sqrt(N - 1) per set, it is
 * the sum of the singular values of Xc1 Xc2^T (N1 x N2); no d x d matrix is formed.
 */
export function referenceTraceSqrtByGram(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n1: number,
  n2: number,
  d: number,
): number {
  const centred = (x: ArrayLike<number>, n: number): Matrix => {
    const m = Matrix.from1DArray(n, d, Array.from(x));
    const mean = m.mean('column');
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) m.set(r, c, (m.get(r, c) - mean[c]) / Math.sqrt(n - 1));
    return m;
  };
  const cross = centred(a, n1).mmul(centred(b, n2).transpose());
  return new SingularValueDecomposition(cross, { autoTranspose: true }).diagonal.reduce((sum, value) => sum + value, 0);
}

/** Mean and unbiased covariance by ml-matrix. */
export function referenceMoments(
  x: ArrayLike<number>,
  n: number,
  d: number,
): { mean: number[]; covariance: Float64Array } {
  const m = Matrix.from1DArray(n, d, Array.from(x));
  const mean = m.mean('column');
  const centred = m.clone();
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) centred.set(r, c, m.get(r, c) - mean[c]);
  const covariance = centred
    .transpose()
    .mmul(centred)
    .div(n - 1);
  return { mean, covariance: Float64Array.from(covariance.to1DArray()) };
}

/** The Fréchet distance from moments, with a given tr((S1 S2)^(1/2)). */
export function referenceFrechet(
  mean1: ArrayLike<number>,
  s1: ArrayLike<number>,
  mean2: ArrayLike<number>,
  s2: ArrayLike<number>,
  d: number,
  traceSqrt: number,
): number {
  let distance = -2 * traceSqrt;
  for (let i = 0; i < d; i++) distance += (mean1[i] - mean2[i]) ** 2 + s1[i * d + i] + s2[i * d + i];
  return distance;
}

/** Unbiased MMD^2 with the KID kernel, by definition (plain double loops, no tiling or caching). */
export function referenceMmd2(x: ArrayLike<number>, m: number, y: ArrayLike<number>, n: number, d: number): number {
  const k = (p: ArrayLike<number>, i: number, q: ArrayLike<number>, j: number): number => {
    let dot = 0;
    for (let c = 0; c < d; c++) dot += p[i * d + c] * q[j * d + c];
    return (dot / d + 1) ** 3;
  };
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) xx += k(x, i, x, j);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) yy += k(y, i, y, j);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) xy += k(x, i, y, j);
  return xx / (m * (m - 1)) + yy / (n * (n - 1)) - (2 * xy) / (m * n);
}

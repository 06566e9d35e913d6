/**
 * Independent SR reference for the unit and GPU tests: ml-matrix's float64 SVD of the layer matrix,
 * then the authors' formulas on the singular values, W' = U diag(s') V^T. Also seeded test weights.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { SeededRandom } from '../src/core/data/seeded-random';

/** Standard normal samples (Box-Muller over the project's seeded PRNG). */
export function seededNormals(count: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
    const angle = 2 * Math.PI * random.next();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** A = [K, c] for a tfjs weight shape. */
export function layerMatrixShape(shape: readonly number[]): [number, number] {
  const c = shape[shape.length - 1];
  return [shape.reduce((a, b) => a * b, 1) / c, c];
}

/**
 * Weight data (float32) for a tfjs shape whose layer matrix has the given rank (default full) and,
 * when `decay` is set, singular values spread geometrically from 1 down to `decay`.
 */
export function testWeight(
  shape: readonly number[],
  seed: number,
  options: { rank?: number; decay?: number } = {},
): Float32Array {
  const [k, c] = layerMatrixShape(shape);
  const n = Math.min(k, c);
  const rank = options.rank ?? n;
  const left = Matrix.from1DArray(k, rank, Array.from(seededNormals(k * rank, seed)));
  const right = Matrix.from1DArray(rank, c, Array.from(seededNormals(rank * c, seed + 1)));
  let a =
    rank === n && options.decay === undefined
      ? Matrix.from1DArray(k, c, Array.from(seededNormals(k * c, seed)))
      : left.mmul(right);
  if (options.decay !== undefined) {
    const svd = new SingularValueDecomposition(a, { autoTranspose: true });
    const values = svd.diagonal.map((_, i) => (i < rank ? options.decay! ** (i / Math.max(1, rank - 1)) : 0));
    a = svd.leftSingularVectors.mmul(Matrix.diag(values)).mmul(svd.rightSingularVectors.transpose());
  }
  return Float32Array.from(a.to1DArray(), (x) => x / Math.sqrt(k));
}

export interface ReferenceSvd {
  singular: number[];
  /** Rebuilds A' = Y diag(s') X^T from new singular values (same order as `singular`). */
  rebuild(newSingular: readonly number[]): Float64Array;
}

export function referenceSvd(data: ArrayLike<number>, shape: readonly number[]): ReferenceSvd {
  const [k, c] = layerMatrixShape(shape);
  const svd = new SingularValueDecomposition(Matrix.from1DArray(k, c, Array.from(data)), { autoTranspose: true });
  return {
    singular: svd.diagonal,
    rebuild: (values) =>
      Float64Array.from(
        svd.leftSingularVectors
          .mmul(Matrix.diag(Array.from(values)))
          .mmul(svd.rightSingularVectors.transpose())
          .to1DArray(),
      ),
  };
}

/** The zero rule of spectral-compensation.ts: s_i / s_1 at or below this is zero. */
export function referenceTolerance(shape: readonly number[]): number {
  const [k, c] = layerMatrixShape(shape);
  return Math.max(k, c) * 2 ** -23;
}

/** The authors' static SR: s / s_1, then the top k set to 1 (zero singular values stay zero). */
export function referenceStatic(data: ArrayLike<number>, shape: readonly number[], fraction: number): Float64Array {
  const svd = referenceSvd(data, shape);
  const s1 = svd.singular[0];
  const k = Math.floor(fraction * svd.singular.length);
  const tol = referenceTolerance(shape);
  return svd.rebuild(svd.singular.map((s, i) => (i < k && s > tol * s1 ? 1 : s / s1)));
}

/** The authors' dynamic SR with the history r (updated in place): s' = s_1 max(r, s / s_1). */
export function referenceDynamic(data: ArrayLike<number>, shape: readonly number[], ratios: number[]): Float64Array {
  const svd = referenceSvd(data, shape);
  const s1 = svd.singular[0];
  const tol = referenceTolerance(shape);
  svd.singular.forEach((s, i) => (ratios[i] = Math.max(ratios[i], s / s1)));
  return svd.rebuild(svd.singular.map((s, i) => (s > tol * s1 ? s1 * ratios[i] : s)));
}

/** |x - y|_F / |y|_F. */
export function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`length ${x.length} vs ${y.length}`);
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    difference += (x[i] - y[i]) ** 2;
    norm += y[i] ** 2;
  }
  return Math.sqrt(difference / norm);
}

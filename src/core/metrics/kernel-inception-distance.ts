// Kernel Inception Distance (Bińkowski et al. 2018) on any feature set: the unbiased MMD^2 estimate with
// the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3,
//
//   MMD^2_u = sum_{i != j} k(x_i, x_j) / (m(m-1)) + sum_{i != j} k(y_i, y_j) / (n(n-1)) - 2 sum_{i,j} k(x_i, y_j) /
//   (mn),
//
// averaged over random subsets as torch-fidelity, clean-fid and StyleGAN2-ADA do: 100 subsets of
// min(N, 1000) drawn without replacement within a subset (independently for the two sets and per
// subset), reported as mean and population standard deviation over the subsets (numpy's np.std, as
// torch-fidelity). Unbiased: about 0 for two independent samples of one distribution, and it can be
// negative. Everything is float64.
//
// A set compared with itself does not give 0: subsets of the two copies share rows, and a shared row
// adds its self-similarity k(x, x) to the cross term only. Averaged over subsets the estimate is
// -(2/N) (mean_i k(x_i, x_i) - mean_{i != j} k(x_i, x_j)), which is exactly polynomialMmd2(X, X):
// negative, O(1/N), the same in torch-fidelity (its default 'unbiased' estimator).
//
// Cost: each subset needs 2 m^2 dot products of length d (at d = 128, m = 1000 about 0.2 s here). When
// the kernel values of all pairs fit in `maxCachedKernelEntries` float64 entries (n1 n2 + n1(n1-1)/2 +
// n2(n2-1)/2; 64 MB by default, which holds 2000 + 2000 points) and computing them once is cheaper
// than the subsets, they are computed once and each subset only sums its entries (indices sorted, so
// the reads run forward through memory). Both routes give the same numbers up to rounding.
import { dotTile2x4 } from './dot-tile';
import { SeededRandom } from '../data/seeded-random';
import { checkFeatureMatrix, type FeatureMatrix } from './feature-statistics';

export interface KidOptions {
  /** Number of random subsets (default 100). */
  subsets?: number;
  /** Size of each subset, drawn from each set (default min(n1, n2, 1000)); needs 2 <= size <= min(n1, n2). */
  subsetSize?: number;
  /** Seed of the subset draws (default 2020, torch-fidelity's). The same seed gives the same result. */
  seed?: number;
  /** Most kernel values to cache, in float64 entries (default 2^23 = 64 MB; 0 disables the cache). */
  maxCachedKernelEntries?: number;
  /** Also return the rows of each subset (`subsetRows`), so a test can recompute each value on its own. */
  recordSubsets?: boolean;
}

export interface KidResult {
  /** Mean of the per-subset MMD^2 estimates: the KID. */
  mean: number;
  /** Population standard deviation of the per-subset estimates (0 for one subset). */
  std: number;
  subsets: number;
  subsetSize: number;
  /** The per-subset estimates, in draw order. */
  values: number[];
  /** With `recordSubsets`: the rows of a and of b each estimate used, in draw order. */
  subsetRows?: { a: Int32Array; b: Int32Array }[];
}

export const KID_DEFAULT_SUBSETS = 100;
export const KID_DEFAULT_SUBSET_SIZE = 1000;
export const KID_DEFAULT_SEED = 2020;
const DEFAULT_MAX_CACHED_KERNEL_ENTRIES = 1 << 23;

function paddedRows(rows: number): number {
  return Math.ceil(rows / 4) * 4;
}

/** Float64 copy of the chosen rows (all rows when `rows` is null), zero-padded to a multiple of 4 rows. */
function gatherRows(features: FeatureMatrix, d: number, rows: Int32Array | null, count: number): Float64Array {
  const out = new Float64Array(paddedRows(count) * d);
  if (rows === null) {
    for (let i = 0; i < count * d; i++) out[i] = features[i];
  } else {
    for (let i = 0; i < count; i++) {
      const source = rows[i] * d;
      const target = i * d;
      for (let k = 0; k < d; k++) out[target + k] = features[source + k];
    }
  }
  return out;
}

/**
 * Start of row i in a packed strict upper triangle of an n x n matrix: entry (i, j), i < j, is at rowStart + j - i -
 * 1.
 */
function packedRowStart(i: number, n: number): number {
  return i * (n - 1) - (i * (i - 1)) / 2;
}

/**
 * Sum of k(x_i, y_j) = (x_i.y_j / d + 1)^3 over all pairs, or over i < j when `symmetric` (then y is x).
 * x and y are float64 row-major with rows padded to a multiple of 4 (see gatherRows). With `out`, each
 * value is also stored: at i * rowsY + j, or when symmetric in the packed strict upper triangle
 * (packedRowStart). Dot products run in 2 x 4 register tiles: six loads feed eight multiply-adds.
 */
function kernelTiles(
  x: Float64Array,
  rowsX: number,
  y: Float64Array,
  rowsY: number,
  d: number,
  symmetric: boolean,
  out: Float64Array | null,
): number {
  const scale = 1 / d;
  const dots = new Float64Array(8);
  let total = 0;
  for (let i = 0; i < rowsX; i += 2) {
    const x0 = i * d;
    const x1 = x0 + d;
    let rowSum = 0;
    for (let j = symmetric ? i - (i % 4) : 0; j < rowsY; j += 4) {
      const y0 = j * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      dotTile2x4(x, x0, x1, y, y0, y1, y2, y3, d, dots);
      for (let a = 0; a < 2; a++) {
        const ii = i + a;
        if (ii >= rowsX) break;
        const outRow = symmetric ? packedRowStart(ii, rowsX) - ii - 1 : ii * rowsY;
        for (let b = 0; b < 4; b++) {
          const jj = j + b;
          if (jj >= rowsY) break;
          if (symmetric && jj <= ii) continue;
          const base = dots[a * 4 + b] * scale + 1;
          const value = base * base * base;
          rowSum += value;
          if (out !== null) out[outRow + jj] = value;
        }
      }
    }
    total += rowSum;
  }
  return total;
}

function unbiasedMmd2(sumXxUpper: number, sumYyUpper: number, sumXy: number, m: number, n: number): number {
  return (2 * sumXxUpper) / (m * (m - 1)) + (2 * sumYyUpper) / (n * (n - 1)) - (2 * sumXy) / (m * n);
}

/**
 * The unbiased MMD^2 with the KID kernel between the whole sets a [n1, d] and b [n2, d] (no subsets;
 * n1, n2 >= 2, inferred from the lengths). Cost n1 n2 + (n1^2 + n2^2)/2 dot products of length d.
 */
export function polynomialMmd2(a: FeatureMatrix, b: FeatureMatrix, d: number): number {
  const [n1, n2] = inferCounts('polynomialMmd2', a, b, d);
  if (n1 < 2 || n2 < 2)
    throw new Error(`polynomialMmd2: each set needs at least 2 feature vectors, got ${n1} and ${n2}`);
  const x = gatherRows(a, d, null, n1);
  const y = gatherRows(b, d, null, n2);
  return unbiasedMmd2(
    kernelTiles(x, n1, x, n1, d, true, null),
    kernelTiles(y, n2, y, n2, d, true, null),
    kernelTiles(x, n1, y, n2, d, false, null),
    n1,
    n2,
  );
}

function inferCounts(caller: string, a: FeatureMatrix, b: FeatureMatrix, d: number): [number, number] {
  if (!Number.isInteger(d) || d < 1) throw new Error(`${caller}: d must be a positive integer, got ${d}`);
  if (a.length % d !== 0)
    throw new Error(`${caller}: the first set has ${a.length} elements, not a multiple of d = ${d}`);
  if (b.length % d !== 0)
    throw new Error(`${caller}: the second set has ${b.length} elements, not a multiple of d = ${d}`);
  const n1 = a.length / d;
  const n2 = b.length / d;
  checkFeatureMatrix(caller, a, n1, d);
  checkFeatureMatrix(caller, b, n2, d);
  for (const [name, set] of [
    ['first', a],
    ['second', b],
  ] as const) {
    for (let i = 0; i < set.length; i++) {
      if (!Number.isFinite(set[i]))
        throw new Error(
          `${caller}: non-finite feature ${set[i]} in the ${name} set at row ${Math.floor(i / d)}, column ${i % d}`,
        );
    }
  }
  return [n1, n2];
}

/** Draws `size` distinct indices into the first `size` slots of `permutation` (partial Fisher-Yates). */
function drawSubset(permutation: Int32Array, size: number, random: SeededRandom): void {
  const n = permutation.length;
  for (let t = 0; t < size; t++) {
    const j = t + random.nextInt(n - t);
    const swap = permutation[t];
    permutation[t] = permutation[j];
    permutation[j] = swap;
  }
}

/** Sum of the packed strict upper triangle (n x n) over the pairs of the ascending indices `p`. */
function packedSubsetSum(kernel: Float64Array, n: number, p: Int32Array): number {
  const size = p.length;
  let total = 0;
  for (let a = 0; a < size - 1; a++) {
    const base = packedRowStart(p[a], n) - p[a] - 1;
    let rowSum = 0;
    for (let b = a + 1; b < size; b++) rowSum += kernel[base + p[b]];
    total += rowSum;
  }
  return total;
}

/** Sum of kernel[p[a] * stride + q[b]] over all a, b. */
function crossSubsetSum(kernel: Float64Array, stride: number, p: Int32Array, q: Int32Array): number {
  let total = 0;
  for (let a = 0; a < p.length; a++) {
    const row = p[a] * stride;
    let rowSum = 0;
    for (let b = 0; b < q.length; b++) rowSum += kernel[row + q[b]];
    total += rowSum;
  }
  return total;
}

/**
 * KID between feature sets a [n1, d] and b [n2, d] (row-major; n1, n2 inferred from the lengths):
 * mean and std of the unbiased MMD^2 over `subsets` random subsets of `subsetSize` rows of each set.
 */
export function kidOfFeatures(a: FeatureMatrix, b: FeatureMatrix, d: number, options: KidOptions = {}): KidResult {
  const caller = 'kidOfFeatures';
  const [n1, n2] = inferCounts(caller, a, b, d);
  const subsets = options.subsets ?? KID_DEFAULT_SUBSETS;
  const size = options.subsetSize ?? Math.min(n1, n2, KID_DEFAULT_SUBSET_SIZE);
  const seed = options.seed ?? KID_DEFAULT_SEED;
  const maxCached = options.maxCachedKernelEntries ?? DEFAULT_MAX_CACHED_KERNEL_ENTRIES;
  if (!Number.isInteger(subsets) || subsets < 1)
    throw new Error(`${caller}: subsets must be a positive integer, got ${subsets}`);
  if (!Number.isInteger(size) || size < 2)
    throw new Error(`${caller}: the subset size must be an integer >= 2, got ${size} (sets of ${n1} and ${n2})`);
  if (size > Math.min(n1, n2))
    throw new Error(`${caller}: subset size ${size} exceeds the smaller set (${Math.min(n1, n2)} feature vectors)`);

  if (size === n1 && size === n2) {
    // Every subset is the whole of both sets: one estimate, repeated (std 0).
    const value = polynomialMmd2(a, b, d);
    const all = { a: Int32Array.from({ length: n1 }, (_, i) => i), b: Int32Array.from({ length: n2 }, (_, i) => i) };
    const recorded = options.recordSubsets ? { subsetRows: Array.from({ length: subsets }, () => all) } : {};
    return {
      mean: value,
      std: 0,
      subsets,
      subsetSize: size,
      values: new Array<number>(subsets).fill(value),
      ...recorded,
    };
  }

  const random = new SeededRandom(seed);
  const permX = Int32Array.from({ length: n1 }, (_, i) => i);
  const permY = Int32Array.from({ length: n2 }, (_, i) => i);
  const values: number[] = [];
  const subsetRows: { a: Int32Array; b: Int32Array }[] = [];
  const record = (rowsA: Int32Array, rowsB: Int32Array) => {
    if (options.recordSubsets) subsetRows.push({ a: rowsA.slice(0, size), b: rowsB.slice(0, size) });
  };

  const cacheEntries = n1 * n2 + (n1 * (n1 - 1)) / 2 + (n2 * (n2 - 1)) / 2;
  const subsetDots = subsets * 2 * size * size;
  if (cacheEntries <= maxCached && cacheEntries < subsetDots) {
    const x = gatherRows(a, d, null, n1);
    const y = gatherRows(b, d, null, n2);
    const kxx = new Float64Array((n1 * (n1 - 1)) / 2);
    const kyy = new Float64Array((n2 * (n2 - 1)) / 2);
    const kxy = new Float64Array(n1 * n2);
    kernelTiles(x, n1, x, n1, d, true, kxx);
    kernelTiles(y, n2, y, n2, d, true, kyy);
    kernelTiles(x, n1, y, n2, d, false, kxy);
    for (let s = 0; s < subsets; s++) {
      drawSubset(permX, size, random);
      drawSubset(permY, size, random);
      const subsetX = permX.slice(0, size).sort();
      const subsetY = permY.slice(0, size).sort();
      record(subsetX, subsetY);
      values.push(
        unbiasedMmd2(
          packedSubsetSum(kxx, n1, subsetX),
          packedSubsetSum(kyy, n2, subsetY),
          crossSubsetSum(kxy, n2, subsetX, subsetY),
          size,
          size,
        ),
      );
    }
  } else {
    for (let s = 0; s < subsets; s++) {
      drawSubset(permX, size, random);
      drawSubset(permY, size, random);
      record(permX, permY);
      const x = gatherRows(a, d, permX, size);
      const y = gatherRows(b, d, permY, size);
      values.push(
        unbiasedMmd2(
          kernelTiles(x, size, x, size, d, true, null),
          kernelTiles(y, size, y, size, d, true, null),
          kernelTiles(x, size, y, size, d, false, null),
          size,
          size,
        ),
      );
    }
  }

  let mean = 0;
  for (const value of values) mean += value;
  mean /= subsets;
  let variance = 0;
  for (const value of values) variance += (value - mean) * (value - mean);
  return {
    mean,
    std: Math.sqrt(variance / subsets),
    subsets,
    subsetSize: size,
    values,
    ...(options.recordSubsets ? { subsetRows } : {}),
  };
}

// Mean and unbiased covariance of a set of feature vectors, in float64: the Gaussian that FID compares.
// Features usually come from the GPU in float32; every sum here is float64 regardless.

/** N feature vectors of dimension d, row-major [N, d]. */
export type FeatureMatrix = Float32Array | Float64Array;

export interface FeatureStatistics {
  /** N, the number of feature vectors. */
  count: number;
  /** d, the feature dimension. */
  dimension: number;
  /** Mean vector (d). */
  mean: Float64Array;
  /** Unbiased covariance (divided by N - 1), d x d row-major, exactly symmetric. */
  covariance: Float64Array;
}

/** Throws a descriptive error unless `features` holds exactly count x dimension entries. */
export function checkFeatureMatrix(caller: string, features: FeatureMatrix, count: number, dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1)
    throw new Error(`${caller}: dimension must be a positive integer, got ${dimension}`);
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`${caller}: count must be a non-negative integer, got ${count}`);
  if (features.length !== count * dimension) {
    throw new Error(
      `${caller}: ${count} x ${dimension} features need ${count * dimension} elements, got ${features.length}`,
    );
  }
}

function firstNonFinite(features: FeatureMatrix): number {
  for (let i = 0; i < features.length; i++) if (!Number.isFinite(features[i])) return i;
  return -1;
}

/**
 * Mean and unbiased covariance of `count` feature vectors of dimension `dimension` (row-major
 * [count, dimension]). Two passes (mean first, then centred products), so a large common offset
 * does not cancel digits. Needs count >= 2; a NaN or infinite feature is an error naming its place.
 */
export function featureStatistics(features: FeatureMatrix, count: number, dimension: number): FeatureStatistics {
  checkFeatureMatrix('featureStatistics', features, count, dimension);
  if (count < 2)
    throw new Error(`featureStatistics: the unbiased covariance needs at least 2 feature vectors, got ${count}`);
  const d = dimension;

  const mean = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) mean[j] += features[row + j];
  }
  for (let j = 0; j < d; j++) {
    if (!Number.isFinite(mean[j])) {
      const at = firstNonFinite(features);
      if (at >= 0)
        throw new Error(
          `featureStatistics: non-finite feature ${features[at]} at row ${Math.floor(at / d)}, column ${at % d}`,
        );
      throw new Error('featureStatistics: the feature sums overflow float64');
    }
    mean[j] /= count;
  }

  // Upper triangle of sum_i c_i c_i^T (c_i the centred rows), four rows per sweep over the triangle:
  // one load and store of each accumulator per four products.
  const covariance = new Float64Array(d * d);
  const c0 = new Float64Array(d);
  const c1 = new Float64Array(d);
  const c2 = new Float64Array(d);
  const c3 = new Float64Array(d);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const r0 = i * d;
    const r1 = r0 + d;
    const r2 = r1 + d;
    const r3 = r2 + d;
    for (let j = 0; j < d; j++) {
      const m = mean[j];
      c0[j] = features[r0 + j] - m;
      c1[j] = features[r1 + j] - m;
      c2[j] = features[r2 + j] - m;
      c3[j] = features[r3 + j] - m;
    }
    for (let j = 0; j < d; j++) {
      const a0 = c0[j];
      const a1 = c1[j];
      const a2 = c2[j];
      const a3 = c3[j];
      const row = j * d;
      for (let k = j; k < d; k++) covariance[row + k] += a0 * c0[k] + a1 * c1[k] + a2 * c2[k] + a3 * c3[k];
    }
  }
  for (; i < count; i++) {
    const r0 = i * d;
    for (let j = 0; j < d; j++) c0[j] = features[r0 + j] - mean[j];
    for (let j = 0; j < d; j++) {
      const a0 = c0[j];
      const row = j * d;
      for (let k = j; k < d; k++) covariance[row + k] += a0 * c0[k];
    }
  }
  const scale = 1 / (count - 1);
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const value = covariance[j * d + k] * scale;
      covariance[j * d + k] = value;
      covariance[k * d + j] = value;
    }
  }
  return { count, dimension: d, mean, covariance };
}

/**
 * Feature statistics and the float64 Fréchet distance against references computed other ways with
 * ml-matrix: eigenvalues of the non-symmetric S1 S2 (torch-fidelity's route) and the Gram trick
 * (singular values of Xc1 Xc2^T, tests/fixtures/feature-fixtures.ts); closed forms; clear errors.
 */
import { describe, expect, it } from 'vitest';
import { featureStatistics } from '../../../../src/core/metrics/feature-statistics';
import {
  frechetDistance,
  frechetDistanceOfFeatures,
  frechetDistanceParts,
  traceSqrtProduct,
} from '../../../../src/core/metrics/frechet-distance';
import { seededNormals } from '../../../fixtures/sr-reference';
import {
  covarianceWithEigenvalues,
  gaussianFeatures,
  mixingMatrix,
  referenceFrechet,
  referenceMoments,
  referenceTraceSqrtByGram,
  referenceTraceSqrtByProductEigenvalues,
} from '../../../fixtures/feature-fixtures';

function maxRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
  }
  return error / scale;
}

function trace(s: ArrayLike<number>, d: number): number {
  let t = 0;
  for (let i = 0; i < d; i++) t += s[i * d + i];
  return t;
}

describe('featureStatistics', () => {
  it('matches ml-matrix mean and unbiased covariance (float32 input, a count that is not a multiple of 4)', () => {
    const d = 17;
    const n = 303;
    const x = gaussianFeatures(n, d, mixingMatrix(d, 1), 2);
    const ours = featureStatistics(x, n, d);
    const reference = referenceMoments(x, n, d);
    expect(ours.count).toBe(n);
    expect(ours.dimension).toBe(d);
    expect(maxRelative(ours.mean, reference.mean)).toBeLessThan(1e-12);
    expect(maxRelative(ours.covariance, reference.covariance)).toBeLessThan(1e-12);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) expect(ours.covariance[i * d + j]).toBe(ours.covariance[j * d + i]);
  });

  it('keeps its digits under a large common offset (two-pass)', () => {
    const d = 6;
    const n = 50;
    const z = seededNormals(n * d, 3);
    const shifted = Float64Array.from(z, (v) => v + 1e8);
    const a = featureStatistics(z, n, d).covariance;
    const b = featureStatistics(shifted, n, d).covariance;
    expect(maxRelative(b, a)).toBeLessThan(1e-7);
  });

  it('rejects bad shapes, too few rows and non-finite features with clear messages', () => {
    expect(() => featureStatistics(new Float32Array(10), 3, 4)).toThrow(/3 x 4 features need 12 elements, got 10/);
    expect(() => featureStatistics(new Float32Array(4), 1, 4)).toThrow(/at least 2 feature vectors/);
    expect(() => featureStatistics(new Float32Array(4), 2, 0)).toThrow(/dimension must be a positive integer/);
    const bad = new Float32Array(12);
    bad[7] = NaN;
    expect(() => featureStatistics(bad, 3, 4)).toThrow(/non-finite feature NaN at row 1, column 3/);
  });
});

describe('frechetDistance against float64 references', () => {
  const cases: { name: string; d: number; s1: Float64Array; s2: Float64Array }[] = [];
  for (const d of [5, 20, 64]) {
    // Sample covariances (Wishart, non-diagonal) of two different mixings, N = 3d.
    const n = 3 * d;
    const a = gaussianFeatures(n, d, mixingMatrix(d, 10 + d), 20 + d);
    const b = gaussianFeatures(n, d, mixingMatrix(d, 30 + d), 40 + d, 0);
    cases.push({
      name: `d=${d} sample covariances`,
      d,
      s1: featureStatistics(a, n, d).covariance,
      s2: featureStatistics(b, n, d).covariance,
    });
    // Ill-conditioned: eigenvalues spread geometrically over 8 and 12 decades.
    const spread = (decades: number, scale: number): number[] =>
      Array.from({ length: d }, (_, i) => scale * 10 ** ((-decades * i) / (d - 1)));
    cases.push({
      name: `d=${d} condition 1e8`,
      d,
      s1: covarianceWithEigenvalues(spread(8, 3), 50 + d),
      s2: covarianceWithEigenvalues(spread(8, 1), 60 + d),
    });
    cases.push({
      name: `d=${d} condition 1e12`,
      d,
      s1: covarianceWithEigenvalues(spread(12, 1), 70 + d),
      s2: covarianceWithEigenvalues(spread(12, 2), 80 + d),
    });
  }

  it.each(cases)('$name: tr sqrt(S1 S2) and the distance match eig(S1 S2) to 1e-6 relative', ({ d, s1, s2 }) => {
    const mean1 = seededNormals(d, 1);
    const mean2 = seededNormals(d, 2);
    const reference = referenceTraceSqrtByProductEigenvalues(s1, s2, d);
    const ours = traceSqrtProduct(s1, s2, d);
    const distance = frechetDistance({ mean: mean1, covariance: s1 }, { mean: mean2, covariance: s2 });
    const expected = referenceFrechet(mean1, s1, mean2, s2, d, reference);
    const traceError = Math.abs(ours - reference) / reference;
    const distanceError = Math.abs(distance - expected) / expected;
    console.log(
      `${d}: tr sqrt relative error ${traceError.toExponential(2)}, distance ${distance.toFixed(6)} ` +
        `relative error ${distanceError.toExponential(2)}`,
    );
    expect(traceError).toBeLessThan(1e-6);
    expect(distanceError).toBeLessThan(1e-6);
  });

  it.each([
    { d: 5, n1: 40, n2: 60 },
    { d: 20, n1: 100, n2: 80 },
    { d: 64, n1: 300, n2: 250 },
    { d: 64, n1: 30, n2: 45 }, // N < d: rank-deficient covariances (clamped eigenvalues)
  ])('d=$d, N=$n1/$n2: FID of features matches the Gram-trick reference to 1e-6 relative', ({ d, n1, n2 }) => {
    const a = gaussianFeatures(n1, d, mixingMatrix(d, 5), 6);
    const b = gaussianFeatures(n2, d, mixingMatrix(d, 7), 8, 0.2);
    const ra = referenceMoments(a, n1, d);
    const rb = referenceMoments(b, n2, d);
    const expected = referenceFrechet(
      ra.mean,
      ra.covariance,
      rb.mean,
      rb.covariance,
      d,
      referenceTraceSqrtByGram(a, b, n1, n2, d),
    );
    const ours = frechetDistanceOfFeatures(a, b, n1, n2, d);
    const error = Math.abs(ours - expected) / expected;
    console.log(`Gram trick d=${d} N=${n1}/${n2}: FID ${ours.toFixed(6)}, relative error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-6);
  });

  it('closed forms: equal covariances leave |mu1 - mu2|^2; commuting covariances give sum (sqrt a - sqrt b)^2', () => {
    const d = 12;
    const s = covarianceWithEigenvalues(
      Array.from({ length: d }, (_, i) => 0.1 + i),
      3,
    );
    const mean1 = seededNormals(d, 4);
    const mean2 = seededNormals(d, 5);
    let meanTerm = 0;
    for (let i = 0; i < d; i++) meanTerm += (mean1[i] - mean2[i]) ** 2;
    expect(frechetDistance({ mean: mean1, covariance: s }, { mean: mean2, covariance: s })).toBeCloseTo(meanTerm, 9);

    const a = Array.from({ length: d }, (_, i) => 0.5 + i);
    const b = Array.from({ length: d }, (_, i) => 3 / (1 + i));
    const diagonal = (values: number[]): Float64Array => {
      const m = new Float64Array(d * d);
      values.forEach((v, i) => (m[i * d + i] = v));
      return m;
    };
    const zero = new Float64Array(d);
    const expected = a.reduce((sum, ai, i) => sum + (Math.sqrt(ai) - Math.sqrt(b[i])) ** 2, 0);
    expect(
      frechetDistance({ mean: zero, covariance: diagonal(a) }, { mean: zero, covariance: diagonal(b) }),
    ).toBeCloseTo(expected, 10);
  });

  it('identical Gaussians give 0 within 1e-12 of the trace, also when ill-conditioned or singular', () => {
    for (const values of [
      Array.from({ length: 64 }, (_, i) => 10 ** (-12 * (i / 63))),
      Array.from({ length: 64 }, (_, i) => 10 ** (-16 * (i / 63))),
      Array.from({ length: 64 }, (_, i) => (i < 20 ? 1 + i : 0)),
    ]) {
      const s = covarianceWithEigenvalues(values, 9);
      const mean = seededNormals(64, 10);
      const parts = frechetDistanceParts({ mean, covariance: s }, { mean, covariance: s });
      expect(parts.distance).toBeGreaterThanOrEqual(0);
      expect(Math.abs(parts.trace1 + parts.trace2 - 2 * parts.traceSqrtProduct)).toBeLessThan(1e-12 * trace(s, 64));
    }
  });

  it('rejects mismatched dimensions and non-finite input with clear messages', () => {
    const g3 = { mean: new Float64Array(3), covariance: new Float64Array(9) };
    const g4 = { mean: new Float64Array(4), covariance: new Float64Array(16) };
    expect(() => frechetDistance(g3, g4)).toThrow(
      /dimension mismatch, the first Gaussian has dimension 3 and the second 4/,
    );
    expect(() => frechetDistance(g3, { mean: new Float64Array(3), covariance: new Float64Array(16) })).toThrow(
      /must be 3 x 3 \(9 elements\).*got 16/,
    );
    const nan = Float64Array.from({ length: 9 }, (_, i) => (i === 4 ? NaN : 0));
    expect(() => frechetDistance(g3, { mean: new Float64Array(3), covariance: nan })).toThrow(
      /non-finite element in the second covariance at \(1, 1\)/,
    );
    expect(() => frechetDistanceOfFeatures(new Float32Array(12), new Float32Array(15), 3, 3, 4)).toThrow(
      /second set.*3 x 4 features need 12 elements, got 15/,
    );
    expect(() => traceSqrtProduct(new Float64Array(4), new Float64Array(9), 2)).toThrow(/S2 must be 2 x 2/);
  });
});

/**
 * FID and KID on seeded Gaussian features (d = 64, N = 2000, a random non-diagonal covariance): what a
 * metric must do for the playground to be trusted. Identical sets, two samples of one distribution,
 * growing noise, and a generator that outputs one image. Also times both at d = 128.
 */
import { describe, expect, it } from 'vitest';
import { featureStatistics } from '../../../../src/core/metrics/feature-statistics';
import {
  frechetDistance,
  frechetDistanceOfFeatures,
  frechetDistanceParts,
} from '../../../../src/core/metrics/frechet-distance';
import { kidOfFeatures, polynomialMmd2 } from '../../../../src/core/metrics/kernel-inception-distance';
import { seededNormals } from '../../../fixtures/sr-reference';
import { gaussianFeatures, mixingMatrix } from '../../../fixtures/feature-fixtures';

const D = 64;
const N = 2000;
const MIXING = mixingMatrix(D, 11);
const REAL = gaussianFeatures(N, D, MIXING, 101);
const OTHER = gaussianFeatures(N, D, MIXING, 202);
const NOISE_LEVELS = [0.25, 0.5, 1, 2, 4];

function withNoise(features: Float32Array, level: number, seed: number): Float32Array {
  const noise = seededNormals(features.length, seed);
  return Float32Array.from(features, (value, i) => value + level * noise[i]);
}

function oneImage(features: Float32Array, row: number, count: number, d: number): Float32Array {
  const out = new Float32Array(count * d);
  for (let i = 0; i < count; i++) out.set(features.subarray(row * d, (row + 1) * d), i * d);
  return out;
}

const KID_OPTIONS = { subsets: 100, subsetSize: 1000, seed: 7 } as const;

describe('FID and KID behaviour on Gaussian features (d = 64, N = 2000)', () => {
  const realStats = featureStatistics(REAL, N, D);
  const trace = realStats.covariance.reduce(
    (sum, _, k) => (k % (D + 1) === 0 ? sum + realStats.covariance[k] : sum),
    0,
  );
  const sameDistributionFid = frechetDistanceOfFeatures(REAL, OTHER, N, N, D);
  const sameDistributionKid = kidOfFeatures(REAL, OTHER, D, KID_OPTIONS);

  it('identical sample sets: FID 0 to 1e-9 of the trace; KID is the known small negative self term', () => {
    const parts = frechetDistanceParts(realStats, realStats);
    console.log(
      `identical sets: FID ${parts.distance.toExponential(3)} (tr S = ${trace.toFixed(3)}, raw sum ` +
        `${(parts.meanDistanceSquared + parts.trace1 + parts.trace2 - 2 * parts.traceSqrtProduct).toExponential(3)})`,
    );
    expect(parts.distance).toBeLessThanOrEqual(1e-9 * trace);
    expect(Math.abs(parts.trace1 + parts.trace2 - 2 * parts.traceSqrtProduct)).toBeLessThanOrEqual(1e-9 * trace);
    expect(frechetDistanceOfFeatures(REAL, REAL, N, N, D)).toBeLessThanOrEqual(1e-9 * trace);

    // KID of a set against itself is not 0 (see kernel-inception-distance.ts): subsets of the two copies
    // share rows, and a shared row adds its self-similarity k(x, x) to the cross term only. Its
    // expectation over subsets is the whole-set estimate -(2/N)(mean k(x_i, x_i) - mean k(x_i, x_j)).
    const self = kidOfFeatures(REAL, REAL, D, KID_OPTIONS);
    const expected = polynomialMmd2(REAL, REAL, D);
    console.log(
      `identical sets: KID ${self.mean.toExponential(3)} ± ${self.std.toExponential(3)} (expected ` +
        `self term ${expected.toExponential(3)}); ` +
        `same distribution ${sameDistributionKid.mean.toExponential(3)} ± ${sameDistributionKid.std.toExponential(3)}`,
    );
    expect(expected).toBeLessThan(0);
    expect(Math.abs(self.mean - expected)).toBeLessThan((4 * self.std) / Math.sqrt(KID_OPTIONS.subsets));
    // With the whole set as the subset, every subset gives exactly that value.
    const small = REAL.subarray(0, 200 * D);
    const whole = kidOfFeatures(small, small, D, { subsets: 3, subsetSize: 200 });
    expect(whole.mean).toBeCloseTo(polynomialMmd2(small, small, D), 12);
    expect(whole.std).toBeLessThan(1e-12);
  });

  it('two samples of the same distribution: FID small against the trace, KID within 3 std of 0', () => {
    console.log(
      `same distribution: FID ${sameDistributionFid.toFixed(4)} (tr S1 + tr S2 = ` +
        `${(2 * trace).toFixed(2)}, ratio ${(sameDistributionFid / (2 * trace)).toExponential(2)}); ` +
        `KID ${sameDistributionKid.mean.toExponential(3)} ± ${sameDistributionKid.std.toExponential(3)}`,
    );
    expect(sameDistributionFid).toBeGreaterThan(0);
    expect(sameDistributionFid).toBeLessThan(0.02 * 2 * trace);
    expect(Math.abs(sameDistributionKid.mean)).toBeLessThan(3 * sameDistributionKid.std);
  });

  it('noise of growing strength raises FID and KID monotonically', () => {
    const fids = [sameDistributionFid];
    const kids = [sameDistributionKid.mean];
    for (const level of NOISE_LEVELS) {
      // The same noise draw scaled up (common random numbers), so the series is a clean function of the level.
      const noisy = withNoise(OTHER, level, 303);
      fids.push(frechetDistanceOfFeatures(REAL, noisy, N, N, D));
      kids.push(kidOfFeatures(REAL, noisy, D, KID_OPTIONS).mean);
    }
    console.log(`noise levels [0, ${NOISE_LEVELS.join(', ')}]: FID [${fids.map((v) => v.toFixed(3)).join(', ')}]`);
    console.log(
      `noise levels [0, ${NOISE_LEVELS.join(', ')}]: KID [${kids.map((v) => v.toExponential(3)).join(', ')}]`,
    );
    for (let i = 1; i < fids.length; i++) {
      expect(fids[i]).toBeGreaterThan(fids[i - 1]);
      expect(kids[i]).toBeGreaterThan(kids[i - 1]);
    }
  });

  it('a generator that outputs one image gets a far worse FID and KID', () => {
    const collapsed = oneImage(OTHER, 0, N, D);
    const collapsedStats = featureStatistics(collapsed, N, D);
    expect(collapsedStats.covariance.every((value) => value === 0)).toBe(true);
    const fid = frechetDistance(realStats, collapsedStats);
    const kid = kidOfFeatures(REAL, collapsed, D, KID_OPTIONS);
    console.log(
      `one image: FID ${fid.toFixed(3)} (${(fid / sameDistributionFid).toFixed(1)}x the ` +
        `same-distribution value); KID ${kid.mean.toExponential(3)} ± ${kid.std.toExponential(3)}`,
    );
    expect(fid).toBeGreaterThan(10 * sameDistributionFid);
    // With S2 = 0 the distance is |mu1 - mu2|^2 + tr S1 exactly.
    let meanTerm = 0;
    for (let i = 0; i < D; i++) meanTerm += (realStats.mean[i] - collapsedStats.mean[i]) ** 2;
    expect(fid).toBeCloseTo(meanTerm + trace, 9);
    expect(kid.mean).toBeGreaterThan(10 * Math.abs(sameDistributionKid.mean) + 10 * sameDistributionKid.std);
  });
});

describe('FID and KID cost at d = 128', () => {
  it('times covariance + FID for N = 1000 each, and KID with 100 subsets of 1000', () => {
    const d = 128;
    const mixing = mixingMatrix(d, 12);
    const a = gaussianFeatures(2000, d, mixing, 401);
    const b = gaussianFeatures(2000, d, mixing, 402);
    const a1000 = a.subarray(0, 1000 * d);
    const b1000 = b.subarray(0, 1000 * d);

    let start = performance.now();
    const statsA = featureStatistics(a1000, 1000, d);
    const statsB = featureStatistics(b1000, 1000, d);
    const covarianceMs = performance.now() - start;
    start = performance.now();
    const fid = frechetDistance(statsA, statsB);
    const fidMs = performance.now() - start;
    console.log(
      `d=128, N=1000 each: two covariances ${covarianceMs.toFixed(1)} ms, Fréchet distance ` +
        `${fidMs.toFixed(1)} ms (FID ${fid.toFixed(3)})`,
    );

    start = performance.now();
    const kid1000 = kidOfFeatures(a1000, b1000, d, { subsets: 100, subsetSize: 1000 });
    const kid1000Ms = performance.now() - start;
    start = performance.now();
    const kid2000 = kidOfFeatures(a, b, d, { subsets: 100, subsetSize: 1000 });
    const kid2000Ms = performance.now() - start;
    // Without the kernel cache (sets too large for it) each subset costs 2 m^2 dot products: time a few.
    const directSubsets = 5;
    start = performance.now();
    const direct = kidOfFeatures(a, b, d, { subsets: directSubsets, subsetSize: 1000, maxCachedKernelEntries: 0 });
    const directMs = performance.now() - start;
    const cachedFew = kidOfFeatures(a, b, d, { subsets: directSubsets, subsetSize: 1000 });
    console.log(
      `d=128 KID, 100 subsets of 1000 (kernel cached): N=1000 each ${kid1000Ms.toFixed(0)} ms ` +
        `(${kid1000.mean.toExponential(3)} ± ${kid1000.std.toExponential(1)}), ` +
        `N=2000 each ${kid2000Ms.toFixed(0)} ms (${kid2000.mean.toExponential(3)} ± ` +
        `${kid2000.std.toExponential(3)}); ` +
        `uncached ${(directMs / directSubsets).toFixed(0)} ms per subset, so about ` +
        `${((100 * directMs) / directSubsets / 1000).toFixed(1)} s for 100`,
    );
    for (let s = 0; s < directSubsets; s++) expect(direct.values[s]).toBeCloseTo(cachedFew.values[s], 12);
    expect(Number.isFinite(fid)).toBe(true);
  });
});

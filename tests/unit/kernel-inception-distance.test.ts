/**
 * KID: the tiled unbiased MMD^2 against a plain double-loop definition, the kernel-cache route against
 * the per-subset route, subsets without replacement, seeding, and errors.
 */
import { describe, expect, it } from 'vitest';
import { kidOfFeatures, polynomialMmd2 } from '../../src/core/metrics/kernel-inception-distance';
import { gaussianFeatures, mixingMatrix, referenceMmd2 } from './feature-fixtures';

describe('polynomialMmd2', () => {
  it.each([
    { m: 13, n: 7, d: 5 },
    { m: 2, n: 3, d: 1 },
    { m: 41, n: 38, d: 33 },
  ])('matches the definition for m=$m, n=$n, d=$d (row counts off the 2 x 4 tiles)', ({ m, n, d }) => {
    const x = gaussianFeatures(m, d, mixingMatrix(d, 1), 2);
    const y = gaussianFeatures(n, d, mixingMatrix(d, 3), 4, 0.3);
    const expected = referenceMmd2(x, m, y, n, d);
    expect(Math.abs(polynomialMmd2(x, y, d) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
    expect(polynomialMmd2(Float64Array.from(x), Float64Array.from(y), d)).toBeCloseTo(polynomialMmd2(x, y, d), 14);
  });
});

describe('kidOfFeatures', () => {
  const d = 16;
  const mixing = mixingMatrix(d, 5);
  const a = gaussianFeatures(300, d, mixing, 6);
  const b = gaussianFeatures(250, d, mixing, 7, 0.8);

  it('with whole-set subsets equals the single estimate, std 0 (subsets are drawn without replacement)', () => {
    const small = a.subarray(0, 60 * d);
    const other = b.subarray(0, 60 * d);
    const result = kidOfFeatures(small, other, d, { subsets: 5 });
    expect(result.subsetSize).toBe(60);
    expect(result.std).toBe(0);
    expect(result.mean).toBeCloseTo(referenceMmd2(small, 60, other, 60, d), 12);
  });

  it('a subset equal to one whole set (the other larger) still matches the definition on every subset', () => {
    // Set x has exactly subsetSize rows: without replacement, every x subset is all of x.
    const x = a.subarray(0, 40 * d);
    const result = kidOfFeatures(x, b, d, { subsets: 3, subsetSize: 40, seed: 1, maxCachedKernelEntries: 0 });
    for (const value of result.values) expect(Number.isFinite(value)).toBe(true);
    const cached = kidOfFeatures(x, b, d, { subsets: 3, subsetSize: 40, seed: 1 });
    cached.values.forEach((value, i) => expect(value).toBeCloseTo(result.values[i], 13));
  });

  it('the kernel-cache route and the per-subset route give the same values', () => {
    const cached = kidOfFeatures(a, b, d, { subsets: 20, subsetSize: 100, seed: 3 });
    const direct = kidOfFeatures(a, b, d, { subsets: 20, subsetSize: 100, seed: 3, maxCachedKernelEntries: 0 });
    expect(cached.values).toHaveLength(20);
    cached.values.forEach((value, i) => expect(value).toBeCloseTo(direct.values[i], 13));
    expect(cached.mean).toBeCloseTo(direct.mean, 13);
    expect(cached.std).toBeCloseTo(direct.std, 13);
    // mean and population std of the values
    const mean = direct.values.reduce((s, v) => s + v, 0) / 20;
    expect(direct.mean).toBeCloseTo(mean, 15);
    expect(direct.std).toBeCloseTo(Math.sqrt(direct.values.reduce((s, v) => s + (v - mean) ** 2, 0) / 20), 15);
  });

  it('is seeded: the same seed gives the same result, another seed other subsets', () => {
    const first = kidOfFeatures(a, b, d, { subsets: 10, subsetSize: 50, seed: 42 });
    const again = kidOfFeatures(a, b, d, { subsets: 10, subsetSize: 50, seed: 42 });
    const other = kidOfFeatures(a, b, d, { subsets: 10, subsetSize: 50, seed: 43 });
    expect(again).toEqual(first);
    expect(other.values).not.toEqual(first.values);
    // The default seed is fixed too.
    expect(kidOfFeatures(a, b, d, { subsets: 4, subsetSize: 50 })).toEqual(kidOfFeatures(a, b, d, { subsets: 4, subsetSize: 50 }));
  });

  it('defaults to 100 subsets of min(n1, n2, 1000)', () => {
    const result = kidOfFeatures(a, b, d);
    expect(result.subsets).toBe(100);
    expect(result.subsetSize).toBe(250);
    expect(result.values).toHaveLength(100);
  });

  it('rejects bad shapes and options with clear messages', () => {
    expect(() => kidOfFeatures(new Float32Array(10), new Float32Array(12), 4)).toThrow(/first set has 10 elements, not a multiple of d = 4/);
    expect(() => kidOfFeatures(a, b, d, { subsetSize: 251 })).toThrow(/subset size 251 exceeds the smaller set \(250/);
    expect(() => kidOfFeatures(a, b, d, { subsetSize: 1 })).toThrow(/integer >= 2/);
    expect(() => kidOfFeatures(a, b, d, { subsets: 0 })).toThrow(/subsets must be a positive integer/);
    const bad = Float32Array.from(b);
    bad[d + 2] = Infinity;
    expect(() => kidOfFeatures(a, bad, d)).toThrow(/non-finite feature Infinity in the second set at row 1, column 2/);
    expect(() => polynomialMmd2(a.subarray(0, d), b, d)).toThrow(/at least 2 feature vectors/);
  });
});

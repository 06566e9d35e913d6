/**
 * KID: the tiled unbiased MMD^2 against a plain double-loop definition, the kernel-cache route against
 * the per-subset route, subsets without replacement, seeding, and errors.
 */
import { describe, expect, it } from 'vitest';
import { kidOfFeatures, polynomialMmd2 } from '../../../../src/core/metrics/kernel-inception-distance';
import { gaussianFeatures, mixingMatrix, referenceMmd2 } from '../../../fixtures/feature-fixtures';

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

  /** Rows `rows` of the [n, d] matrix `set`, as a fresh array. */
  const rowsOf = (set: Float32Array, rows: Int32Array) => {
    const out = new Float64Array(rows.length * d);
    rows.forEach((row, i) => out.set(set.subarray(row * d, (row + 1) * d), i * d));
    return out;
  };

  it.each([
    ['kernel cache', {}],
    ['per subset', { maxCachedKernelEntries: 0 }],
  ])(
    "each subset's value is the double-loop MMD^2 of its own rows, drawn without replacement over every row (%s)",
    (_route, route) => {
      const result = kidOfFeatures(a, b, d, { subsets: 200, subsetSize: 30, seed: 5, recordSubsets: true, ...route });
      expect(result.subsetRows).toHaveLength(200);
      const seen = [new Set<number>(), new Set<number>()];
      result.subsetRows!.forEach(({ a: rowsA, b: rowsB }, i) => {
        for (const [rows, n, k] of [
          [rowsA, 300, 0],
          [rowsB, 250, 1],
        ] as const) {
          expect(new Set(rows).size, `subset ${i}: distinct rows`).toBe(30);
          for (const row of rows) {
            expect(row >= 0 && row < n).toBe(true);
            seen[k].add(row);
          }
        }
        const expected = referenceMmd2(rowsOf(a, rowsA), 30, rowsOf(b, rowsB), 30, d);
        expect(Math.abs(result.values[i] - expected), `subset ${i}`).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(expected)),
        );
      });
      // 200 subsets of 30 rows: a fair draw leaves a given row of a out with chance 0.9^200 = 7e-10, so
      // every row of a (300) and of b (250) is drawn.
      expect(seen[0].size).toBe(300);
      expect(seen[1].size).toBe(250);
    },
  );

  it('a subset equal to one whole set (the other larger) still matches the definition on every subset', () => {
    // Set x has exactly subsetSize rows: without replacement, every x subset is all of x.
    const x = a.subarray(0, 40 * d);
    const result = kidOfFeatures(x, b, d, {
      subsets: 3,
      subsetSize: 40,
      seed: 1,
      maxCachedKernelEntries: 0,
      recordSubsets: true,
    });
    result.subsetRows!.forEach(({ a: rowsA, b: rowsB }, i) => {
      expect([...rowsA].sort((p, q) => p - q)).toEqual(Array.from({ length: 40 }, (_, r) => r));
      const expected = referenceMmd2(rowsOf(x, rowsA), 40, rowsOf(b, rowsB), 40, d);
      expect(Math.abs(result.values[i] - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
    });
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
    expect(kidOfFeatures(a, b, d, { subsets: 4, subsetSize: 50 })).toEqual(
      kidOfFeatures(a, b, d, { subsets: 4, subsetSize: 50 }),
    );
  });

  it('defaults to 100 subsets of min(n1, n2, 1000)', () => {
    const result = kidOfFeatures(a, b, d);
    expect(result.subsets).toBe(100);
    expect(result.subsetSize).toBe(250);
    expect(result.values).toHaveLength(100);
  });

  it('rejects bad shapes and options with clear messages', () => {
    expect(() => kidOfFeatures(new Float32Array(10), new Float32Array(12), 4)).toThrow(
      /first set has 10 elements, not a multiple of d = 4/,
    );
    expect(() => kidOfFeatures(a, b, d, { subsetSize: 251 })).toThrow(/subset size 251 exceeds the smaller set \(250/);
    expect(() => kidOfFeatures(a, b, d, { subsetSize: 1 })).toThrow(/integer >= 2/);
    expect(() => kidOfFeatures(a, b, d, { subsets: 0 })).toThrow(/subsets must be a positive integer/);
    const bad = Float32Array.from(b);
    bad[d + 2] = Infinity;
    expect(() => kidOfFeatures(a, bad, d)).toThrow(/non-finite feature Infinity in the second set at row 1, column 2/);
    expect(() => polynomialMmd2(a.subarray(0, d), b, d)).toThrow(/at least 2 feature vectors/);
  });
});

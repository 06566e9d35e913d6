/** TensorBoard's debiased EMA on hand-computed series. */
import { describe, expect, it } from 'vitest';
import { smoothSeries } from '../../../../src/core/metrics/smoothing';

function expectClose(actual: (number | null)[], expected: (number | null)[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) =>
    value === null ? expect(actual[i]).toBeNull() : expect(actual[i]).toBeCloseTo(value, 12),
  );
}

describe('smoothSeries', () => {
  it('weight 0 returns the series', () => {
    expect(smoothSeries([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
  });

  it('weight 0.5 by hand: last = 0.5 last + 0.5 v, divided by 1 - 0.5^t', () => {
    // t=1: 0.5 / 0.5 = 1; t=2: 1.25 / 0.75; t=3: 2.125 / 0.875.
    expectClose(smoothSeries([1, 2, 3], 0.5), [1, 1.25 / 0.75, 2.125 / 0.875]);
  });

  it('weight 0.9 by hand', () => {
    // last_1 = 0.1 * 10 = 1 (debiased by 0.1: 10); last_2 = 0.9 * 1 + 0.1 * 0 = 0.9 (debiased by 0.19).
    expectClose(smoothSeries([10, 0], 0.9), [10, 0.9 / (1 - 0.81)]);
  });

  it('null and non-finite values come back as null and do not advance the average', () => {
    // Same as [1, 3] at weight 0.5: 1, then (0.25 + 1.5) / 0.75.
    expectClose(smoothSeries([1, null, NaN, Infinity, 3], 0.5), [1, null, null, null, 1.75 / 0.75]);
    expectClose(smoothSeries([null, 2, 4], 0.5), [null, 2, (0.5 + 2) / 0.75]);
  });

  it('a constant series (ignoring gaps) is returned exactly', () => {
    expect(smoothSeries([0.1, 0.1, null, 0.1], 0.6)).toEqual([0.1, 0.1, null, 0.1]);
    expect(smoothSeries([], 0.6)).toEqual([]);
    expect(smoothSeries([null, NaN], 0.6)).toEqual([null, null]);
  });
});

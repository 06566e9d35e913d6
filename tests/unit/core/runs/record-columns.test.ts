// The run's record in columns (record-columns.ts, record-codecs.ts): every read-back comes back as
// it was appended, value for value, whatever a reducer does with older handles.
import { describe, expect, it } from 'vitest';
import { COVERAGE_CODEC, METRICS_CODEC } from '../../../../src/core/runs/record-codecs';
import { RecordColumns } from '../../../../src/core/runs/record-columns';
import type { MetricsPoint } from '../../../../src/core/train/types';

function point(iteration: number, extra: Partial<MetricsPoint> = {}): MetricsPoint {
  return {
    iteration,
    seconds: iteration / 10,
    dLoss: Math.sin(iteration) + 0.1,
    gLoss: Math.fround(Math.cos(iteration)),
    sigmas: [1 + iteration / 1000, 2],
    gradNorms: [0.5, iteration],
    gradNormTotal: Math.hypot(0.5, iteration),
    ...extra,
  };
}

describe('RecordColumns', () => {
  it('gives back every point as appended: NaN, ±Infinity, -0, lists of their own lengths, Lipschitz or not', () => {
    const points = [
      point(0, { gradNorms: [Number.NaN, Number.NaN], gradNormTotal: Number.NaN }),
      point(1, { dLoss: Infinity, gLoss: -0, sigmas: [3] }),
      point(2, {
        sigmas: [1, 2, 3, 4],
        lipschitz: { realMean: 1, realMax: 2, fakeMean: -Infinity, fakeMax: 4, sigmaProduct: 5 },
      }),
      point(3, { sigmas: [], gradNorms: [] }),
    ];
    const record = RecordColumns.of(METRICS_CODEC, points);
    expect(record.length).toBe(4);
    expect(record.toArray()).toEqual(points);
    expect(Object.is(record.at(1).gLoss, -0)).toBe(true);
    expect('lipschitz' in record.at(0)).toBe(false);
    expect(() => record.at(4)).toThrow(RangeError);
  });

  it('keeps 10,000 points past several capacity doublings, and finds prefixes by iteration', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => point(i * 5));
    const record = RecordColumns.of(METRICS_CODEC, points);
    expect(record.length).toBe(10_000);
    expect(record.at(9_999)).toEqual(points[9_999]);
    expect(record.at(4_321)).toEqual(points[4_321]);
    expect(record.upTo(12).length).toBe(3); // iterations 0, 5, 10
    expect(record.upTo(-1).length).toBe(0);
    expect(record.upTo(1e9)).toBe(record);
  });

  it('replaces the reading of a repeated iteration without changing older handles', () => {
    const first = RecordColumns.of(METRICS_CODEC, [point(0), point(1)]);
    const again = first.append(point(1, { dLoss: 42 }));
    expect(again.length).toBe(2);
    expect(again.at(1).dLoss).toBe(42);
    expect(first.at(1).dLoss).toBe(point(1).dLoss);
  });

  it('is pure for the reducer: an older handle appending copies instead of overwriting a newer one', () => {
    const base = RecordColumns.of(METRICS_CODEC, [point(0)]);
    const a = base.append(point(1));
    const twice = base.append(point(1)); // React replaying the same action: shares the row
    expect(twice.toArray()).toEqual(a.toArray());
    const branch = base.append(point(7)); // a different row after the same prefix
    expect(branch.toArray().map((p) => p.iteration)).toEqual([0, 7]);
    expect(a.toArray().map((p) => p.iteration)).toEqual([0, 1]);
    const rolledBack = a.upTo(0).append(point(3));
    expect(rolledBack.toArray().map((p) => p.iteration)).toEqual([0, 3]);
    expect(a.at(1)).toEqual(point(1));
  });

  it('holds mode counts too', () => {
    const rows = [
      { iteration: 0, modesCaptured: 1, modeCount: 8, highQualityShare: 0.25, klFromUniform: Number.NaN },
      { iteration: 5, modesCaptured: 8, modeCount: 8, highQualityShare: 1, klFromUniform: 0 },
    ];
    expect(RecordColumns.of(COVERAGE_CODEC, rows).toArray()).toEqual(rows);
  });
});

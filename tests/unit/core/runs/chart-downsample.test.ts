// What a chart draws of a long record (chart-downsample.ts): never more than its bound, every row
// while the record is short, and the record's shape (spikes, trends, gaps, the newest row) beyond.
import { describe, expect, it } from 'vitest';
import { bucketSizeFor, downsampleForChart, strideForChart } from '../../../../src/core/runs/chart-downsample';
import { METRICS_CODEC, METRICS_COUNT_SLOTS } from '../../../../src/core/runs/record-codecs';
import { RecordColumns } from '../../../../src/core/runs/record-columns';
import type { MetricsPoint } from '../../../../src/core/train/types';

const point = (iteration: number, dLoss: number, gLoss = -dLoss, layers = 2): MetricsPoint => ({
  iteration,
  seconds: iteration,
  dLoss,
  gLoss,
  sigmas: Array.from({ length: layers }, () => 1),
  gradNorms: Array.from({ length: layers }, () => 0.5),
  gradNormTotal: 1,
});

function recordOf(count: number, dLoss: (i: number) => number): RecordColumns<MetricsPoint> {
  let record = RecordColumns.empty(METRICS_CODEC);
  for (let i = 0; i < count; i++) record = record.append(point(i, dLoss(i)));
  return record;
}

describe('downsampleForChart', () => {
  it('draws every row while the record fits its bound', () => {
    const record = recordOf(1000, (i) => i);
    expect(downsampleForChart(record, 1000, METRICS_COUNT_SLOTS)).toEqual(record.toArray());
  });

  it('never draws more than its bound, and spans the record from its first to its newest iteration', () => {
    for (const count of [1001, 1024, 2047, 5000, 33_333]) {
      const record = recordOf(count, (i) => Math.sin(i / 50));
      const rows = downsampleForChart(record, 1000, METRICS_COUNT_SLOTS);
      expect(rows.length).toBeLessThanOrEqual(1000);
      expect(rows.length).toBeGreaterThan(250);
      expect(rows[0].iteration).toBe(0);
      expect(rows[rows.length - 1].iteration).toBe(count - 1);
      expect(rows.every((row, i) => i === 0 || row.iteration >= rows[i - 1].iteration)).toBe(true);
      expect(rows.every((row) => row.sigmas.length === 2 && row.gradNorms.length === 2)).toBe(true);
    }
  });

  it('keeps a one-read-back spike and dip, the extremes of the whole record', () => {
    const record = recordOf(20_000, (i) => (i === 12_345 ? 1e6 : i === 777 ? -1e6 : 1 + (i % 7) / 100));
    const rows = downsampleForChart(record, 1000);
    expect(Math.max(...rows.map((r) => r.dLoss))).toBe(1e6);
    expect(Math.min(...rows.map((r) => r.dLoss))).toBe(-1e6);
    expect(Math.max(...rows.map((r) => r.gLoss))).toBe(1e6); // gLoss is -dLoss: its own extremes
  });

  it('keeps a monotone curve monotone (extremes in the order they happened)', () => {
    const rows = downsampleForChart(
      recordOf(5000, (i) => 10 - i / 1000),
      1000,
    );
    expect(rows.every((row, i) => i === 0 || row.dLoss <= rows[i - 1].dLoss)).toBe(true);
    expect(rows.every((row, i) => i === 0 || row.gLoss >= rows[i - 1].gLoss)).toBe(true);
  });

  it('leaves a gap where a whole bucket had no reading, and takes the longest lists of a bucket', () => {
    let record = RecordColumns.empty(METRICS_CODEC);
    for (let i = 0; i < 4000; i++)
      record = record.append(point(i, i >= 2000 && i < 2100 ? Number.NaN : 1, 1, i === 3001 ? 3 : 2));
    const rows = downsampleForChart(record, 1000, METRICS_COUNT_SLOTS);
    expect(rows.some((row) => Number.isNaN(row.dLoss))).toBe(true);
    expect(rows.filter((row) => row.sigmas.length === 3).length).toBe(2); // both rows of that bucket
  });

  it('gives the same rows appended one by one (its cache) as built at once', () => {
    let live = RecordColumns.empty(METRICS_CODEC);
    for (let i = 0; i < 3000; i++) {
      live = live.append(point(i, Math.cos(i)));
      if (i % 97 === 0) downsampleForChart(live, 500); // fills the cache along the way
    }
    expect(downsampleForChart(live, 500)).toEqual(downsampleForChart(recordOf(3000, Math.cos), 500));
  });

  it('picks power-of-two buckets', () => {
    expect(bucketSizeFor(1000, 1000)).toBe(2);
    expect(bucketSizeFor(5000, 1000)).toBe(16);
    expect(() =>
      downsampleForChart(
        recordOf(3, (i) => i),
        1,
      ),
    ).toThrow(RangeError);
  });
});

describe('strideForChart', () => {
  it('keeps at most its bound, the first and the newest', () => {
    const items = Array.from({ length: 777 }, (_, i) => i);
    expect(strideForChart(items.slice(0, 200), 200)).toEqual(items.slice(0, 200));
    for (const n of [201, 400, 401, 777]) {
      const kept = strideForChart(items.slice(0, n), 200);
      expect(kept.length).toBeLessThanOrEqual(200);
      expect(kept[0]).toBe(0);
      expect(kept[kept.length - 1]).toBe(n - 1);
    }
  });
});

// What a chart draws of a long record: a bounded number of rows with the record's shape. Beyond the
// bound the record is cut into buckets of 2^k consecutive rows; each bucket gives two rows holding,
// slot by slot, the bucket's lowest and highest value in the order they occurred (min/max
// decimation), so spikes, dips and trends survive while the chart's cost stays fixed.
import type { RecordColumns } from './record-columns';

type Pair<T> = readonly [T, T];

/** Where a bucket's extremes are, slot by slot: [minAt, maxAt] at 2*slot (-1: the slot has no reading). */
type Extremes = Int32Array;

interface BucketCache {
  bucketSize: number;
  slotCount: number;
  /** Complete buckets only: rows below a store's length never change, so these stay right. */
  extremes: Map<number, Extremes>;
  pairs: Map<number, Pair<unknown>>;
}

const bucketCache = new WeakMap<object, BucketCache>();

/** The smallest power-of-two bucket that gives at most `bound` rows (two per bucket). */
export function bucketSizeFor(length: number, bound: number): number {
  let size = 1;
  while (Math.ceil(length / size) * 2 > bound) size *= 2;
  return size;
}

/**
 * At most `bound` rows drawn from `record`: every row while it has at most `bound`, else two per
 * bucket (see above). `countSlots` hold list lengths and flags: both rows of a bucket take their
 * largest value, so no list is cut short.
 */
export function downsampleForChart<T>(
  record: RecordColumns<T>,
  bound: number,
  countSlots: readonly number[] = [],
): T[] {
  if (bound < 2) throw new RangeError(`a chart's bound must be at least 2, got ${bound}`);
  if (record.length <= bound) return record.toArray();
  const cache = cacheFor(record, bucketSizeFor(record.length, bound));
  const rows: T[] = [];
  const counts = new Set(countSlots);
  for (let start = 0, bucket = 0; start < record.length; start += cache.bucketSize, bucket++) {
    const end = Math.min(start + cache.bucketSize, record.length);
    if (end - start === 1) {
      rows.push(record.at(start));
      continue;
    }
    const complete = end - start === cache.bucketSize;
    let pair = complete ? (cache.pairs.get(bucket) as Pair<T> | undefined) : undefined;
    if (!pair) {
      const extremes = (complete && cache.extremes.get(bucket)) || bucketExtremes(record, start, end);
      pair = pairOf(record, extremes, counts);
      if (complete) {
        cache.extremes.set(bucket, extremes);
        cache.pairs.set(bucket, pair);
      }
    }
    rows.push(pair[0], pair[1]);
  }
  return rows;
}

/**
 * The record's cache at `bucketSize`. When the buckets double, each new one is merged from the two
 * it covers (a comparison per slot), so a long record is never scanned again in one go.
 */
function cacheFor<T>(record: RecordColumns<T>, bucketSize: number): BucketCache {
  let cache = bucketCache.get(record.storeKey);
  if (cache && (cache.slotCount !== record.slotCount || cache.bucketSize > bucketSize)) cache = undefined;
  while (cache && cache.bucketSize < bucketSize) {
    const merged = new Map<number, Extremes>();
    for (const [bucket, extremes] of cache.extremes) {
      const other = cache.extremes.get(bucket ^ 1);
      if (bucket % 2 === 0 && other) merged.set(bucket / 2, mergeExtremes(record, extremes, other));
    }
    cache = { bucketSize: cache.bucketSize * 2, slotCount: cache.slotCount, extremes: merged, pairs: new Map() };
  }
  cache ??= { bucketSize, slotCount: record.slotCount, extremes: new Map(), pairs: new Map() };
  bucketCache.set(record.storeKey, cache);
  return cache;
}

function bucketExtremes<T>(record: RecordColumns<T>, start: number, end: number): Extremes {
  const extremes = new Int32Array(2 * record.slotCount).fill(-1);
  for (let slot = 0; slot < record.slotCount; slot++) {
    let minAt = -1;
    let maxAt = -1;
    for (let i = start; i < end; i++) {
      const value = record.value(slot, i);
      if (Number.isNaN(value)) continue;
      if (minAt < 0 || value < record.value(slot, minAt)) minAt = i;
      if (maxAt < 0 || value > record.value(slot, maxAt)) maxAt = i;
    }
    extremes[2 * slot] = minAt;
    extremes[2 * slot + 1] = maxAt;
  }
  return extremes;
}

/** The extremes of two neighbouring buckets, `early` before `late`; ties keep the earlier row. */
function mergeExtremes<T>(record: RecordColumns<T>, early: Extremes, late: Extremes): Extremes {
  const merged = new Int32Array(early.length);
  for (let slot = 0; 2 * slot < early.length; slot++) {
    const [minA, maxA, minB, maxB] = [early[2 * slot], early[2 * slot + 1], late[2 * slot], late[2 * slot + 1]];
    merged[2 * slot] = minA < 0 || (minB >= 0 && record.value(slot, minB) < record.value(slot, minA)) ? minB : minA;
    merged[2 * slot + 1] = maxA < 0 || (maxB >= 0 && record.value(slot, maxB) > record.value(slot, maxA)) ? maxB : maxA;
  }
  return merged;
}

function pairOf<T>(record: RecordColumns<T>, extremes: Extremes, counts: ReadonlySet<number>): Pair<T> {
  const first = new Float64Array(record.slotCount);
  const second = new Float64Array(record.slotCount);
  for (let slot = 0; slot < record.slotCount; slot++) {
    const minAt = extremes[2 * slot];
    const maxAt = extremes[2 * slot + 1];
    if (minAt < 0) {
      first[slot] = second[slot] = Number.NaN; // no reading in the whole bucket: a gap stays a gap
    } else if (counts.has(slot)) {
      first[slot] = second[slot] = record.value(slot, maxAt);
    } else {
      first[slot] = record.value(slot, Math.min(minAt, maxAt));
      second[slot] = record.value(slot, Math.max(minAt, maxAt));
    }
  }
  return [record.compose((slot) => first[slot] ?? Number.NaN), record.compose((slot) => second[slot] ?? Number.NaN)];
}

/**
 * At most `bound` items of `items` for a chart that draws each one (spectrum snapshots): every
 * 2^k-th one and the newest.
 */
export function strideForChart<T>(items: readonly T[], bound: number): T[] {
  if (items.length <= bound) return [...items];
  const stride = bucketSizeFor(items.length - 1, 2 * (bound - 1));
  const kept = items.filter((_, i) => i % stride === 0);
  if ((items.length - 1) % stride !== 0) kept.push(items[items.length - 1]);
  return kept;
}

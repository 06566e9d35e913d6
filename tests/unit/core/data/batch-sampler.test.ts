import { describe, expect, it } from 'vitest';
import { BatchSampler, fillBatch } from '../../../../src/core/data/batch-sampler';
import { RING_OF_8 } from '../../../../src/core/data/toy-modes';
import type { ImageSet, PointSet } from '../../../../src/core/data/types';

function take(sampler: BatchSampler, batches: number): number[] {
  const indices: number[] = [];
  for (let i = 0; i < batches; i++) indices.push(...sampler.next());
  return indices;
}

function isPermutation(values: readonly number[], count: number): boolean {
  return values.length === count && [...values].sort((a, b) => a - b).every((v, i) => v === i);
}

describe('BatchSampler', () => {
  it('is deterministic by seed', () => {
    const a = take(new BatchSampler(100, 16, 7), 40);
    const b = take(new BatchSampler(100, 16, 7), 40);
    const c = take(new BatchSampler(100, 16, 8), 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('returns Int32Array batches of the batch size', () => {
    const batch = new BatchSampler(10, 4, 1).next();
    expect(batch).toBeInstanceOf(Int32Array);
    expect(batch.length).toBe(4);
  });

  it('hands out each epoch as a fresh shuffled permutation', () => {
    const stream = take(new BatchSampler(100, 10, 3), 30);
    const epochs = [stream.slice(0, 100), stream.slice(100, 200), stream.slice(200, 300)];
    for (const epoch of epochs) expect(isPermutation(epoch, 100)).toBe(true);
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(epochs[1]).not.toEqual(epochs[2]);
    // Shuffled, not the identity order.
    expect(epochs[0].filter((v, i) => v === i).length).toBeLessThan(10);
  });

  it('continues into the next epoch when the count is not a multiple of the batch size', () => {
    const stream = take(new BatchSampler(25, 10, 4), 10);
    for (let epoch = 0; epoch < 4; epoch++) {
      expect(isPermutation(stream.slice(epoch * 25, (epoch + 1) * 25), 25)).toBe(true);
    }
  });

  it('fills whole batches even when the data set is smaller than a batch', () => {
    const sampler = new BatchSampler(3, 8, 5);
    const stream = take(sampler, 3);
    expect(stream.length).toBe(24);
    for (let epoch = 0; epoch < 8; epoch++) expect(isPermutation(stream.slice(epoch * 3, epoch * 3 + 3), 3)).toBe(true);
  });

  it('resumes from a saved position exactly where it left off', () => {
    const original = new BatchSampler(37, 8, 11);
    take(original, 9);
    const resumed = new BatchSampler(37, 8, 11, original.position());
    expect(take(resumed, 12)).toEqual(take(original, 12));
    expect(original.position().epoch).toBeGreaterThan(0);
  });

  it('rejects bad sizes and positions', () => {
    expect(() => new BatchSampler(0, 4, 1)).toThrow(RangeError);
    expect(() => new BatchSampler(10, 0, 1)).toThrow(RangeError);
    expect(() => new BatchSampler(10, 2, 1, { epoch: 0, offset: 11 })).toThrow(RangeError);
  });
});

describe('fillBatch', () => {
  // Three 32x32x3 images whose bytes are known: image k holds (k * 50 + i) mod 256 at byte i.
  const set: ImageSet = {
    name: 'test images',
    count: 3,
    pixels: Uint8Array.from({ length: 3 * 3072 }, (_, i) => (Math.floor(i / 3072) * 50 + (i % 3072)) % 256),
    labels: new Uint8Array([0, 1, 2]),
    classNames: ['a', 'b', 'c'],
  };

  it('converts bytes to x / 127.5 - 1 in NHWC order for the given indices', () => {
    const out = new Float32Array(2 * 3072);
    fillBatch(set, new Int32Array([2, 0]), out);
    for (const b of [0, 1, 77, 3071]) {
      expect(out[b]).toBeCloseTo(set.pixels[2 * 3072 + b] / 127.5 - 1, 6);
      expect(out[3072 + b]).toBeCloseTo(set.pixels[b] / 127.5 - 1, 6);
    }
  });

  it('maps 0 to -1 and 255 to 1, and stays within [-1, 1]', () => {
    const out = new Float32Array(3 * 3072);
    fillBatch(set, [0, 1, 2], out);
    expect(out[0]).toBe(-1); // image 0, byte 0 holds 0
    expect(out[255]).toBe(1); // image 0, byte 255 holds 255
    let low = Infinity;
    let high = -Infinity;
    for (const v of out) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    expect(low).toBe(-1);
    expect(high).toBe(1);
  });

  it('rejects a wrong output size and indices outside the set', () => {
    expect(() => fillBatch(set, [0, 1], new Float32Array(3072))).toThrow(/6144/);
    expect(() => fillBatch(set, [3], new Float32Array(3072))).toThrow(RangeError);
    expect(() => fillBatch(set, [-1], new Float32Array(3072))).toThrow(RangeError);
  });
});

describe('fillBatch on 2-D points', () => {
  const set: PointSet = {
    kind: 'points',
    name: 'test points',
    count: 3,
    points: new Float32Array([0.5, -1, 2, 3.25, -4, 0]),
    classNames: ['a'],
    mixture: RING_OF_8,
  };

  it('copies the (x, y) pairs at the given indices as they are', () => {
    const out = new Float32Array(4);
    fillBatch(set, [2, 1], out);
    expect(Array.from(out)).toEqual([-4, 0, 2, 3.25]);
  });

  it('rejects a wrong output size and indices outside the set', () => {
    expect(() => fillBatch(set, [0, 1], new Float32Array(3))).toThrow(/2 points need 4/);
    expect(() => fillBatch(set, [3], new Float32Array(2))).toThrow(RangeError);
  });
});

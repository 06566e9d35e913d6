// Seeded, epoch-wise shuffled batch indices, and the copy of a batch into floats: images go from
// bytes to [-1, 1], 2-D points are copied as they are.
// Each epoch's permutation is derived from (seed, epoch) alone, so a run resumed from a checkpoint
// at (epoch, position) sees exactly the batches an uninterrupted run would have seen.
import { deriveSeed, SeededRandom } from './seeded-random';
import { IMAGE_BYTES, POINT_DIMENSIONS, isPointSet, type PointSet, type TrainingSet } from './types';

export interface SamplerPosition {
  epoch: number;
  /** Indices of this epoch's permutation already handed out. */
  offset: number;
}

export class BatchSampler {
  readonly count: number;
  readonly batchSize: number;
  readonly seed: number;
  private epoch = 0;
  private offset = 0;
  private order: Int32Array;

  constructor(count: number, batchSize: number, seed: number, start: SamplerPosition = { epoch: 0, offset: 0 }) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    if (start.offset < 0 || start.offset > count || start.epoch < 0) {
      throw new RangeError(`sampler position epoch ${start.epoch}, offset ${start.offset} is outside 0..${count}`);
    }
    this.count = count;
    this.batchSize = batchSize;
    this.seed = seed;
    this.epoch = start.epoch;
    this.offset = start.offset;
    this.order = this.permutation(this.epoch);
  }

  /** The shuffled order of all `count` indices in epoch `epoch`. */
  permutation(epoch: number): Int32Array {
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    return new SeededRandom(deriveSeed(this.seed, epoch)).shuffle(order);
  }

  /**
   * The next `batchSize` indices. A batch that runs past the end of an epoch continues into the
   * next epoch's permutation, so every batch is full even when count < batchSize.
   */
  next(): Int32Array {
    const batch = new Int32Array(this.batchSize);
    for (let i = 0; i < this.batchSize; i++) {
      if (this.offset === this.count) {
        this.epoch++;
        this.offset = 0;
        this.order = this.permutation(this.epoch);
      }
      batch[i] = this.order[this.offset++];
    }
    return batch;
  }

  /** Where the next batch starts; pass it back to the constructor to resume. */
  position(): SamplerPosition {
    return { epoch: this.epoch, offset: this.offset };
  }
}

/** x / 127.5 - 1 for every byte value, so the batch loop is a table lookup. */
const BYTE_TO_UNIT = (() => {
  const table = new Float32Array(256);
  for (let value = 0; value < 256; value++) table[value] = value / 127.5 - 1;
  return table;
})();

/**
 * Copies the samples at `indices` into `out`: images as NHWC floats in [-1, 1]
 * (indices.length x 32 x 32 x 3), points as (x, y) pairs (indices.length x 2).
 */
export function fillBatch(set: TrainingSet, indices: ArrayLike<number>, out: Float32Array): void {
  if (isPointSet(set)) {
    fillPointBatch(set, indices, out);
    return;
  }
  if (out.length !== indices.length * IMAGE_BYTES) {
    throw new RangeError(
      `out holds ${out.length} floats; ${indices.length} images need ${indices.length * IMAGE_BYTES}`,
    );
  }
  let target = 0;
  for (let i = 0; i < indices.length; i++) {
    const index = checkedIndex(set, indices[i]);
    const source = index * IMAGE_BYTES;
    for (let b = 0; b < IMAGE_BYTES; b++) out[target++] = BYTE_TO_UNIT[set.pixels[source + b]];
  }
}

function fillPointBatch(set: PointSet, indices: ArrayLike<number>, out: Float32Array): void {
  if (out.length !== indices.length * POINT_DIMENSIONS) {
    throw new RangeError(
      `out holds ${out.length} floats; ${indices.length} points need ${indices.length * POINT_DIMENSIONS}`,
    );
  }
  for (let i = 0; i < indices.length; i++) {
    const source = checkedIndex(set, indices[i]) * POINT_DIMENSIONS;
    out[i * POINT_DIMENSIONS] = set.points[source];
    out[i * POINT_DIMENSIONS + 1] = set.points[source + 1];
  }
}

function checkedIndex(set: TrainingSet, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new RangeError(`sample index ${index} is outside 0..${set.count - 1} of ${set.name}`);
  }
  return index;
}

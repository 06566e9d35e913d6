// Small seeded PRNG (mulberry32) shared by the built-in data sets and the trainer's data order.
// Only 32-bit integer ops (Math.imul, shifts) are used so every JS engine produces the same
// stream: a shared URL must reproduce the same images and batches in any browser and in Node.

/** Murmur3's 32-bit finalizer: spreads every input bit over the whole word. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A seed for an independent sub-stream (per image, per epoch, ...), so one part can be
 * regenerated without replaying the others. Different (seed, stream) pairs give unrelated seeds.
 */
export function deriveSeed(seed: number, stream: number): number {
  return fmix32(fmix32(seed) ^ Math.imul((stream | 0) + 0x632be5ab, 0x9e3779b9));
}

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next uniform 32-bit unsigned integer (one mulberry32 step). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** The generator's whole state (one uint32): a checkpoint keeps it to resume the same stream. */
  get state32(): number {
    return this.state;
  }

  set state32(value: number) {
    this.state = value >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  nextRange(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0)
      throw new RangeError(`nextInt bound must be a positive integer, got ${bound}`);
    return Math.floor(this.next() * bound);
  }

  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T extends { length: number; [index: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }
}

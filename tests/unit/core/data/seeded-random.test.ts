import { describe, expect, it } from 'vitest';
import { SeededRandom, deriveSeed } from '../../../../src/core/data/seeded-random';

/** The widely published mulberry32 (bryc's JavaScript PRNG collection), as an independent reference. */
function referenceMulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    let t = (a += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SeededRandom', () => {
  it('produces the reference mulberry32 stream', () => {
    for (const seed of [0, 1, 42, 2147483647]) {
      const ours = new SeededRandom(seed);
      const reference = referenceMulberry32(seed);
      for (let i = 0; i < 1000; i++) expect(ours.next()).toBe(reference());
    }
  });

  it('is roughly uniform and nextInt stays in bounds', () => {
    const random = new SeededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    let outOfBounds = 0;
    for (let i = 0; i < 100_000; i++) {
      const value = random.nextInt(10);
      if (!(Number.isInteger(value) && value >= 0 && value < 10)) outOfBounds++;
      else buckets[value]++;
    }
    expect(outOfBounds).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(() => random.nextInt(0)).toThrow(RangeError);
  });

  it('shuffle gives a permutation that depends on the seed', () => {
    const a = new SeededRandom(1).shuffle(Array.from({ length: 50 }, (_, i) => i));
    const b = new SeededRandom(1).shuffle(Array.from({ length: 50 }, (_, i) => i));
    const c = new SeededRandom(2).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('deriveSeed', () => {
  it('gives distinct, unsigned 32-bit seeds per (seed, stream)', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      for (let stream = 0; stream < 200; stream++) {
        const derived = deriveSeed(seed, stream);
        expect(Number.isInteger(derived) && derived >= 0 && derived < 2 ** 32).toBe(true);
        seen.add(derived);
      }
    }
    expect(seen.size).toBe(50 * 200);
    expect(deriveSeed(3, 4)).toBe(deriveSeed(3, 4));
  });
});

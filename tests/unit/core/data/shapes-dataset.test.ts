import { describe, expect, it } from 'vitest';
import { SHAPE_CLASS_NAMES, makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import type { ImageSet } from '../../../../src/core/data/types';

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

function luma(set: ImageSet, image: number, row: number, col: number): number {
  const i = image * 3072 + (row * 32 + col) * 3;
  return 0.299 * set.pixels[i] + 0.587 * set.pixels[i + 1] + 0.114 * set.pixels[i + 2];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Mean absolute luma change between horizontal neighbours and between vertical neighbours. */
function directionalChange(set: ImageSet, image: number): { alongRow: number; alongColumn: number } {
  let alongRow = 0;
  let alongColumn = 0;
  for (let row = 0; row < 31; row++) {
    for (let col = 0; col < 31; col++) {
      alongRow += Math.abs(luma(set, image, row, col + 1) - luma(set, image, row, col));
      alongColumn += Math.abs(luma(set, image, row + 1, col) - luma(set, image, row, col));
    }
  }
  return { alongRow, alongColumn };
}

/** Colour-blind features of an image's shape mask (pixels unlike the top-left corner's colour). */
function shapeFeatures(set: ImageSet, image: number): number[] {
  const corner = luma(set, image, 0, 0);
  const mask = (row: number, col: number): boolean => Math.abs(luma(set, image, row, col) - corner) > 40;
  let area = 0;
  let rowChanges = 0;
  let columnChanges = 0;
  let busiestRow = 0;
  let [top, bottom, left, right] = [32, -1, 32, -1];
  let rowSum = 0;
  for (let row = 0; row < 32; row++) {
    let changesInRow = 0;
    for (let col = 0; col < 32; col++) {
      if (mask(row, col)) {
        area++;
        rowSum += row;
        [top, bottom, left, right] = [
          Math.min(top, row),
          Math.max(bottom, row),
          Math.min(left, col),
          Math.max(right, col),
        ];
      }
      if (col < 31 && mask(row, col) !== mask(row, col + 1)) changesInRow++;
      if (row < 31 && mask(row, col) !== mask(row + 1, col)) columnChanges++;
    }
    rowChanges += changesInRow;
    busiestRow = Math.max(busiestRow, changesInRow);
  }
  const height = Math.max(1, bottom - top + 1);
  const width = Math.max(1, right - left + 1);
  const quarterRow = Math.min(31, Math.max(0, Math.round(top + height / 4)));
  let quarterWidth = 0;
  for (let col = 0; col < 32; col++) if (mask(quarterRow, col)) quarterWidth++;
  const middleRow = Math.round((top + bottom) / 2);
  const middleCol = Math.round((left + right) / 2);
  return [
    rowChanges / (rowChanges + columnChanges + 1), // stripes: 0 or 1
    Math.log(1 + rowChanges + columnChanges), // patterns have many edges
    Math.min(area, 1024 - area) / 1024, // dot grid: small minority
    area / (width * height), // square 1, circle 0.79, diamond and triangle 0.5
    busiestRow, // ring: 4 edges across the middle
    Math.abs((area > 0 ? rowSum / area : 0) - (top + bottom) / 2) / height, // triangle: off-centre mass
    quarterWidth / width, // cross: thin arm a quarter down
    mask(middleRow, middleCol) ? 0 : 1, // ring: hole in the middle
  ];
}

describe('makeShapesDataset', () => {
  it('is deterministic by seed: same seed same bytes, another seed other images', () => {
    const a = makeShapesDataset({ seed: 5, count: 200, classes: ALL });
    const b = makeShapesDataset({ seed: 5, count: 200, classes: ALL });
    const c = makeShapesDataset({ seed: 6, count: 200, classes: ALL });
    expect(sameBytes(a.pixels, b.pixels)).toBe(true);
    expect(sameBytes(a.labels, b.labels)).toBe(true);
    let differing = 0;
    for (let image = 0; image < 200; image++) {
      const range = [image * 3072, (image + 1) * 3072] as const;
      if (!sameBytes(a.pixels.subarray(...range), c.pixels.subarray(...range))) differing++;
    }
    expect(differing).toBe(200);
  });

  it('draws the same image for the same (seed, index), whatever the count', () => {
    const small = makeShapesDataset({ seed: 9, count: 30, classes: ALL });
    const large = makeShapesDataset({ seed: 9, count: 300, classes: ALL });
    expect(sameBytes(small.pixels, large.pixels.subarray(0, small.pixels.length))).toBe(true);
    expect(sameBytes(small.pixels, large.pixels.subarray(3072, 3072 + small.pixels.length))).toBe(false);
  });

  it('balances the classes', () => {
    const set = makeShapesDataset({ seed: 1, count: 1000, classes: ALL });
    const perClass = new Array<number>(10).fill(0);
    for (const label of set.labels) perClass[label]++;
    expect(perClass).toEqual(new Array(10).fill(100));
    expect(set.classNames).toEqual(SHAPE_CLASS_NAMES);
    expect(set.pixels.length).toBe(1000 * 3072);
  });

  it('draws only the chosen classes, balanced within one image', () => {
    const set = makeShapesDataset({ seed: 1, count: 10, classes: [2, 5, 7] });
    expect(Array.from(set.labels)).toEqual([2, 5, 7, 2, 5, 7, 2, 5, 7, 2]);
  });

  it('always draws a visible shape: every image has strong contrast', () => {
    const set = makeShapesDataset({ seed: 3, count: 500, classes: ALL });
    for (let image = 0; image < set.count; image++) {
      let low = 255;
      let high = 0;
      for (let row = 0; row < 32; row++) {
        for (let col = 0; col < 32; col++) {
          const value = luma(set, image, row, col);
          low = Math.min(low, value);
          high = Math.max(high, value);
        }
      }
      expect(high - low, `image ${image} (${SHAPE_CLASS_NAMES[set.labels[image]]})`).toBeGreaterThan(50);
    }
  });

  it('draws horizontal stripes that change down columns, vertical stripes across rows', () => {
    const horizontal = makeShapesDataset({ seed: 4, count: 20, classes: [5] });
    const vertical = makeShapesDataset({ seed: 4, count: 20, classes: [6] });
    for (let image = 0; image < 20; image++) {
      const h = directionalChange(horizontal, image);
      expect(h.alongColumn).toBeGreaterThan(3 * h.alongRow);
      const v = directionalChange(vertical, image);
      expect(v.alongRow).toBeGreaterThan(3 * v.alongColumn);
    }
  });

  it('draws classes a simple colour-blind classifier tells apart', () => {
    // Nearest class centroid on shape features, fitted on one seed and scored on another: if two
    // builders drew the same thing (or a builder drew nothing), accuracy would drop sharply.
    const fit = makeShapesDataset({ seed: 2, count: 1000, classes: ALL });
    const score = makeShapesDataset({ seed: 3, count: 1000, classes: ALL });
    const fitFeatures = Array.from({ length: fit.count }, (_, i) => shapeFeatures(fit, i));
    const scoreFeatures = Array.from({ length: score.count }, (_, i) => shapeFeatures(score, i));
    const dims = fitFeatures[0].length;
    const mean = new Array<number>(dims).fill(0);
    const spread = new Array<number>(dims).fill(0);
    for (const f of fitFeatures) f.forEach((v, d) => (mean[d] += v / fit.count));
    for (const f of fitFeatures) f.forEach((v, d) => (spread[d] += (v - mean[d]) ** 2 / fit.count));
    const standardize = (f: number[]): number[] => f.map((v, d) => (v - mean[d]) / Math.sqrt(spread[d] + 1e-9));
    const centroids = Array.from({ length: 10 }, () => new Array<number>(dims).fill(0));
    fitFeatures.forEach((f, i) => standardize(f).forEach((v, d) => (centroids[fit.labels[i]][d] += v / 100)));

    const correct = new Array<number>(10).fill(0);
    scoreFeatures.forEach((f, i) => {
      const z = standardize(f);
      let best = 0;
      let bestDistance = Infinity;
      centroids.forEach((c, k) => {
        const distance = c.reduce((sum, v, d) => sum + (v - z[d]) ** 2, 0);
        if (distance < bestDistance) [best, bestDistance] = [k, distance];
      });
      if (best === score.labels[i]) correct[best]++;
    });
    correct.forEach((count, k) =>
      expect(count, `${SHAPE_CLASS_NAMES[k]}: ${count}/100 recognized`).toBeGreaterThanOrEqual(80),
    );
  });

  it('generates 5000 images well under a second', () => {
    makeShapesDataset({ seed: 1, count: 200, classes: ALL }); // warm up the JIT
    // Best of three, so other test files running in parallel do not make this flaky.
    let fastest = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      const set = makeShapesDataset({ seed: run, count: 5000, classes: ALL });
      fastest = Math.min(fastest, performance.now() - start);
      expect(set.count).toBe(5000);
    }
    expect(fastest).toBeLessThan(1000);
  });

  it('rejects bad classes and counts', () => {
    expect(() => makeShapesDataset({ seed: 1, count: 10, classes: [] })).toThrow(RangeError);
    expect(() => makeShapesDataset({ seed: 1, count: 10, classes: [10] })).toThrow(/class id 10/);
    expect(() => makeShapesDataset({ seed: 1, count: -1, classes: [1] })).toThrow(RangeError);
  });
});

// Lays generated images (NHWC floats in [-1, 1]) out as one RGBA grid for a canvas, or for 2-D data
// draws the generated points as a scatter plot over the real ones.
import { IMAGE_SIZE, type PointSet } from '../data/types';
import type { SampleGrid } from './types';

export function renderSampleGrid(images: Float32Array, side: number, iteration: number): SampleGrid {
  const width = side * IMAGE_SIZE;
  const rgba = new Uint8ClampedArray(width * width * 4);
  for (let n = 0; n < side * side; n++) {
    const gridX = (n % side) * IMAGE_SIZE;
    const gridY = Math.floor(n / side) * IMAGE_SIZE;
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) {
        const src = ((n * IMAGE_SIZE + y) * IMAGE_SIZE + x) * 3;
        const dst = ((gridY + y) * width + gridX + x) * 4;
        // Uint8ClampedArray clamps and rounds; NaN becomes 0 (black), which the UI flags separately.
        rgba[dst] = (images[src] + 1) * 127.5;
        rgba[dst + 1] = (images[src + 1] + 1) * 127.5;
        rgba[dst + 2] = (images[src + 2] + 1) * 127.5;
        rgba[dst + 3] = 255;
      }
    }
  }
  return { columns: side, rows: side, width, height: width, rgba, iteration };
}

/** Side of the scatter plot in pixels: the size of the 8x8 image grid, so the page's canvas keeps its size. */
export const SCATTER_SIZE = 256;
/** Real points drawn over the generated ones, one pixel each (the pool's first ones). */
const SCATTER_REAL_POINTS = 2500;
const BACKGROUND = [255, 255, 255];
const REAL_COLOUR = [40, 40, 40];
const FAKE_COLOUR = [217, 95, 2];

/**
 * The square view a data set is drawn in: centred on 0, half-width 1.5 times (the largest mode
 * coordinate + 3 std), so ring8 shows about [-3.1, 3.1] and grid25 about [-6.2, 6.2].
 */
export function scatterHalfWidth(set: PointSet): number {
  let largest = 0;
  for (const [x, y] of set.mixture.modes) largest = Math.max(largest, Math.abs(x), Math.abs(y));
  return 1.5 * (largest + 3 * set.mixture.std) || 1;
}

/**
 * Generated points (x, y pairs) as a 256x256 RGBA scatter plot, y up, orange 3x3 dots, with the real
 * points drawn over them as dark single pixels (the targets stay visible under a good generator).
 * A point outside the view is drawn on the nearest edge, so a generator that runs away stays visible;
 * NaN points are skipped.
 */
export function renderPointScatter(points: Float32Array, set: PointSet, iteration: number): SampleGrid {
  const size = SCATTER_SIZE;
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    rgba.set(BACKGROUND, i * 4);
    rgba[i * 4 + 3] = 255;
  }
  const half = scatterHalfWidth(set);
  const toPixel = (value: number, flip: boolean): number => {
    const unit = (value + half) / (2 * half);
    const pixel = Math.floor((flip ? 1 - unit : unit) * size);
    return Math.min(size - 1, Math.max(0, pixel));
  };
  const dot = (x: number, y: number, colour: readonly number[], radius: number) => {
    if (Number.isNaN(x) || Number.isNaN(y)) return;
    const column = toPixel(x, false);
    const row = toPixel(y, true);
    for (let r = Math.max(0, row - radius); r <= Math.min(size - 1, row + radius); r++) {
      for (let c = Math.max(0, column - radius); c <= Math.min(size - 1, column + radius); c++)
        rgba.set(colour, (r * size + c) * 4);
    }
  };
  for (let i = 0; i + 1 < points.length; i += 2) dot(points[i], points[i + 1], FAKE_COLOUR, 1);
  const real = Math.min(set.count, SCATTER_REAL_POINTS);
  for (let i = 0; i < real; i++) dot(set.points[2 * i], set.points[2 * i + 1], REAL_COLOUR, 0);
  return { columns: 1, rows: 1, width: size, height: size, rgba, iteration };
}

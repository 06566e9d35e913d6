// The sample grid and the 2-D scatter on known inputs, pixel for pixel: a transposed tile, tiles in
// the wrong place, swapped colour channels, a y axis drawn downwards or generated points left out
// each change a pixel asserted here.
import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, type PointSet } from '../../../../src/core/data/types';
import { makeToyDataset } from '../../../../src/core/data/toy-dataset';
import {
  renderPointScatter,
  renderSampleGrid,
  SCATTER_SIZE,
  scatterHalfWidth,
} from '../../../../src/core/train/sample-grid';

/** The float whose grid byte is exactly `byte`: (v + 1) * 127.5 = byte. */
const fromByte = (byte: number) => byte / 127.5 - 1;

describe('renderSampleGrid', () => {
  // Tile n is a flat colour (R, G, B) = (10 + n, 100 + n, 200 + n) with one marked pixel at
  // x = 5, y = 7 of (250, 3, 4 + n): its place shows the tile is neither transposed nor moved.
  const side = 3;
  const images = new Float32Array(side * side * IMAGE_SIZE * IMAGE_SIZE * 3);
  for (let n = 0; n < side * side; n++) {
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) {
        const marked = x === 5 && y === 7;
        const rgb = marked ? [250, 3, 4 + n] : [10 + n, 100 + n, 200 + n];
        images.set(rgb.map(fromByte), ((n * IMAGE_SIZE + y) * IMAGE_SIZE + x) * 3);
      }
    }
  }
  const grid = renderSampleGrid(images, side, 42);
  const pixel = (px: number, py: number) =>
    Array.from(grid.rgba.slice((py * grid.width + px) * 4, (py * grid.width + px) * 4 + 4));

  it('lays tile n at column n % side, row floor(n / side), channels in RGB order, opaque', () => {
    expect(grid).toMatchObject({
      columns: side,
      rows: side,
      width: side * IMAGE_SIZE,
      height: side * IMAGE_SIZE,
      iteration: 42,
    });
    for (let n = 0; n < side * side; n++) {
      const [left, top] = [(n % side) * IMAGE_SIZE, Math.floor(n / side) * IMAGE_SIZE];
      expect(pixel(left, top), `tile ${n} corner`).toEqual([10 + n, 100 + n, 200 + n, 255]);
      expect(pixel(left + 5, top + 7), `tile ${n} marked pixel`).toEqual([250, 3, 4 + n, 255]);
      expect(pixel(left + 7, top + 5), `tile ${n} transposed place`).toEqual([10 + n, 100 + n, 200 + n, 255]);
    }
  });

  it('clamps values outside [-1, 1] and draws NaN black', () => {
    const one = new Float32Array(IMAGE_SIZE * IMAGE_SIZE * 3).fill(2);
    one.set([-3, Number.NaN, 0], 0);
    const tile = renderSampleGrid(one, 1, 0);
    expect(Array.from(tile.rgba.slice(0, 4))).toEqual([0, 0, 128, 255]); // 0 -> 127.5, rounded to even
    expect(Array.from(tile.rgba.slice(4, 8))).toEqual([255, 255, 255, 255]);
  });
});

describe('renderPointScatter', () => {
  const FAKE = [217, 95, 2, 255];
  const REAL = [40, 40, 40, 255];
  const WHITE = [255, 255, 255, 255];
  const ring = makeToyDataset('ring8', 1);
  const half = scatterHalfWidth(ring);
  const at = (grid: ReturnType<typeof renderPointScatter>, row: number, column: number) =>
    Array.from(grid.rgba.slice((row * SCATTER_SIZE + column) * 4, (row * SCATTER_SIZE + column) * 4 + 4));
  // A set with no real point near the generated ones: its single real point is moved to a corner.
  const set: PointSet = { ...ring, points: Float32Array.from([-half, -half]) };

  // The data coordinate of the centre of pixel column c (row r counts down from the top).
  const xOf = (column: number) => ((column + 0.5) / SCATTER_SIZE) * 2 * half - half;
  const yOf = (row: number) => half - ((row + 0.5) / SCATTER_SIZE) * 2 * half;

  it('draws each generated point as a 3x3 orange dot where x grows right and y grows up', () => {
    const generated = Float32Array.from([xOf(128), yOf(128), xOf(192), yOf(64), xOf(64), yOf(96)]);
    const grid = renderPointScatter(generated, set, 7);
    expect(grid).toMatchObject({ width: SCATTER_SIZE, height: SCATTER_SIZE, iteration: 7 });
    // Up and right of the centre is up and right on the canvas: row 64 is in the upper half.
    for (const [row, column] of [
      [128, 128],
      [64, 192],
      [96, 64],
    ]) {
      for (const [dr, dc] of [
        [-1, -1],
        [0, 0],
        [1, 1],
        [-1, 1],
      ])
        expect(at(grid, row + dr, column + dc), `${row + dr},${column + dc}`).toEqual(FAKE);
      expect(at(grid, row + 2, column), `below the dot at ${row},${column}`).toEqual(WHITE);
    }
    expect(at(grid, 192, 192), 'the mirror image in y').toEqual(WHITE);
    // The real point (-h, -h) is the bottom-left pixel, dark, one pixel.
    expect(at(grid, SCATTER_SIZE - 1, 0)).toEqual(REAL);
    expect(at(grid, SCATTER_SIZE - 2, 1)).toEqual(WHITE);
    const orange = grid.rgba.reduce(
      (count, _, i) => count + (i % 4 === 0 && grid.rgba[i] === 217 && grid.rgba[i + 1] === 95 ? 1 : 0),
      0,
    );
    expect(orange).toBe(3 * 9);
  });

  it('draws points outside the view on its edge and skips NaN', () => {
    const grid = renderPointScatter(Float32Array.from([10 * half, 0, Number.NaN, 0]), set, 0);
    expect(at(grid, 128, SCATTER_SIZE - 1)).toEqual(FAKE);
    expect(at(grid, 128, SCATTER_SIZE - 2)).toEqual(FAKE);
  });
});

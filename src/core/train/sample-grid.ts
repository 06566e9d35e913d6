// Lays generated images (NHWC floats in [-1, 1]) out as one RGBA grid for a canvas.
import { IMAGE_SIZE } from '../data/types';
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

// The square of the plane a 2-D run is shown on: the page's scatter draws it, and the worker
// computes D's heat map over the same square, so the two line up cell for cell.
import type { ToyDatasetName } from '../config/schema';
import type { ToyModeSet } from './toy-modes';

/** Half-width of the square view of each toy set: [-3, 3]^2 for ring8, [-5.5, 5.5]^2 for grid25. */
export const TOY_VIEW_HALF_WIDTH: Record<ToyDatasetName, number> = { ring8: 3, grid25: 5.5 };

/**
 * The half-width of the view: the set's own for ring8 and grid25, otherwise 1.5 times (the largest
 * mode coordinate + 3 std), so every mode sits well inside it.
 */
export function toyViewHalfWidth(dataset: ToyDatasetName | null, mixture: Pick<ToyModeSet, 'modes' | 'std'>): number {
  if (dataset) return TOY_VIEW_HALF_WIDTH[dataset];
  let largest = 0;
  for (const [x, y] of mixture.modes) largest = Math.max(largest, Math.abs(x), Math.abs(y));
  return 1.5 * (largest + 3 * mixture.std) || 1;
}

// What the 2-D toy panels draw (the scatter of real against generated points, the mode-count
// chart), built from the page's state by pure functions, like observatory-rows.ts: no React, no DOM.
import type { ToyDatasetName } from '../../core/config/schema';
import type { CoveragePoint } from '../../core/metrics/mode-coverage';
import { finiteOrNull } from '../../core/numbers';
import type { TimeRow } from '../observatory/observatory-rows';

export const MODES_KEY = 'modes';
export const HQ_SHARE_KEY = 'hq';
export const KL_KEY = 'kl';

/** Rows of the mode-count chart: modes captured, the high-quality share (0-1) and KL from uniform (nats). */
export function coverageRows(history: readonly CoveragePoint[]): TimeRow[] {
  return history.map((p) => ({
    iteration: p.iteration,
    [MODES_KEY]: finiteOrNull(p.modesCaptured),
    [HQ_SHARE_KEY]: finiteOrNull(p.highQualityShare),
    [KL_KEY]: finiteOrNull(p.klFromUniform),
  }));
}

/** M of the latest read-back (0 without one). */
export function latestModeCount(history: readonly CoveragePoint[]): number {
  return history.length ? history[history.length - 1].modeCount : 0;
}

// ---------------------------------------------------------------------------------------------
// Scatter geometry

// The view's half-width lives in core, where the worker's heat-map window is computed too.
export { TOY_VIEW_HALF_WIDTH, toyViewHalfWidth } from '../../core/data/toy-view';

/**
 * A coordinate in the view [-half, half] to a pixel of a `size`-pixel canvas: x left to right,
 * y (flip) bottom to top. Values outside the view land on the nearest edge, so a generator that
 * runs away stays visible; NaN gives NaN (not drawn).
 */
export function toPixel(value: number, half: number, size: number, flip = false): number {
  if (Number.isNaN(value)) return Number.NaN;
  const unit = Math.min(1, Math.max(0, (value + half) / (2 * half)));
  const pixel = unit * (size - 1);
  return flip ? size - 1 - pixel : pixel;
}

// ---------------------------------------------------------------------------------------------
// Data panel

const TOY_DESCRIPTIONS: Record<ToyDatasetName, string> = {
  ring8: '8 Gaussians on a ring of radius 2, std 0.02',
  grid25: '25 Gaussians on a 5x5 grid, std 0.05',
};

/** The toy set a loaded data set's name belongs to ("ring8: ..." is ring8), or null for images. */
export function toyDatasetOf(name: string | undefined): ToyDatasetName | null {
  if (!name) return null;
  for (const toy of Object.keys(TOY_DESCRIPTIONS) as ToyDatasetName[]) {
    if (name === toy || name.startsWith(`${toy}:`)) return toy;
  }
  return null;
}

export function toyDescription(name: ToyDatasetName): string {
  return TOY_DESCRIPTIONS[name];
}

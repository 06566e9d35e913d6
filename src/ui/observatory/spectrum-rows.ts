// The rows of the spectrum panel: normalized singular-value curves of picked snapshots, and the
// heat map of every snapshot of one layer. Pure functions over the page's spectra, like
// observatory-rows.ts, split off so each file holds one panel's rows.
import type { SpectrumSnapshot } from '../../core/metrics/types';
import { finiteOrNull } from '../../core/numbers';
import { curveKey } from './observatory-rows';

/**
 * At most max + 1 of `count` items, evenly spaced, the first and the latest always among them
 * (ascending, no repeats). All of them when there are few.
 */
export function pickEvenly(count: number, max: number): number[] {
  if (count <= 0) return [];
  if (count <= max + 1) return Array.from({ length: count }, (_, i) => i);
  if (max < 1) return [count - 1];
  const picked = new Set<number>();
  for (let k = 0; k <= max; k++) picked.add(Math.round((k * (count - 1)) / max));
  return [...picked].sort((a, b) => a - b);
}

/** s_i / s_1 of a descending list of singular values; null where undefined or non-finite. */
export function normalizedSpectrum(values: readonly number[] | undefined): (number | null)[] {
  if (!values || values.length === 0) return [];
  const top = values[0];
  if (!Number.isFinite(top) || top <= 0) return values.map(() => null);
  return values.map((s) => finiteOrNull(s / top));
}

export interface SpectrumCurve {
  key: string;
  iteration: number;
  /** Position of the snapshot in `spectra`. */
  snapshot: number;
}

export interface SpectrumCurves {
  /** One row per singular value index (1-based), a column per curve: s_i / s_1 of the effective weight. */
  rows: { index: number; [key: string]: number | null }[];
  curves: SpectrumCurve[];
}

/** The snapshots drawn as spectrum curves: at most `maxCurves` + 1, evenly spaced, the latest always. */
export function spectrumCurvePicks(spectra: readonly SpectrumSnapshot[], maxCurves: number): SpectrumCurve[] {
  return pickEvenly(spectra.length, maxCurves).map((snapshot, k) => ({
    key: curveKey(k),
    iteration: spectra[snapshot].iteration,
    snapshot,
  }));
}

/** Normalized effective spectrum of layer `layer` at each picked snapshot, against the index i. */
export function spectrumCurveRows(
  spectra: readonly SpectrumSnapshot[],
  layer: number,
  curves: readonly SpectrumCurve[],
): SpectrumCurves {
  const columns = curves.map((curve) => normalizedSpectrum(spectra[curve.snapshot]?.layers[layer]?.effective));
  const size = columns.reduce((most, column) => Math.max(most, column.length), 0);
  const rows = Array.from({ length: size }, (_, i) => {
    const row: { index: number; [key: string]: number | null } = { index: i + 1 };
    curves.forEach((curve, k) => {
      row[curve.key] = i < columns[k].length ? columns[k][i] : null;
    });
    return row;
  });
  return { rows, curves: [...curves] };
}

export interface SpectrumHeatmap {
  /** One column per snapshot, oldest first. */
  iterations: number[];
  /** Rows: singular value index 1..size, top to bottom. */
  size: number;
  /** log10(s_i / s_1) of row i (0-based), column j at values[i * iterations.length + j]; NaN where missing. */
  values: Float64Array;
  /** The colour scale runs from 10^floor (an integer, at most -1) to 1. */
  floor: number;
}

/** Lowest decade any heat map's colour scale goes down to. */
export const HEATMAP_MIN_DECADE = -8;

/** The history of layer `layer`'s normalized effective spectrum, for a heat map. */
export function spectrumHeatmap(spectra: readonly SpectrumSnapshot[], layer: number): SpectrumHeatmap {
  const columns = spectra.map((snapshot) => normalizedSpectrum(snapshot.layers[layer]?.effective));
  const size = columns.reduce((most, column) => Math.max(most, column.length), 0);
  const width = columns.length;
  const values = new Float64Array(size * width).fill(Number.NaN);
  let lowest = 0;
  columns.forEach((column, j) => {
    column.forEach((ratio, i) => {
      if (ratio === null || ratio <= 0) return;
      const value = Math.log10(ratio);
      values[i * width + j] = value;
      if (value < lowest) lowest = value;
    });
  });
  const floor = Math.max(HEATMAP_MIN_DECADE, Math.min(-1, Math.floor(lowest)));
  return { iterations: spectra.map((s) => s.iteration), size, values, floor };
}

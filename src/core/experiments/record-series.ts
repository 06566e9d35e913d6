// Small readings of a metrics record that the experiments' criteria are written in.
import type { LayerSpectrum, SpectrumSnapshot } from '../metrics/types';
import type { MetricsRecord } from '../runs/metrics-record';

/** Significant digits for a figure in a verdict line. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(3)).toString();
}

export function lastSnapshot(record: MetricsRecord): SpectrumSnapshot | undefined {
  return record.spectra[record.spectra.length - 1];
}

/** Layers the collapse indicator tracks (two or more singular values). */
export function trackedLayers(snapshot: SpectrumSnapshot): LayerSpectrum[] {
  return snapshot.layers.filter((layer) => layer.effective.length >= 2);
}

/** The lowest collapse indicator over the tracked layers (NaN when none is tracked). */
export function minCollapse(snapshot: SpectrumSnapshot): number {
  const values = trackedLayers(snapshot).map((layer) => layer.collapse);
  return values.length > 0 ? Math.min(...values) : Number.NaN;
}

/** The largest effective top singular value over the layers (exact decomposition). */
export function maxEffectiveTop(snapshot: SpectrumSnapshot): number {
  return Math.max(...snapshot.layers.map((layer) => layer.effective[0] ?? 0));
}

/** max over layers of |s_1(effective) - 1|: how far SN's estimate is from the exact top value. */
export function worstUnitError(snapshot: SpectrumSnapshot): number {
  return Math.max(...snapshot.layers.map((layer) => Math.abs((layer.effective[0] ?? 0) - 1)));
}

/**
 * The closest pair at the top of a raw spectrum, max over layers of s_2 / s_1: power iteration
 * converges like (s_2 / s_1)^(2k), so near 1 one iteration per step cannot separate s_1 from s_2.
 */
export function topPairRatio(snapshot: SpectrumSnapshot): number {
  const ratios = snapshot.layers
    .filter((layer) => layer.raw.length >= 2 && layer.raw[0] > 0)
    .map((layer) => layer.raw[1] / layer.raw[0]);
  return ratios.length > 0 ? Math.max(...ratios) : Number.NaN;
}

/** Where |s_1(effective) - 1| is largest over `snapshots`: the layer, the iteration and that layer's raw s_2 / s_1. */
export function worstUnitErrorAt(
  snapshots: readonly SpectrumSnapshot[],
): { layer: string; iteration: number; error: number; pairRatio: number } | null {
  let worst: { layer: string; iteration: number; error: number; pairRatio: number } | null = null;
  for (const snapshot of snapshots) {
    for (const layer of snapshot.layers) {
      const error = Math.abs((layer.effective[0] ?? 0) - 1);
      if (!worst || error > worst.error) {
        const pairRatio = layer.raw.length >= 2 && layer.raw[0] > 0 ? layer.raw[1] / layer.raw[0] : Number.NaN;
        worst = { layer: layer.name, iteration: snapshot.iteration, error, pairRatio };
      }
    }
  }
  return worst;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median of the first or last quarter of a series (at least one value). */
export function quarterMedian(values: readonly number[], which: 'first' | 'last'): number {
  const size = Math.max(1, Math.floor(values.length / 4));
  return median(which === 'first' ? values.slice(0, size) : values.slice(values.length - size));
}

export const TAIL_READ_BACKS = 5;

/** Modes captured: median of the last five read-backs (one read-back swings by a mode or two). */
export function tailModes(record: MetricsRecord): { modes: number; modeCount: number; iteration: number } | null {
  const coverage = record.coverage ?? [];
  if (coverage.length === 0) return null;
  const tail = coverage.slice(-TAIL_READ_BACKS);
  const last = tail[tail.length - 1];
  return {
    modes: median(tail.map((point) => point.modesCaptured)),
    modeCount: last.modeCount,
    iteration: last.iteration,
  };
}

/** D's input-gradient maxima over the run (real and generated batch). */
export function inputGradientMaxima(record: MetricsRecord): number[] {
  return record.history.flatMap((point) => (point.lipschitz ? [point.lipschitz.realMax, point.lipschitz.fakeMax] : []));
}

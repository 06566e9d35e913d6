// The rows the spectral-observatory charts draw, built from the page's state by pure functions (no
// React, no DOM) so they can be tested on hand-computed inputs. Panels call these inside useMemo and
// draw what they return; every non-finite number becomes null, which the charts draw as a gap.
//
// Row columns use short synthetic keys (`l0`, `x0`, `g0`, `c0`, ...) rather than layer names: a name
// such as "D.block2.shortcut" would read as a property path to a chart library's value lookup. Readable names
// travel in the series specs (legend, tooltip, CSV header).
import type { CollapseAlarm, SpectrumSnapshot } from '../../core/metrics/types';
import type { MetricsPoint } from '../../core/train/types';
import { smoothSeries } from '../../core/metrics/smoothing';
import { finiteOrNull } from '../../core/numbers';

/** A stable empty list, so `info?.layerNames ?? NO_LAYERS` does not defeat useMemo. */
export const NO_LAYERS: readonly string[] = [];

/** One row of a chart over G iterations: `iteration` plus one column per series key. */
export interface TimeRow {
  iteration: number;
  [key: string]: number | null;
}

/** One drawn series of a chart. */
export interface SeriesSpec {
  /** Column of the rows. */
  key: string;
  /** Legend, tooltip and CSV header. */
  name: string;
  color: string;
  /** 'line' (default), or 'marker': dots only, for sparse exact values beside a line. */
  kind?: 'line' | 'marker';
  /** A marker's symbol (default diamond); 'dash' is a short horizontal bar, e.g. a bound. */
  marker?: 'circle' | 'diamond' | 'dash';
  /** Smoothed by the page's EMA setting (series read back every few iterations). */
  smooth?: boolean;
  /** Stroke width (default 1.5). */
  width?: number;
  dashed?: boolean;
}

/** For log scales: only finite positive values are drawable. */
export function positiveOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

// ---------------------------------------------------------------------------------------------
// Keys

export const estimateKey = (layer: number) => `l${layer}`;
export const exactKey = (layer: number) => `x${layer}`;
export const gradKey = (layer: number) => `g${layer}`;
export const GRAD_TOTAL_KEY = 'total';
export const collapseKey = (layer: number) => `c${layer}`;
export const ratioKey = (layer: number) => `v${layer}`;
export const curveKey = (curve: number) => `s${curve}`;
/** The column holding a series' smoothed values, beside its raw column. */
export const smoothedKey = (key: string) => `${key}__smooth`;

// ---------------------------------------------------------------------------------------------
// Time rows

/** Names of the D layers the snapshots describe (the latest snapshot's; [] without snapshots). */
export function spectrumLayerNames(spectra: readonly SpectrumSnapshot[]): string[] {
  const latest = spectra[spectra.length - 1];
  return latest ? latest.layers.map((layer) => layer.name) : [];
}

/** Where each snapshot layer goes among `layerNames`: by name, else by position; -1 when nowhere. */
function layerSlots(snapshot: SpectrumSnapshot, layerNames: readonly string[]): number[] {
  const byName = new Map(layerNames.map((name, i) => [name, i]));
  return snapshot.layers.map((layer, j) => byName.get(layer.name) ?? (j < layerNames.length ? j : -1));
}

/**
 * The sigma chart: the power iteration's estimate per layer at each read-back (`l<i>`), merged on
 * the iteration with the exact s_1 of each raw weight at each spectrum snapshot (`x<i>`). A row holds
 * every key; what was not measured at that iteration is null.
 */
export function sigmaExactRows(
  history: readonly MetricsPoint[],
  layerNames: readonly string[],
  spectra: readonly SpectrumSnapshot[],
): TimeRow[] {
  const byIteration = new Map<number, TimeRow>();
  const rowAt = (iteration: number): TimeRow => {
    let row = byIteration.get(iteration);
    if (!row) {
      row = { iteration };
      layerNames.forEach((_, i) => {
        row![estimateKey(i)] = null;
        row![exactKey(i)] = null;
      });
      byIteration.set(iteration, row);
    }
    return row;
  };
  for (const point of history) {
    const row = rowAt(point.iteration);
    layerNames.forEach((_, i) => {
      row[estimateKey(i)] = finiteOrNull(point.sigmas?.[i]);
    });
  }
  for (const snapshot of spectra) {
    if (!layerNames.length) break;
    const row = rowAt(snapshot.iteration);
    layerSlots(snapshot, layerNames).forEach((slot, j) => {
      if (slot >= 0) row[exactKey(slot)] = finiteOrNull(snapshot.layers[j].raw?.[0]);
    });
  }
  return [...byIteration.values()].sort((a, b) => a.iteration - b.iteration);
}

/** Per-layer D gradient norms (`g<i>`) and the whole D's (`total`) at each read-back. */
export function gradientRows(history: readonly MetricsPoint[], layerNames: readonly string[]): TimeRow[] {
  return history.map((point) => {
    const row: TimeRow = { iteration: point.iteration };
    layerNames.forEach((_, i) => {
      row[gradKey(i)] = finiteOrNull(point.gradNorms?.[i]);
    });
    row[GRAD_TOTAL_KEY] = finiteOrNull(point.gradNormTotal);
    return row;
  });
}

/** A per-layer quantity of each snapshot, one row per snapshot, keyed by `key(layer)`. */
function snapshotRows(
  spectra: readonly SpectrumSnapshot[],
  layerNames: readonly string[],
  key: (layer: number) => string,
  value: (snapshot: SpectrumSnapshot, j: number) => number | null,
): TimeRow[] {
  return spectra.map((snapshot) => {
    const row: TimeRow = { iteration: snapshot.iteration };
    layerNames.forEach((_, i) => {
      row[key(i)] = null;
    });
    layerSlots(snapshot, layerNames).forEach((slot, j) => {
      if (slot >= 0) row[key(slot)] = value(snapshot, j);
    });
    return row;
  });
}

/** Collapse indicator of each layer's effective spectrum (`c<i>`), one row per snapshot. */
export function collapseRows(spectra: readonly SpectrumSnapshot[], layerNames: readonly string[]): TimeRow[] {
  return snapshotRows(spectra, layerNames, collapseKey, (s, j) => finiteOrNull(s.layers[j].collapse));
}

/** Effective weight variance over the LeCun-like bound 1/max(m, n) (`v<i>`), one row per snapshot. */
export function varianceRatioRows(spectra: readonly SpectrumSnapshot[], layerNames: readonly string[]): TimeRow[] {
  return snapshotRows(spectra, layerNames, ratioKey, (s, j) => {
    const layer = s.layers[j];
    const bound = positiveOrNull(layer.lecunBound);
    return bound === null ? null : finiteOrNull(layer.effectiveVariance / bound);
  });
}

// ---------------------------------------------------------------------------------------------
// Variance against its bounds

export interface VarianceRow {
  layer: string;
  variance: number | null;
  lecun: number | null;
  xavier: number | null;
}

/** Per layer at one snapshot: the effective weight's variance beside the two bounds (positive or null). */
export function varianceRows(snapshot: SpectrumSnapshot | undefined): VarianceRow[] {
  if (!snapshot) return [];
  return snapshot.layers.map((layer) => ({
    layer: layer.name,
    variance: positiveOrNull(layer.effectiveVariance),
    lecun: positiveOrNull(layer.lecunBound),
    xavier: positiveOrNull(layer.xavierBound),
  }));
}

/** Legend names of the two bounds; the Xavier-like one carries BSSN's c² when the snapshot is BSSN. */
export function boundNames(norm: string | undefined): { lecun: string; xavier: string } {
  return {
    lecun: '1/max(m,n) (LeCun-like)',
    xavier: norm === 'bssn' ? '2/(fan_in+fan_out) × c² (BSSN)' : '2/(fan_in+fan_out)',
  };
}

// ---------------------------------------------------------------------------------------------
// Alarms

function short(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(2))) : 'n/a';
}

export function alarmText(alarm: CollapseAlarm): string {
  return (
    `Spectral collapse: layer ${alarm.layer} at iteration ${alarm.iteration} ` +
    `(indicator ${short(alarm.value)}, down from ${short(alarm.peak)} at iteration ${alarm.peakIteration}` +
    `${alarm.since !== undefined && alarm.since !== alarm.iteration ? `, low since iteration ${alarm.since}` : ''})`
  );
}

/** The `count` most recent alarms, most recent first (alarms arrive in the order raised). */
export function recentAlarms(alarms: readonly CollapseAlarm[], count: number): CollapseAlarm[] {
  return alarms.slice(Math.max(0, alarms.length - count)).reverse();
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers: smoothing, log scales, number formats, CSV tables

/**
 * Adds a smoothed column (`smoothedKey(key)`) beside each of `keys`, with TensorBoard's debiased
 * EMA of weight `weight`; the raw columns are kept as they are. Weight 0 copies the raw values.
 */
export function withSmoothed<R extends { [key: string]: number | null }>(
  rows: readonly R[],
  keys: readonly string[],
  weight: number,
): (R & Record<string, number | null>)[] {
  const out = rows.map((row) => ({ ...row }) as R & Record<string, number | null>);
  for (const key of keys) {
    const raw = rows.map((row) => finiteOrNull(row[key]));
    const smoothed = weight > 0 ? smoothSeries(raw, weight) : raw;
    out.forEach((row, i) => {
      (row as Record<string, number | null>)[smoothedKey(key)] = finiteOrNull(smoothed[i]);
    });
  }
  return out;
}

/** For a log axis: the named columns keep only finite positive values (others become null). */
export function logSafeRows<R extends { [key: string]: number | null }>(
  rows: readonly R[],
  keys: readonly string[],
): R[] {
  return rows.map((row) => {
    const copy = { ...row } as Record<string, number | null>;
    for (const key of keys) if (key in copy) copy[key] = positiveOrNull(copy[key]);
    return copy as R;
  });
}

/** Whole decades around the finite positive values of the named columns; null when there are none. */
export function logDomain(
  rows: readonly { [key: string]: number | null }[],
  keys: readonly string[],
): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const row of rows) {
    for (const key of keys) {
      const value = positiveOrNull(row[key]);
      if (value === null) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  if (!(low <= high)) return null;
  const lo = Math.floor(Math.log10(low) + 1e-12);
  let hi = Math.ceil(Math.log10(high) - 1e-12);
  if (hi <= lo) hi = lo + 1;
  return [10 ** lo, 10 ** hi];
}

/** Ticks for a log axis over whole decades: 1-2-5 steps over up to two decades, else decades. */
export function logTicks(domain: readonly [number, number]): number[] {
  const lo = Math.round(Math.log10(domain[0]));
  const hi = Math.round(Math.log10(domain[1]));
  const decades = hi - lo;
  const ticks: number[] = [];
  if (decades <= 2) {
    for (let d = lo; d <= hi; d++)
      for (const m of d === hi ? [1] : [1, 2, 5]) ticks.push(Number((m * 10 ** d).toPrecision(3)));
    return ticks;
  }
  const step = Math.ceil(decades / 8);
  for (let d = lo; d <= hi; d += step) ticks.push(Number((10 ** d).toPrecision(3)));
  return ticks;
}

/** A value in a tooltip: full precision (6 significant digits); a dash for none. */
export function formatValue(value: unknown): string {
  if (typeof value !== 'number') return '–';
  if (!Number.isFinite(value)) return String(value);
  return value.toPrecision(6);
}

/** An axis tick: short. */
export function formatTick(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const size = Math.abs(value);
  if (size >= 1e4 || size < 1e-3) return value.toExponential(0).replace('e+', 'e');
  return String(Number(value.toPrecision(3)));
}

/** An iteration (or index) tick: 25000 reads 25k, like TensorBoard's step axis. */
export function formatCount(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  if (Math.abs(value) >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (Math.abs(value) >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(6)));
}

/** A chart's CSV: its x column first, then one column per series, headed by the series' names. */
export function csvTable(
  rows: readonly { [key: string]: unknown }[],
  x: { key: string; name: string },
  series: readonly Pick<SeriesSpec, 'key' | 'name'>[],
): { columns: string[]; rows: Record<string, unknown>[] } {
  const columns = [x.name, ...series.map((s) => s.name)];
  return {
    columns,
    rows: rows.map((row) => {
      const out: Record<string, unknown> = { [x.name]: row[x.key] };
      for (const s of series) out[s.name] = row[s.key] ?? null;
      return out;
    }),
  };
}

/** The spectrum chart's CSV: one row per layer and index, a column per drawn snapshot (s_i / s_1). */
export function spectrumCsvTable(
  layers: readonly { name: string; rows: readonly { [key: string]: unknown }[] }[],
  series: readonly Pick<SeriesSpec, 'key' | 'name'>[],
): { columns: string[]; rows: Record<string, unknown>[] } {
  const columns = ['layer', 'index', ...series.map((s) => s.name)];
  const rows = layers.flatMap((layer) =>
    csvTable(layer.rows, { key: 'index', name: 'index' }, series).rows.map((row) => ({ layer: layer.name, ...row })),
  );
  return { columns, rows };
}

// What the spectral observatory measures. Shared by the trainer (weights out), the spectrum worker
// (exact spectra in float64), headless runs and the page's panels.
import type { NormName } from '../config/schema';

/** One D layer's weights as read back from the GPU for an exact decomposition. */
export interface LayerWeights {
  name: string;
  kind: 'conv' | 'dense';
  /** tfjs layout: conv [kh, kw, c_in, c_out], dense [in, out]. Row-major data of that shape. */
  shape: number[];
  /** The raw weight the optimizer updates (what power iteration estimates sigma of). */
  raw: Float32Array;
  /** The weight the forward pass uses (after the normalization). */
  effective: Float32Array;
}

/** Every D layer's weights at one G iteration, plus what the variance bounds depend on. */
export interface WeightSnapshot {
  iteration: number;
  norm: NormName;
  /** BSSN's c, for the Xavier-like variance counterpart (c^2 * 2 / (fan_in + fan_out)). */
  bssnScale: number;
  layers: LayerWeights[];
}

/** Exact decomposition of one layer's matrix c_out x (c_in*kh*kw) (dense: out x in). */
export interface LayerSpectrum {
  name: string;
  /** c_out (dense: out). */
  rows: number;
  /** c_in*kh*kw (dense: in). */
  cols: number;
  /** kh*kw (1 for dense); fan_in = c_in*kh*kw, fan_out = c_out*kh*kw. */
  kernelArea: number;
  /** Singular values of the raw weight, descending; min(rows, cols) of them. */
  raw: number[];
  /** Singular values of the effective weight, descending. */
  effective: number[];
  /** Variance of the effective weight's elements. */
  effectiveVariance: number;
  /** The BSSN paper's bound for SN: Var(W / sigma(W)) is about 1 / max(m, n) (LeCun-like). */
  lecunBound: number;
  /** The Xavier-like counterpart 2 / (fan_in + fan_out), times c^2 when the snapshot's norm is bssn. */
  xavierBound: number;
  /** Collapse indicator of the effective spectrum (see collapse.ts): stable rank / number of singular values. */
  collapse: number;
}

/** A collapse alarm: a layer's indicator fell sharply below its own recent peak. */
export interface CollapseAlarm {
  /** G iteration of the snapshot that raised it. */
  iteration: number;
  layerIndex: number;
  layer: string;
  value: number;
  /** The recent peak it fell from, and the iteration of that peak. */
  peak: number;
  peakIteration: number;
  /**
   * Iteration of the first snapshot of this collapse episode (the alarm comes `persist` snapshots later; equal with
   * persist 1). Absent in older records.
   */
  since?: number;
}

export interface SpectrumSnapshot {
  iteration: number;
  norm: NormName;
  layers: LayerSpectrum[];
  /** Alarms raised by this snapshot (each layer at most once per collapse episode). */
  alarms: CollapseAlarm[];
  /** Seconds the exact decompositions of all layers took. */
  computeSeconds: number;
}

/**
 * When a collapse alarm fires: value < (1 - drop) * max(value over the previous `window` snapshots),
 * held for `persist` snapshots in a row (collapse.ts).
 */
export interface CollapseAlarmOptions {
  drop: number;
  window: number;
  persist: number;
}

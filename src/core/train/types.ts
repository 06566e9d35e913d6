// What the training loop reports. Shared by the worker protocol, the UI and headless runs.
import type { GanConfig, NormName } from '../config/schema';

/** One row of the metrics history, read back from the GPU every `config.every` iterations. */
export interface MetricsPoint {
  /** G iterations done when this point was read. */
  iteration: number;
  /** Wall-clock seconds since training (re)started; for iterations per second. */
  seconds: number;
  dLoss: number;
  gLoss: number;
  /** sigma(raw W) per D layer, the power iteration's estimate (same order as layerNames). */
  sigmas: number[];
  /**
   * Gradient norm |dL_D/dW| of each D layer (weight and bias together) at the last D update before
   * this read-back, same order as layerNames; NaN before the first D update.
   */
  gradNorms: number[];
  /** sqrt of the sum of the squared per-layer norms: the whole discriminator's gradient norm. */
  gradNormTotal: number;
}

export interface SampleGrid {
  /** Images per row and column of the grid. */
  columns: number;
  rows: number;
  /** (rows*32) x (columns*32) RGBA bytes, ready for ImageData. */
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  iteration: number;
}

export interface TrainerInfo {
  backend: string;
  layerNames: string[];
  parameterCount: { generator: number; discriminator: number };
  datasetName: string;
  datasetCount: number;
}

/** Fields that change the running model without a reset (at its next D update). */
export type LiveSettings = Pick<
  GanConfig,
  | 'norm'
  | 'sniters'
  | 'bssnc'
  | 'srfrac'
  | 'srevery'
  | 'orthobeta'
  | 'clipc'
  | 'loss'
  | 'every'
  | 'spectra'
  | 'collapsedrop'
  | 'collapsewindow'
>;

export const LIVE_SETTING_KEYS: readonly (keyof LiveSettings)[] = [
  'norm',
  'sniters',
  'bssnc',
  'srfrac',
  'srevery',
  'orthobeta',
  'clipc',
  'loss',
  'every',
  // Observation only: they change what is measured, never the training itself.
  'spectra',
  'collapsedrop',
  'collapsewindow',
];

/** A change of the D normalization, live or scheduled: it applies from G iteration `iteration` on. */
export interface NormSwitch {
  iteration: number;
  from: NormName;
  to: NormName;
}

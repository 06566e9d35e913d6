// What the training loop reports. Shared by the worker protocol, the UI and headless runs.
import type { ArchName, NormName } from '../config/schema';
import type { LipschitzReading } from './lipschitz-probe';

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
  /**
   * D's input-gradient norms on the real and generated batch of that D update, and the product of
   * the layers' effective sigmas (lipschitz-probe.ts); absent in records written before it existed.
   */
  lipschitz?: LipschitzReading;
}

export interface SampleGrid {
  /** Images per row and column of the grid (1 x 1 for the scatter plot of 2-D data). */
  columns: number;
  rows: number;
  /** height x width RGBA bytes, ready for ImageData: (rows*32) x (columns*32) for images, 256 x 256 for points. */
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
  /** One sample's shape: [32, 32, 3] for images, [2] for the toy 2-D points. */
  sampleShape: number[];
  /** The architecture built: config.arch for images, always `mlp` for 2-D points. */
  arch: ArchName;
}

/** Enough to rebuild a run's generator elsewhere (weights then come from readGeneratorWeights). */
export interface GeneratorSpec {
  arch: ArchName;
  gch: number;
  zdim: number;
  seed: number;
}

/** Fields that change the running model without a reset (at its next D update): FIELDS' live flags. */
export type { LiveSettings } from '../config/schema';

/** A change of the D normalization, live or scheduled: it applies from G iteration `iteration` on. */
export interface NormSwitch {
  iteration: number;
  from: NormName;
  to: NormName;
}

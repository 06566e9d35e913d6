// Messages between the page and the spectrum worker, which turns weight snapshots into exact
// spectra (float64, every singular value) so neither the page nor the training worker waits on it.
import type { CollapseAlarmOptions, SpectrumSnapshot, WeightSnapshot } from '../core/metrics/types';

export type PageToSpectrum =
  /** Decompose this snapshot; `runId` changing starts a fresh alarm history. */
  { type: 'observe'; runId: number; weights: WeightSnapshot; alarm: CollapseAlarmOptions };

export type SpectrumToPage =
  { type: 'spectrum'; runId: number; snapshot: SpectrumSnapshot } | { type: 'error'; runId: number; message: string };

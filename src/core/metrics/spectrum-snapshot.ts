// One spectrum snapshot of the discriminator: exact singular values of every layer's raw and
// effective weight, the variance-vs-bound numbers of the BSSN paper, and the collapse alarm.
// Plain typed-array code (no DOM, no tfjs): it runs in the spectrum Web Worker and in headless Node runs.
import type { NormName } from '../config/schema';
import { CollapseDetector, collapseIndicator } from './collapse';
import { layerMatrix, singularValues } from './exact-spectrum';
import type { CollapseAlarmOptions, LayerSpectrum, LayerWeights, SpectrumSnapshot, WeightSnapshot } from './types';

/**
 * How close the effective weight must be to c * raw, relative to max|effective|, to reuse raw's
 * spectrum. The effective weight comes back as float32 computed as raw / sigma (or c * raw / sigma)
 * on the GPU: a few roundings of 2^-24 each, up to a few ULP for GPU division, i.e. about 1e-7 to
 * 1e-6 of max|effective|. 1e-5 keeps a margin over that, while a genuinely non-scalar method
 * (WN's per-row norms) misses it by orders of magnitude unless its rows already have nearly equal
 * norms; and whatever the shortcut accepts moves no singular value by more than |effective - c raw|_2.
 */
export const SCALAR_MULTIPLE_TOLERANCE = 1e-5;

/** How often the exact decompositions ran and how often the scalar-multiple shortcut replaced one. */
export interface SpectrumCounters {
  decompositions: number;
  scalarShortcuts: number;
}

/**
 * The c with effective = c * raw (to SCALAR_MULTIPLE_TOLERANCE), or null when the effective weight is
 * not a scalar multiple of the raw one. Least squares c = <eff, raw> / <raw, raw>, in float64.
 */
export function scalarMultipleOf(effective: Float32Array, raw: Float32Array): number | null {
  if (effective.length !== raw.length) return null;
  if (effective === raw) return 1;
  let dot = 0;
  let rawSquares = 0;
  let effectiveMax = 0;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    const e = effective[i];
    dot += e * r;
    rawSquares += r * r;
    effectiveMax = Math.max(effectiveMax, Math.abs(e));
  }
  if (!Number.isFinite(dot) || !Number.isFinite(rawSquares) || !Number.isFinite(effectiveMax)) return null;
  if (rawSquares === 0) return effectiveMax === 0 ? 0 : null;
  const c = dot / rawSquares;
  const limit = SCALAR_MULTIPLE_TOLERANCE * effectiveMax;
  for (let i = 0; i < raw.length; i++) {
    if (Math.abs(effective[i] - c * raw[i]) > limit) return null;
  }
  return c;
}

/**
 * The exact spectrum and variance numbers of one layer. `bssnScale` only matters when `norm` is
 * 'bssn' (the Xavier-like bound is then c^2 * 2 / (fan_in + fan_out)). A weight holding NaN or
 * infinity (a diverged run) has NaN singular values and a NaN collapse indicator instead of an error.
 */
export function spectrumOfLayer(
  weights: LayerWeights,
  bssnScale: number,
  norm: NormName,
  counters?: SpectrumCounters,
): LayerSpectrum {
  const matrix = layerMatrix(weights.shape);
  const size = matrix.storageRows * matrix.storageCols;
  if (weights.raw.length !== size || weights.effective.length !== size) {
    throw new Error(
      `spectrumOfLayer(${weights.name}): shape [${weights.shape.join(', ')}] needs ${size} elements, ` +
        `got raw ${weights.raw.length} and effective ${weights.effective.length}`,
    );
  }
  const count = Math.min(matrix.rows, matrix.cols);
  const decompose = (data: Float32Array): number[] => {
    if (!allFinite(data)) return new Array<number>(count).fill(NaN);
    if (counters) counters.decompositions++;
    return Array.from(singularValues(data, matrix.storageRows, matrix.storageCols));
  };

  const raw = decompose(weights.raw);
  const scale = allFinite(weights.raw) ? scalarMultipleOf(weights.effective, weights.raw) : null;
  let effective: number[];
  if (scale !== null) {
    // Most methods forward c * W (none, clip, ortho: c = 1; SN, SR, BSSN: c / sigma): same spectrum times |c|.
    if (counters) counters.scalarShortcuts++;
    const factor = Math.abs(scale);
    effective = raw.map((s) => s * factor);
  } else {
    effective = decompose(weights.effective);
  }

  const fanIn = matrix.cols;
  const fanOut = matrix.rows * matrix.kernelArea;
  const xavierScale = norm === 'bssn' ? bssnScale * bssnScale : 1;
  return {
    name: weights.name,
    rows: matrix.rows,
    cols: matrix.cols,
    kernelArea: matrix.kernelArea,
    raw,
    effective,
    effectiveVariance: populationVariance(weights.effective),
    lecunBound: 1 / Math.max(matrix.rows, matrix.cols),
    xavierBound: (xavierScale * 2) / (fanIn + fanOut),
    collapse: collapseIndicator(effective),
  };
}

/**
 * Turns weight snapshots into spectrum snapshots for one run, keeping the collapse detector's history.
 * `counters` shows how often the scalar-multiple shortcut saved a decomposition.
 */
export class SpectrumObserver {
  readonly counters: SpectrumCounters = { decompositions: 0, scalarShortcuts: 0 };
  private readonly detector = new CollapseDetector();

  observe(snapshot: WeightSnapshot, options: CollapseAlarmOptions): SpectrumSnapshot {
    const start = performance.now();
    const layers = snapshot.layers.map((layer) =>
      spectrumOfLayer(layer, snapshot.bssnScale, snapshot.norm, this.counters),
    );
    const computeSeconds = (performance.now() - start) / 1000;
    const alarms = this.detector.observe(
      snapshot.iteration,
      layers.map((layer) => layer.collapse),
      layers.map((layer) => layer.name),
      options,
      layers.map((layer) => layer.effective.length),
    );
    return { iteration: snapshot.iteration, norm: snapshot.norm, layers, alarms, computeSeconds };
  }

  /** Forgets the alarm history (a new run on the same observer). */
  reset(): void {
    this.detector.reset();
  }
}

function allFinite(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return false;
  return true;
}

/** Population variance (divide by N) in float64, two passes for accuracy. */
function populationVariance(data: Float32Array): number {
  if (data.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const mean = sum / data.length;
  let squares = 0;
  for (let i = 0; i < data.length; i++) {
    const deviation = data[i] - mean;
    squares += deviation * deviation;
  }
  return squares / data.length;
}

// Spectral collapse (SR-GAN paper): when mode collapse sets in, most normalized singular values
// s_i / s_1 of a D layer drop sharply while s_1 stays. One number per layer tracks that shape:
//
//   indicator = stable rank / r = (sum_i s_i^2 / s_1^2) / r,  r = number of singular values.
//
// It lies in (0, 1]: 1 for a flat spectrum (or a single value), about 1/r when s_1 dominates. It does
// not depend on the weight's scale, so normalizations that rescale W (SN, BSSN) leave it unchanged.
//
// Alarm rule, per layer, evaluated at every spectrum snapshot:
//   peak      = the largest indicator of that layer over the previous `window` snapshots
//               (the current one excluded; no peak, hence no alarm, on the first snapshot);
//   collapsed = indicator < (1 - drop) * peak;
//   an alarm is raised when the layer goes from not collapsed to collapsed, so one alarm per
//   collapse episode. The layer is re-armed once it is no longer collapsed under the rule: either it
//   recovers, or its low values fill the whole window and become the new reference.
// Layers with fewer than 2 singular values are never tracked (their indicator is constantly 1).
import type { CollapseAlarm, CollapseAlarmOptions } from './types';

/**
 * Stable rank / number of singular values, for singular values (non-negative; any order, though the
 * spectra here come descending). All-zero input and an empty spectrum give 0 (nothing left), so the
 * result is never NaN for finite input; a NaN or infinite value (a diverged weight) gives NaN, which
 * the detector does not track: divergence is not spectral collapse.
 */
export function collapseIndicator(singularValues: ArrayLike<number>): number {
  const r = singularValues.length;
  let largest = 0;
  for (let i = 0; i < r; i++) {
    const value = Math.abs(singularValues[i]);
    if (!Number.isFinite(value)) return NaN;
    largest = Math.max(largest, value);
  }
  if (largest === 0) return 0;
  let sumSquares = 0;
  for (let i = 0; i < r; i++) {
    const ratio = singularValues[i] / largest; // scale first so huge or tiny values cannot overflow
    sumSquares += ratio * ratio;
  }
  return Math.min(1, sumSquares / r);
}

interface LayerHistory {
  name: string;
  /** The last `window` snapshots, oldest first; NaN where the layer was not tracked. */
  values: number[];
  iterations: number[];
  collapsed: boolean;
}

/**
 * The alarm rule above for one run: feed it every spectrum snapshot in order. Keyed by layer index;
 * a layer whose name changes at that index starts a fresh history.
 */
export class CollapseDetector {
  private layers: LayerHistory[] = [];

  /**
   * `values[i]` is layer i's collapse indicator at this snapshot. Pass NaN (or use
   * `singularValueCounts`) for layers that must not be tracked; a layer whose count is below 2 is
   * never tracked. Returns the alarms this snapshot raises.
   */
  observe(
    iteration: number,
    values: readonly number[],
    layerNames: readonly string[],
    options: CollapseAlarmOptions,
    singularValueCounts?: readonly number[],
  ): CollapseAlarm[] {
    if (layerNames.length !== values.length) {
      throw new Error(`CollapseDetector: ${values.length} values for ${layerNames.length} layer names`);
    }
    const window = Math.max(0, Math.floor(options.window));
    const alarms: CollapseAlarm[] = [];
    this.layers.length = Math.min(this.layers.length, values.length);
    for (let index = 0; index < values.length; index++) {
      const name = layerNames[index];
      let history = this.layers[index];
      if (history === undefined || history.name !== name) {
        history = { name, values: [], iterations: [], collapsed: false };
        this.layers[index] = history;
      }
      const tracked = Number.isFinite(values[index]) && (singularValueCounts === undefined || singularValueCounts[index] >= 2);
      const value = tracked ? values[index] : NaN;

      if (tracked) {
        const peak = windowPeak(history);
        const collapsed = peak !== null && value < (1 - options.drop) * peak.value;
        if (collapsed && !history.collapsed && peak !== null) {
          alarms.push({ iteration, layerIndex: index, layer: name, value, peak: peak.value, peakIteration: peak.iteration });
        }
        history.collapsed = collapsed;
      }

      history.values.push(value);
      history.iterations.push(iteration);
      const excess = history.values.length - window;
      if (excess > 0) {
        history.values.splice(0, excess);
        history.iterations.splice(0, excess);
      }
    }
    return alarms;
  }

  /** Forgets every layer's history (a new run). */
  reset(): void {
    this.layers = [];
  }
}

/** The largest tracked value in the window and its iteration (the latest one on ties). */
function windowPeak(history: LayerHistory): { value: number; iteration: number } | null {
  let best: { value: number; iteration: number } | null = null;
  for (let i = 0; i < history.values.length; i++) {
    const value = history.values[i];
    if (Number.isNaN(value)) continue;
    if (best === null || value >= best.value) best = { value, iteration: history.iterations[i] };
  }
  return best;
}

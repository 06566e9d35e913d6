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
//               (the current one excluded; no peak, hence no episode, on the first snapshot);
//   episode   = begins when indicator < (1 - drop) * peak; that peak is kept as the episode's
//               reference, and the episode lasts while indicator < (1 - drop) * reference;
//   alarm     = once per episode, at its `persist`-th snapshot in a row.
// Why persist: every freshly initialized D's indicator drops in its first hundred iterations, and a
// healthy run climbs back within a few hundred more (the toy runs of the experiments gallery); a
// collapse stays down. With persist 1 the alarm fires at the first low snapshot (the rule before it).
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
  /** The running episode, if the layer is below its reference now. */
  episode: { reference: { value: number; iteration: number }; since: number; length: number; alarmed: boolean } | null;
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
        history = { name, values: [], iterations: [], episode: null };
        this.layers[index] = history;
      }
      const tracked =
        Number.isFinite(values[index]) && (singularValueCounts === undefined || singularValueCounts[index] >= 2);
      const value = tracked ? values[index] : NaN;

      if (tracked) {
        const below = (reference: { value: number }) => value < (1 - options.drop) * reference.value;
        if (history.episode && !below(history.episode.reference)) history.episode = null;
        if (!history.episode) {
          const peak = windowPeak(history);
          if (peak !== null && below(peak))
            history.episode = { reference: peak, since: iteration, length: 0, alarmed: false };
        }
        const episode = history.episode;
        if (episode) {
          episode.length++;
          if (!episode.alarmed && episode.length >= Math.max(1, Math.floor(options.persist))) {
            episode.alarmed = true;
            alarms.push({
              iteration,
              layerIndex: index,
              layer: name,
              value,
              peak: episode.reference.value,
              peakIteration: episode.reference.iteration,
              since: episode.since,
            });
          }
        }
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

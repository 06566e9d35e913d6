// Time of one SR compensation pass per conv layer size, on the current backend, through the same
// normalizer call the trainer makes after a D update. Framework-free: Node (Dawn) and the browser.
import * as tf from '@tensorflow/tfjs';
import { StaticSpectralRegularizer } from '../core/normalize/spectral-regularization-static';
import type { NormalizerSettings } from '../core/normalize/types';
import { median } from './side-by-side';

export interface CompensationRow {
  shape: number[];
  /** Median of a call within an SR burst (one pass from the previous call's basis): the common case. */
  ms: number;
  /** The first call of a burst, srEvery G iterations after the last (two passes). */
  burstStartMs: number;
  /** The very first call (cold: COLD_PASSES from the identity basis, plus pipeline compiles), one sample. */
  coldMs: number;
  samples: number;
}

const SETTINGS: NormalizerSettings = {
  powerIterations: 1,
  bssnScale: 1,
  srFraction: 0.5,
  srEvery: 1,
  orthoBeta: 0,
  clipValue: 0.01,
  srLayers: 'conv',
  powerWarmup: 0,
};

/**
 * One static SR call per timing (decomposition, multipliers, the compensating matMul, the assign),
 * awaited with data(). `repeats` is the most samples per case; a case stops earlier, after at least
 * one sample, once it has used `budgetMs`: on a software GPU (SwiftShader) one call on a 256- or
 * 512-channel layer takes tens of seconds, and the cold call minutes.
 */
export async function benchSpectralCompensation(
  shapes: number[][],
  repeats: number,
  budgetMs = 20_000,
): Promise<CompensationRow[]> {
  const rows: CompensationRow[] = [];
  for (const shape of shapes) {
    const raw = tf.variable(tf.randomNormal(shape, 0, 0.05, 'float32', 1));
    const sr = new StaticSpectralRegularizer({ kind: 'conv', shape }, 2, SETTINGS);
    const call = async (gIteration: number): Promise<number> => {
      const start = performance.now();
      sr.afterDiscriminatorUpdate(raw, { gIteration });
      await raw.data();
      return performance.now() - start;
    };
    try {
      const coldMs = await call(0); // also compiles the pipelines: an upper bound of the cold pass
      const within: number[] = [];
      const burstStart: number[] = [];
      let spent = 0;
      // With srEvery = 1, gIteration g then g again is a burst start then a within-burst call.
      for (let g = 1; g <= repeats && (within.length === 0 || spent < budgetMs); g++) {
        burstStart.push(await call(g));
        within.push(await call(g));
        spent += burstStart[burstStart.length - 1] + within[within.length - 1];
      }
      rows.push({ shape, ms: median(within), burstStartMs: median(burstStart), coldMs, samples: within.length });
    } finally {
      raw.dispose();
      sr.dispose();
    }
  }
  return rows;
}

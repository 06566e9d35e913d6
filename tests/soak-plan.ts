// The soak tests' plan, shared by the Node soak (tests/experiments/soak.test.ts) and the page's
// (tests/e2e/soak.spec.ts): the toy preset's run, the tour of live switches, and when to measure.
import type { NormName } from '../src/core/config/field-kinds';

/**
 * The toy preset (TOY_SETUP in src/core/config/presets.ts) on ring8 at the page's read-back cadence
 * (every 5) with exact spectra every 100 on the cpu backend. srlayers=all so the SR methods
 * decompose the MLP's dense layers (with `conv` they would only run plain SN there).
 */
export const SOAK_QUERY =
  'dataset=ring8&arch=mlp&ch=8&gch=16&zdim=16&batch=64&loss=ns&lr=0.002&beta1=0.5&beta2=0.9&ndis=1' +
  '&norm=sn&every=5&spectra=100&srlayers=all&backend=cpu';

/**
 * The tour: starting from sn, one live switch every SWITCH_EVERY iterations through the other seven
 * methods and back, so one lap is MEASURE_EVERY iterations. Each method creates its persistent state
 * on first use and keeps it (src/core/train/normalizer-bank.ts), so the first lap is the warm-up and
 * every later measurement falls on the same phase of the lap (after `none`, before the switch to sn).
 */
export const TOUR: readonly NormName[] = ['sn', 'sr-static', 'bssn', 'wn', 'ortho', 'clip', 'sr-dynamic', 'none'];
export const SWITCH_EVERY = 125;
export const MEASURE_EVERY = SWITCH_EVERY * TOUR.length;

/** The method to switch to before G iteration `done` + 1, or undefined (none at 0: the run starts with sn). */
export function switchAfter(done: number): NormName | undefined {
  if (done === 0 || done % SWITCH_EVERY !== 0) return undefined;
  return TOUR[(done / SWITCH_EVERY) % TOUR.length];
}

/** Heap growth allowed between the first measurement (end of the warm-up lap) and the last (issue 15). */
export const HEAP_GROWTH_LIMIT_MB = 50;

export const MB = 1024 * 1024;

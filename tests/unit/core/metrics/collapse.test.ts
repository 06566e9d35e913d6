/**
 * The collapse indicator (stable rank / number of singular values) on hand-computed spectra, and the
 * alarm rule on synthetic sequences of spectra: healthy, collapsing, recovering, single-value layers.
 */
import { describe, expect, it } from 'vitest';
import { CollapseDetector, collapseIndicator } from '../../../../src/core/metrics/collapse';
import { SeededRandom } from '../../../../src/core/data/seeded-random';

describe('collapseIndicator', () => {
  it('matches hand-computed values', () => {
    expect(collapseIndicator([2])).toBe(1);
    expect(collapseIndicator([0.3, 0.3, 0.3])).toBe(1);
    expect(collapseIndicator([2, 1])).toBeCloseTo((1 + 0.25) / 2, 15);
    expect(collapseIndicator([4, 2, 2, 0])).toBeCloseTo((1 + 0.25 + 0.25) / 4, 15);
    expect(collapseIndicator([10, 1, 1, 1, 1])).toBeCloseTo((1 + 4 * 0.01) / 5, 15);
  });

  it('ignores scale and order', () => {
    expect(collapseIndicator([6, 3, 1])).toBeCloseTo(collapseIndicator([0.6, 0.3, 0.1]), 15);
    expect(collapseIndicator([1, 2])).toBe(collapseIndicator([2, 1]));
    expect(collapseIndicator([1e200, 1e199])).toBeCloseTo(1.01 / 2, 15); // no overflow
  });

  it('is 0 for all-zero and empty spectra, NaN only for non-finite input', () => {
    expect(collapseIndicator([0, 0, 0])).toBe(0);
    expect(collapseIndicator([])).toBe(0);
    expect(collapseIndicator([1, NaN])).toBeNaN();
    expect(collapseIndicator([Infinity, 1])).toBeNaN();
  });
});

/** s_i = (i+1)^-0.7 times 1 +- 5% noise, s_i / s_1 scaled by `tailFactor` for i > 0. */
function spectrum(random: SeededRandom, count: number, tailFactor = 1): number[] {
  const values = Array.from({ length: count }, (_, i) => (i + 1) ** -0.7 * (1 + 0.1 * (random.next() - 0.5)));
  return values.map((value, i) => (i === 0 ? value : value * tailFactor));
}

const OPTIONS = { drop: 0.5, window: 5, persist: 1 };
const NAMES = ['conv0', 'conv1'];

describe('CollapseDetector', () => {
  it('raises no alarm on a healthy sequence', () => {
    const random = new SeededRandom(1);
    const detector = new CollapseDetector();
    for (let iteration = 0; iteration <= 3000; iteration += 100) {
      const values = [collapseIndicator(spectrum(random, 64)), collapseIndicator(spectrum(random, 128))];
      expect(detector.observe(iteration, values, NAMES, OPTIONS)).toEqual([]);
    }
  });

  it('raises exactly one alarm, at the collapse, with the right peak', () => {
    const random = new SeededRandom(2);
    const detector = new CollapseDetector();
    const history: { iteration: number; value: number }[] = [];
    const alarms = [];
    for (let iteration = 0; iteration <= 1500; iteration += 100) {
      const healthy = collapseIndicator(spectrum(random, 64));
      const layer1 = collapseIndicator(spectrum(random, 128, iteration >= 600 ? 0.1 : 1));
      if (iteration < 600) history.push({ iteration, value: layer1 });
      alarms.push(...detector.observe(iteration, [healthy, layer1], NAMES, OPTIONS));
    }
    expect(alarms).toHaveLength(1);
    const [alarm] = alarms;
    const window = history.slice(-OPTIONS.window);
    const peak = window.reduce((best, entry) => (entry.value >= best.value ? entry : best));
    expect(alarm).toMatchObject({
      iteration: 600,
      layerIndex: 1,
      layer: 'conv1',
      peak: peak.value,
      peakIteration: peak.iteration,
    });
    expect(alarm.value).toBeLessThan(0.5 * alarm.peak);
  });

  it('re-arms after a recovery and alarms on the next collapse', () => {
    const detector = new CollapseDetector();
    const sequence = [0.8, 0.8, 0.2, 0.2, 0.8, 0.8, 0.8, 0.1];
    const alarms = sequence.flatMap((value, i) =>
      detector.observe(i * 10, [value], ['d'], { drop: 0.5, window: 3, persist: 1 }),
    );
    expect(alarms.map((alarm) => alarm.iteration)).toEqual([20, 70]);
    expect(alarms.map((alarm) => alarm.peak)).toEqual([0.8, 0.8]);
  });

  it('a plateau after a collapse does not alarm again once the old peak leaves the window', () => {
    const detector = new CollapseDetector();
    const sequence = [0.8, 0.8, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2];
    const alarms = sequence.flatMap((value, i) =>
      detector.observe(i, [value], ['d'], { drop: 0.5, window: 2, persist: 1 }),
    );
    expect(alarms.map((alarm) => alarm.iteration)).toEqual([2]);
    // ...and a further drop is the same episode: the reference stays the peak it fell from.
    expect(detector.observe(8, [0.05], ['d'], { drop: 0.5, window: 2, persist: 1 })).toHaveLength(0);
  });

  it('never alarms on the first snapshot, and compares against previous snapshots only', () => {
    const detector = new CollapseDetector();
    expect(detector.observe(0, [0.01], ['d'], OPTIONS)).toEqual([]);
    const [alarm] = [detector.observe(1, [1], ['d'], OPTIONS), detector.observe(2, [0.4], ['d'], OPTIONS)].flat();
    expect(alarm).toEqual({ iteration: 2, layerIndex: 0, layer: 'd', value: 0.4, peak: 1, peakIteration: 1, since: 2 });
  });

  it('looks back exactly `window` snapshots', () => {
    const sequence = [1.0, 0.8, 0.8, 0.45];
    const run = (window: number) => {
      const detector = new CollapseDetector();
      return sequence.flatMap((value, i) => detector.observe(i, [value], ['d'], { drop: 0.5, window, persist: 1 }));
    };
    expect(run(2)).toEqual([]); // peak 0.8: 0.45 is not below 0.4
    expect(run(3)).toEqual([
      { iteration: 3, layerIndex: 0, layer: 'd', value: 0.45, peak: 1, peakIteration: 0, since: 3 },
    ]);
  });

  it('with persist, alarms only when the drop holds that many snapshots in a row', () => {
    // A fresh D's dip that recovers after 3 snapshots, then a collapse that stays.
    const sequence = [0.27, 0.06, 0.05, 0.1, 0.2, 0.21, 0.22, 0.05, 0.05, 0.05, 0.05, 0.05];
    const run = (persist: number) => {
      const detector = new CollapseDetector();
      return sequence.flatMap((value, i) =>
        detector.observe(i * 100, [value], ['d'], { drop: 0.5, window: 10, persist }),
      );
    };
    expect(run(1).map((alarm) => alarm.iteration)).toEqual([100, 700]);
    const [late] = run(4);
    expect(run(4)).toHaveLength(1);
    expect(late).toMatchObject({ iteration: 1000, since: 700, peak: 0.27, peakIteration: 0 });
    expect(run(6)).toEqual([]);
  });

  it('never alarms on a layer with fewer than 2 singular values', () => {
    const detector = new CollapseDetector();
    const names = ['conv', 'dense'];
    for (let i = 0; i < 20; i++) {
      // The dense layer's single value collapses to zero weight (indicator 0) late on.
      const dense = collapseIndicator(i < 10 ? [3] : [0]);
      expect(detector.observe(i, [0.5, dense], names, OPTIONS, [64, 1])).toEqual([]);
      expect(dense === 1 || dense === 0).toBe(true);
    }
    // The natural case without counts: a 1-value indicator is constantly 1.
    const plain = new CollapseDetector();
    for (let i = 0; i < 20; i++)
      expect(plain.observe(i, [collapseIndicator([(i % 3) + 0.5])], ['dense'], OPTIONS)).toEqual([]);
  });

  it('skips NaN values without losing the peak', () => {
    const detector = new CollapseDetector();
    const alarms = [0.9, NaN, NaN, 0.3].flatMap((value, i) => detector.observe(i, [value], ['d'], OPTIONS));
    expect(alarms).toEqual([
      { iteration: 3, layerIndex: 0, layer: 'd', value: 0.3, peak: 0.9, peakIteration: 0, since: 3 },
    ]);
  });

  it('starts a fresh history when a layer name changes, and on reset', () => {
    const detector = new CollapseDetector();
    detector.observe(0, [0.9], ['a'], OPTIONS);
    expect(detector.observe(1, [0.1], ['b'], OPTIONS)).toEqual([]);
    detector.reset();
    expect(detector.observe(2, [0.01], ['b'], OPTIONS)).toEqual([]);
    expect(() => detector.observe(3, [0.1, 0.2], ['b'], OPTIONS)).toThrow(/layer names/);
  });
});

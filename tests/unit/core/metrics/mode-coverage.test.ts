/**
 * Mode counting on the 2-D toy mixtures (VEEGAN / PacGAN protocol) and class coverage of labelled
 * samples: a perfect sampler, constant generators on and off a mode, far-away points, edge cases.
 */
import { describe, expect, it } from 'vitest';
import { GRID_OF_25, RING_OF_8, sampleToyModes, type ToyModeSet } from '../../../../src/core/data/toy-modes';
import { classCoverage, modeCoverage, toyModeCoverage } from '../../../../src/core/metrics/mode-coverage';

/** HQ share of a perfect sampler at 3 std in 2-D: P(chi^2_2 <= 9) = 1 - exp(-9/2). */
const PERFECT_HQ_SHARE = 1 - Math.exp(-4.5);

function constant(point: readonly [number, number], count: number): Float64Array {
  return Float64Array.from({ length: 2 * count }, (_, i) => point[i % 2]);
}

describe('toy mode sets', () => {
  it('ring of 8: radius 2, 8 distinct modes k/8 of a turn apart, std 0.02', () => {
    expect(RING_OF_8.modes).toHaveLength(8);
    expect(RING_OF_8.std).toBe(0.02);
    RING_OF_8.modes.forEach(([x, y], k) => {
      expect(Math.hypot(x, y)).toBeCloseTo(2, 14);
      expect(x).toBeCloseTo(2 * Math.cos((Math.PI * k) / 4), 14);
      expect(y).toBeCloseTo(2 * Math.sin((Math.PI * k) / 4), 14);
    });
  });

  it('grid of 25: {-4, -2, 0, 2, 4}^2, std 0.05', () => {
    expect(GRID_OF_25.modes).toHaveLength(25);
    expect(GRID_OF_25.std).toBe(0.05);
    const keys = new Set(GRID_OF_25.modes.map(([x, y]) => `${x},${y}`));
    for (const x of [-4, -2, 0, 2, 4]) for (const y of [-4, -2, 0, 2, 4]) expect(keys.has(`${x},${y}`)).toBe(true);
  });

  it('the constants are frozen; sampling is seeded and prefix-stable', () => {
    expect(Object.isFrozen(RING_OF_8) && Object.isFrozen(RING_OF_8.modes) && Object.isFrozen(RING_OF_8.modes[0])).toBe(
      true,
    );
    expect(sampleToyModes(GRID_OF_25, 10, 5)).toEqual(sampleToyModes(GRID_OF_25, 10, 5));
    expect(sampleToyModes(GRID_OF_25, 10, 5)).not.toEqual(sampleToyModes(GRID_OF_25, 10, 6));
    // A smaller draw is a prefix of a larger one with the same seed (the toy data set's subsets rely on it).
    expect(sampleToyModes(RING_OF_8, 10, 7)).toEqual(sampleToyModes(RING_OF_8, 50, 7).subarray(0, 20));
  });
});

describe('modeCoverage', () => {
  it.each([
    { set: RING_OF_8, seed: 1 },
    { set: GRID_OF_25, seed: 2 },
  ])(
    'a perfect sampler captures every mode of the $set.name, HQ share 1 - e^-4.5, small KL',
    ({ set, seed }: { set: ToyModeSet; seed: number }) => {
      const count = 10000;
      const result = toyModeCoverage(sampleToyModes(set, count, seed), set);
      console.log(
        `${set.name}, perfect sampler (${count} points): ` +
          `${result.modesCaptured}/${result.modeCount} modes, HQ ` +
          `${(100 * result.highQualityShare).toFixed(2)}%, KL ${result.klFromUniform.toExponential(2)}`,
      );
      expect(result.modesCaptured).toBe(set.modes.length);
      expect(result.modeCount).toBe(set.modes.length);
      expect(result.sampleCount).toBe(count);
      // Binomial: 4 standard deviations of the share around its expectation (about 0.0042).
      const sd = Math.sqrt((PERFECT_HQ_SHARE * (1 - PERFECT_HQ_SHARE)) / count);
      expect(Math.abs(result.highQualityShare - PERFECT_HQ_SHARE)).toBeLessThan(4 * sd);
      expect(result.highQualityShare).toBeGreaterThan(0.98);
      // KL of a multinomial histogram from uniform: about (M - 1) / (2 N_HQ).
      expect(result.klFromUniform).toBeLessThan((5 * (set.modes.length - 1)) / (2 * result.highQualityCount));
      expect(result.perMode.reduce((s, v) => s + v, 0)).toBe(result.highQualityCount);
      // With a wide radius every point is HQ.
      expect(toyModeCoverage(sampleToyModes(set, 2000, seed), set, { thresholdStds: 10 }).highQualityShare).toBe(1);
    },
  );

  it('a constant generator on a mode captures 1 mode; off every mode it captures 0', () => {
    const onMode = toyModeCoverage(constant(RING_OF_8.modes[3], 2500), RING_OF_8);
    expect(onMode.modesCaptured).toBe(1);
    expect(onMode.highQualityShare).toBe(1);
    expect(onMode.perMode).toEqual([0, 0, 0, 2500, 0, 0, 0, 0]);
    expect(onMode.klFromUniform).toBeCloseTo(Math.log(8), 14);

    const offMode = toyModeCoverage(constant([0, 0], 2500), RING_OF_8); // the ring's centre
    expect(offMode.modesCaptured).toBe(0);
    expect(offMode.highQualityShare).toBe(0);
    expect(offMode.klFromUniform).toBeCloseTo(Math.log(8), 14); // documented choice: log M when nothing is HQ

    // Just inside and just outside 3 std of a grid mode.
    const [mx, my] = GRID_OF_25.modes[7];
    expect(toyModeCoverage(constant([mx + 0.149, my], 10), GRID_OF_25).modesCaptured).toBe(1);
    expect(toyModeCoverage(constant([mx + 0.151, my], 10), GRID_OF_25).modesCaptured).toBe(0);
  });

  it('points far from every mode are low quality, and do not capture modes', () => {
    const good = sampleToyModes(GRID_OF_25, 1000, 3);
    const far = Float64Array.from({ length: 2 * 1000 }, (_, i) =>
      i % 2 === 0 ? 1 + (i % 7) * 0.01 : 1 - (i % 5) * 0.01,
    ); // between grid modes
    const mixed = new Float64Array(4000);
    mixed.set(good);
    mixed.set(far, 2000);
    const alone = toyModeCoverage(good, GRID_OF_25);
    const result = toyModeCoverage(mixed, GRID_OF_25);
    expect(result.highQualityCount).toBe(alone.highQualityCount);
    expect(result.perMode).toEqual(alone.perMode);
    expect(result.highQualityShare).toBeCloseTo(alone.highQualityShare / 2, 14);
    const diverged = toyModeCoverage(Float64Array.from([NaN, NaN, 1e300, -1e300]), GRID_OF_25);
    expect(diverged.highQualityCount).toBe(0);
  });

  it('KL from uniform of the HQ histogram matches sum p log(p M)', () => {
    // 3 points on mode 0, 1 on mode 1 of the ring.
    const points = [...RING_OF_8.modes[0], ...RING_OF_8.modes[0], ...RING_OF_8.modes[0], ...RING_OF_8.modes[1]];
    const result = modeCoverage(points, RING_OF_8.modes, RING_OF_8.std);
    expect(result.modesCaptured).toBe(2);
    expect(result.klFromUniform).toBeCloseTo(0.75 * Math.log(0.75 * 8) + 0.25 * Math.log(0.25 * 8), 14);
  });

  it('handles no points and rejects malformed input', () => {
    const empty = modeCoverage([], RING_OF_8.modes, RING_OF_8.std);
    expect(empty).toMatchObject({ modesCaptured: 0, sampleCount: 0, highQualityShare: 0, klFromUniform: Math.log(8) });
    expect(() => modeCoverage([1, 2, 3], RING_OF_8.modes, 0.02)).toThrow(/odd/);
    expect(() => modeCoverage([1, 2], [], 0.02)).toThrow(/no modes/);
    expect(() => modeCoverage([1, 2], RING_OF_8.modes, 0)).toThrow(/std must be a positive finite number/);
  });
});

describe('classCoverage', () => {
  it('counts classes, builds the histogram and its KL from uniform', () => {
    const even = classCoverage(
      Array.from({ length: 60 }, (_, i) => i % 6),
      6,
    );
    expect(even).toEqual({ classesCovered: 6, histogram: [10, 10, 10, 10, 10, 10], klFromUniform: 0 });
    const collapsed = classCoverage(new Uint8Array(40).fill(2), 6);
    expect(collapsed.classesCovered).toBe(1);
    expect(collapsed.klFromUniform).toBeCloseTo(Math.log(6), 14);
    const partial = classCoverage([0, 0, 1, 3], 4);
    expect(partial.histogram).toEqual([2, 1, 0, 1]);
    expect(partial.klFromUniform).toBeCloseTo(0.5 * Math.log(2) + 2 * 0.25 * Math.log(1), 14);
    expect(classCoverage([], 3)).toEqual({ classesCovered: 0, histogram: [0, 0, 0], klFromUniform: Math.log(3) });
  });

  it('rejects labels outside [0, classCount)', () => {
    expect(() => classCoverage([0, 4], 4)).toThrow(/label 4 at index 1 is not an integer in \[0, 4\)/);
    expect(() => classCoverage([1.5], 4)).toThrow(/label 1.5/);
    expect(() => classCoverage([0], 0)).toThrow(/classCount must be a positive integer/);
  });
});

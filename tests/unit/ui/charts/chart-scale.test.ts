import { describe, expect, it } from 'vitest';
import {
  categoryCentres,
  extent,
  linearScale,
  linearTicks,
  logScale,
  nearestIndex,
  niceDomain,
  niceStep,
  seriesPath,
} from '../../../../src/ui/charts/chart-scale';

describe('chart scale', () => {
  it('picks 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(0.03, 5)).toBeCloseTo(0.005, 12);
    expect(niceStep(7000, 5)).toBe(1000);
    expect(niceStep(0, 5)).toBe(1);
  });

  it('places ticks on multiples of the step inside the domain', () => {
    expect(linearTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.13, 0.91)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(linearTicks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
    // Iterations: no fractional ticks on a short run.
    expect(linearTicks(0, 3, 5, true)).toEqual([0, 1, 2, 3]);
    expect(linearTicks(0, 1, 5, false)).toHaveLength(6);
    expect(linearTicks(4, 4)).toEqual([4]);
    expect(linearTicks(NaN, 1)).toEqual([]);
  });

  it('widens a domain to its step, and gives a flat line room', () => {
    expect(niceDomain(0.13, 0.91)).toEqual([0, 1]);
    expect(niceDomain(-2.5, 3.1)).toEqual([-3, 4]);
    expect(niceDomain(2, 2)).toEqual([1.8, 2.2]);
    expect(niceDomain(0, 0)).toEqual([-1, 1]);
  });

  it('finds the extent of the finite numbers only', () => {
    expect(extent([3, null, -1, NaN, 'a', Infinity, 2])).toEqual([-1, 3]);
    expect(extent([null, undefined])).toBeNull();
  });

  it('maps domains onto pixels, top to bottom for y, and log10 for a log axis', () => {
    const y = linearScale([0, 10], [100, 0]);
    expect(y(0)).toBe(100);
    expect(y(2.5)).toBe(75);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
    const log = logScale([0.01, 100], [0, 400]);
    expect(log(0.01)).toBeCloseTo(0, 9);
    expect(log(1)).toBeCloseTo(200, 9);
    expect(log(100)).toBeCloseTo(400, 9);
    expect(Number.isFinite(log(0))).toBe(false);
    expect(categoryCentres(2, [0, 148], 24)).toEqual([49, 99]);
  });

  it('draws a series as one path, broken at gaps unless told to connect, with lone points apart', () => {
    const xs = [0, 10, 20, 30, 40];
    const y = (v: number) => 100 - v;
    const broken = seriesPath(xs, [1, 2, null, 4, 5], y, false);
    expect(broken.d).toBe('M0,99L10,98M30,96L40,95');
    expect(broken.isolated).toEqual([]);
    expect(seriesPath(xs, [1, 2, null, 4, 5], y, true).d).toBe('M0,99L10,98L30,96L40,95');
    const lone = seriesPath(xs, [1, null, 3, null, NaN], y, false);
    expect(lone.d).toBe('M0,99M20,97');
    expect(lone.isolated).toEqual([
      [0, 99],
      [20, 97],
    ]);
    expect(lone.vertices).toHaveLength(2);
    // Off a log axis (a non-positive value maps to a non-finite pixel): a gap, not a spike.
    const log = logScale([1, 100], [100, 0]);
    expect(seriesPath([0, 1, 2], [10, 0, 10], log, false).d).toBe('M0,50M2,50');
    // Pixels are kept to a tenth.
    expect(seriesPath([1 / 3], [0], () => 2 / 3, false).d).toBe('M0.3,0.7');
  });

  it('finds the row nearest to the pointer', () => {
    expect(nearestIndex([0, 10, 20], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20], 16)).toBe(2);
    expect(nearestIndex([NaN, 10], 0)).toBe(1);
    expect(nearestIndex([], 3)).toBe(-1);
  });
});

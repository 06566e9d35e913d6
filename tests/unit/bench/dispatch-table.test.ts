import { describe, expect, it } from 'vitest';
import { dispatchCountOf } from '../../fixtures/dispatch-counts';
import {
  averageCount,
  cycleTimes,
  dispatchSummaryRows,
  formatAllTopKernels,
  formatCount,
  formatDispatchTable,
  parseNorms,
  sumCounts,
  topKernels,
  type NormDispatches,
} from '../../../src/bench/dispatch-table';
import { NORMS } from '../../../src/core/config/schema';

const count = dispatchCountOf;

const NONE: NormDispatches = {
  norm: 'none',
  iterations: [count({ Add: [4, 4], Reshape: [3, 0], Conv2D: [2, 2] })],
  msPerIteration: 1234.5,
};

/** Five iterations, the third one an SR burst with 10 extra Jacobi dispatches. */
const SR: NormDispatches = {
  norm: 'sr-static',
  iterations: [0, 1, 2, 3, 4].map((i) =>
    count({ Add: [4, 4], Reshape: [3, 0], ...(i === 2 ? { SymmetricJacobiSweeps: [1, 10] } : {}) }),
  ),
  burstIndex: 2,
  msPerIteration: 1500,
  burstMs: 3000,
};

describe('dispatch counts', () => {
  it('adds and averages counts per kernel', () => {
    const a = count({ Add: [1, 1], Reshape: [1, 0] });
    const b = count({ Add: [2, 2], Sum: [1, 3] });
    expect(sumCounts([a, b])).toEqual({
      dispatches: 6,
      kernelCalls: 5,
      byKernel: {
        Add: { calls: 3, dispatches: 3 },
        Reshape: { calls: 1, dispatches: 0 },
        Sum: { calls: 1, dispatches: 3 },
      },
    });
    expect(averageCount([a, b]).byKernel.Sum).toEqual({ calls: 0.5, dispatches: 1.5 });
    expect(averageCount(SR.iterations).dispatches).toBe(6);
    expect(() => averageCount([])).toThrow();
  });

  it('lists the top kernels by dispatches, leaving out those that dispatch nothing', () => {
    const c = count({ A: [1, 2], B: [5, 5], C: [9, 0], D: [1, 5], E: [3, 1] });
    expect(topKernels(c, 3).map((k) => k.name)).toEqual(['B', 'D', 'A']);
    expect(topKernels(c).map((k) => k.name)).toEqual(['B', 'D', 'A', 'E']);
  });

  it('times cycles as the median of their means, and the burst position alone', () => {
    const samples = [
      [10, 10, 40, 10, 10],
      [12, 12, 42, 12, 12],
      [100, 100, 100, 100, 100],
    ];
    expect(cycleTimes(samples, 2)).toEqual({ mean: 18, burst: 42 });
    expect(cycleTimes([[5], [7], [6]])).toEqual({ mean: 6 });
  });

  it('formats integers as they are and means to one decimal', () => {
    expect(formatCount(678)).toBe('678');
    expect(formatCount(421.4)).toBe('421.4');
    expect(formatCount(1 / 3)).toBe('0.3');
  });

  it('puts none first and rejects unknown methods', () => {
    expect(parseNorms('sn,none,sn')).toEqual(['none', 'sn']);
    expect(parseNorms('bssn')).toEqual(['none', 'bssn']);
    expect(parseNorms(undefined)).toEqual([...NORMS]);
    expect(() => parseNorms('sn,bogus')).toThrow(/bogus/);
  });
});

describe('dispatch table', () => {
  it('prints one aligned line per method with the SR burst columns', () => {
    const lines = formatDispatchTable([NONE, SR]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^norm\s+dispatches\/it\s+kernel calls\/it\s+ms\/it/);
    expect(lines[1].split(/\s+/)).toEqual(['none', '6', '9', '1235', '1', '-', '-', '-']);
    expect(lines[2].split(/\s+/)).toEqual(['sr-static', '6', '7.2', '1500', '5', '14', '8', '3000']);
    // Right-aligned columns: every line ends at the same place.
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('lists top kernels per method, then each SR burst', () => {
    const text = formatAllTopKernels([NONE, SR], 2);
    expect(text).toContain('top 2 kernels by dispatches per iteration, norm=none:');
    expect(text).toContain('norm=sr-static, mean of 5 iterations:');
    expect(text).toContain('norm=sr-static, SR-burst iteration:');
    const burst = text.split('SR-burst iteration:')[1].trim().split('\n');
    expect(burst[1].trim().split(/\s+/)).toEqual(['SymmetricJacobiSweeps', '10', '1']);
    expect(text).not.toMatch(/Reshape/);
  });

  it('gives the suite each method over none, counts in the labels, and the SR burst', () => {
    const rows = dispatchSummaryRows([NONE, SR], 'ch=4', 'webgpu');
    expect(rows).toHaveLength(2);
    expect(rows[0].numerator).toEqual({
      label: 'norm=sr-static: 6 dispatches, 7.2 kernel calls (mean of 5)',
      value: 1500,
      unit: 'ms',
    });
    expect(rows[0].denominator).toEqual({
      label: 'norm=none: 6 dispatches, 9 kernel calls',
      value: 1234.5,
      unit: 'ms',
    });
    expect(rows[1].numerator.label).toBe('norm=sr-static SR burst: 14 dispatches, 8 kernel calls');
    expect(rows[1].numerator.value).toBe(3000);
    expect(dispatchSummaryRows([], 'x', 'y')).toEqual([]);
  });
});

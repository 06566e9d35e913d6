import { describe, expect, it } from 'vitest';
import { dispatchCountOf } from '../../fixtures/dispatch-counts';
import {
  formatAllKernelTimes,
  formatKernelTimes,
  kernelTimeLines,
  topKernelsByTime,
  untimedDispatches,
  type NormProfile,
} from '../../../src/bench/dispatch-table';
import { sumKernelEntries, timedProgramCount, type KernelProfile } from '../../../src/bench/kernel-profile';

const count = dispatchCountOf;

describe('timedProgramCount', () => {
  it('counts the programs of a webgpu extraInfo, none for an empty or missing one', () => {
    expect(timedProgramCount('MatMulPackedProgram: 5.2')).toBe(1);
    expect(timedProgramCount('A: 1, B: 2, C: 0.5')).toBe(3);
    expect(timedProgramCount('')).toBe(0);
    expect(timedProgramCount(undefined)).toBe(0);
    expect(timedProgramCount({ error: 'x' })).toBe(0);
  });
});

describe('sumKernelEntries', () => {
  const entries = [
    { name: 'BatchMatMul', kernelTimeMs: 2.5, extraInfo: 'MatMulPackedProgram: 2.5' },
    { name: 'Reshape', kernelTimeMs: 0, extraInfo: '' },
    { name: 'BatchMatMul', kernelTimeMs: 1.5, extraInfo: 'MatMulPackedProgram: 1.5' },
    { name: 'SpectralPowerIteration', kernelTimeMs: 3, extraInfo: 'A: 1, B: 1, C: 1' },
    { name: 'FusedAdamStep', kernelTimeMs: 0, extraInfo: '' },
    { name: 'Add', kernelTimeMs: { error: 'no timestamps' }, extraInfo: 'BinaryOpProgram: 0' },
    { name: 'Sub', kernelTimeMs: undefined, extraInfo: 'BinaryOpProgram: 1' },
    { name: 'Mul', kernelTimeMs: Number.NaN, extraInfo: 'BinaryOpProgram: NaN' },
    { name: 'unnamed scope', kernelTimeMs: 0, extraInfo: '' },
  ];

  it('sums calls and GPU ms by name; no time for untimed calls, objects, undefined or NaN', () => {
    const isKernel = (name: string) => name !== 'unnamed scope';
    const { byKernel, gpuMs } = sumKernelEntries(entries, { timestamps: true, isKernel });
    expect(gpuMs).toBe(7);
    expect(byKernel.BatchMatMul).toEqual({ calls: 2, gpuMs: 4, timedPrograms: 2 });
    expect(byKernel.SpectralPowerIteration).toEqual({ calls: 1, gpuMs: 3, timedPrograms: 3 });
    expect(byKernel.Reshape).toEqual({ calls: 1, timedPrograms: 0 });
    expect(byKernel.FusedAdamStep).toEqual({ calls: 1, timedPrograms: 0 });
    expect(byKernel.Add).toEqual({ calls: 1, timedPrograms: 0 });
    expect(byKernel.Sub).toEqual({ calls: 1, timedPrograms: 0 });
    expect(byKernel.Mul).toEqual({ calls: 1, timedPrograms: 0 });
    expect(byKernel['unnamed scope']).toEqual({ calls: 1, timedPrograms: 0, scope: true });
  });

  it('reports no time at all without timestamps', () => {
    const { byKernel, gpuMs } = sumKernelEntries(entries, { timestamps: false });
    expect(gpuMs).toBe(0);
    expect(Object.values(byKernel).every((k) => k.gpuMs === undefined && k.timedPrograms === 0)).toBe(true);
    expect(byKernel.BatchMatMul.calls).toBe(2);
  });
});

function profile(byKernel: KernelProfile['byKernel'], wallMs = 250): KernelProfile {
  const gpuMs = Object.values(byKernel).reduce((sum, k) => sum + (k.gpuMs ?? 0), 0);
  return { byKernel, gpuMs, wallMs, timestamps: true };
}

const SN: NormProfile = {
  norm: 'sn',
  profile: profile({
    Conv2D: { calls: 4, gpuMs: 120, timedPrograms: 6 },
    BatchMatMul: { calls: 8, gpuMs: 60, timedPrograms: 8 },
    Add: { calls: 5, gpuMs: 15, timedPrograms: 5 },
    Sub: { calls: 2, gpuMs: 5, timedPrograms: 2 },
    Reshape: { calls: 9, timedPrograms: 0 },
    FusedAdamStep: { calls: 3, timedPrograms: 0 },
  }),
  count: count({
    Conv2D: [4, 6],
    BatchMatMul: [8, 8],
    Add: [5, 5],
    Sub: [2, 2],
    Reshape: [9, 0],
    FusedAdamStep: [3, 6],
  }),
};

describe('kernel time lines', () => {
  it('joins times and dispatches, with shares of the summed GPU ms', () => {
    const lines = kernelTimeLines(SN);
    expect(lines.find((l) => l.name === 'Conv2D')).toEqual({
      name: 'Conv2D',
      calls: 4,
      gpuMs: 120,
      share: 0.6,
      dispatches: 6,
      timedPrograms: 6,
    });
    expect(lines.find((l) => l.name === 'FusedAdamStep')?.share).toBeUndefined();
  });

  it('ranks by GPU time, leaving the untimed out, at most n', () => {
    expect(topKernelsByTime(SN).map((l) => l.name)).toEqual(['Conv2D', 'BatchMatMul', 'Add', 'Sub']);
    expect(topKernelsByTime(SN, 2).map((l) => l.name)).toEqual(['Conv2D', 'BatchMatMul']);
  });

  it('finds the dispatches without a timestamp, a counted-only kernel included', () => {
    const withOutside = {
      ...SN,
      count: { ...SN.count, byKernel: { ...SN.count.byKernel, X: { calls: 0, dispatches: 1 } } },
    };
    expect(untimedDispatches(withOutside).map((l) => [l.name, l.untimed])).toEqual([
      ['FusedAdamStep', 6],
      ['X', 1],
    ]);
  });
});

describe('formatKernelTimes', () => {
  it('prints the totals, the top kernels, the rest and the untimed dispatches', () => {
    const text = formatKernelTimes(SN, 3);
    expect(text.split('\n')).toEqual([
      'top 3 kernels by GPU time, norm=sn, one profiled iteration: wall 250 ms (serialized by profiling), ' +
        'GPU 200 ms summed over 21 timed of 27 dispatches:',
      '  kernel       calls  GPU ms  share  dispatches',
      '  Conv2D           4     120  60.0%           6',
      '  BatchMatMul      8    60.0  30.0%           8',
      '  Add              5    15.0   7.5%           5',
      '  (1 more timed kernels: 5.0 GPU ms, 2.5%)',
      '  dispatches without GPU time: FusedAdamStep 6 of 6 (3 calls)',
    ]);
  });

  it('says whether an SR method profiled its burst iteration; all methods in order', () => {
    const burst = formatKernelTimes({ ...SN, norm: 'sr-static', burst: true }, 10);
    expect(burst).toContain('norm=sr-static, one profiled iteration, an SR-burst iteration:');
    expect(burst).not.toContain('more timed kernels');
    const plain = formatKernelTimes({ ...SN, norm: 'sr-static', burst: false }, 10);
    expect(plain).toContain('not an SR-burst iteration');
    const all = formatAllKernelTimes([{ ...SN, norm: 'none' }, SN]);
    expect(all.indexOf('norm=none')).toBeLessThan(all.indexOf('norm=sn'));
    expect(all).toContain('\n\n');
  });

  it('says so when the backend has no timestamps', () => {
    const text = formatKernelTimes({ ...SN, profile: { ...SN.profile, timestamps: false } });
    expect(text).toContain('no GPU timestamps');
    expect(text).not.toContain('kernel  ');
  });
});

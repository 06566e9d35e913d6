// Grid expansion of `npm run sweep` / `npm run queue -- enqueue`: alternatives, named grids, precedence
// over the base, and refusal (with every problem named) before anything runs.
import { describe, expect, it } from 'vitest';
import { SETUP_PRESETS } from '../../../src/core/config/presets';
import { decodeConfig } from '../../../src/core/config/url-codec';
import { MAX_GRID_RUNS, expandGrid, runConfig } from '../../../src/cli/sweep-grid';

function plan(grid: string, base = '') {
  const result = expandGrid(grid, base, 10);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
}

function refused(grid: string, base = ''): string[] {
  const result = expandGrid(grid, base, 10);
  if (result.ok) throw new Error(`expected ${grid} to be refused`);
  return result.errors;
}

describe('expandGrid', () => {
  it('expands comma lists into the cartesian product, the first axis slowest, each merged over the base', () => {
    const p = plan('norm=sn,sr-static&batch=64,128&ch=16,32', 'arch=mlp&batch=8&seed=7');
    expect(p.runs).toHaveLength(8);
    expect(p.varied).toEqual(['norm', 'batch', 'ch']);
    expect(p.runs.map((r) => r.label)).toEqual([
      'norm=sn batch=64 ch=16',
      'norm=sn batch=64 ch=32',
      'norm=sn batch=128 ch=16',
      'norm=sn batch=128 ch=32',
      'norm=sr-static batch=64 ch=16',
      'norm=sr-static batch=64 ch=32',
      'norm=sr-static batch=128 ch=16',
      'norm=sr-static batch=128 ch=32',
    ]);
    expect(p.runs.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(p.runs[2].stem).toBe('03-norm-sn_batch-128_ch-16');
    const config = runConfig(p.runs[2]);
    expect(config).toEqual(decodeConfig('arch=mlp&seed=7&norm=sn&batch=128&ch=16').config);
    expect(decodeConfig(p.runs[2].query).errors).toEqual([]);
  });

  it('splits classes and schedule only at |, other fields at , or |', () => {
    const p = plan('classes=0,1|2,3&schedule=|100:sn,200:wn&seed=1|2');
    expect(p.runs).toHaveLength(8);
    expect(p.runs.map((r) => runConfig(r).classes)).toContainEqual([2, 3]);
    expect(new Set(p.runs.map((r) => JSON.stringify(runConfig(r).schedule)))).toEqual(
      new Set([
        '[]',
        JSON.stringify([
          { iteration: 100, norm: 'sn' },
          { iteration: 200, norm: 'wn' },
        ]),
      ]),
    );
    expect(p.runs[0].stem).toBe('01-classes-0-1_schedule_seed-1');
    expect(plan('classes=0,1').runs).toHaveLength(1);
  });

  it('lists one-value fields as fixed, not varied; a grid of one run is named "run 1"', () => {
    const p = plan('norm=wn&seed=3');
    expect(p.varied).toEqual([]);
    expect(p.fixed).toEqual({ norm: 'wn', seed: '3' });
    expect(p.runs[0]).toMatchObject({ label: 'run 1', stem: '01' });
  });

  it("sr-paper: the SR-GAN grid presets' (batch, D channels) cells under sn and sr-static", () => {
    const p = plan('sr-paper', 'dataset=cifar10&seed=5&lr=0.1&arch=cnn');
    const cells = SETUP_PRESETS.filter((preset) => preset.group === 'sr-grid');
    expect(cells).toHaveLength(16);
    expect(p.runs).toHaveLength(32);
    expect(p.varied).toEqual(['batch', 'ch', 'norm']);
    for (const cell of cells) {
      for (const norm of ['sn', 'sr-static'] as const) {
        const matches = p.runs
          .map(runConfig)
          .filter((c) => c.batch === cell.fields.batch && c.ch === cell.fields.ch && c.norm === norm);
        expect(matches, `${cell.id} ${norm}`).toHaveLength(1);
        // the preset beats the base's lr and arch
        expect(matches[0]).toMatchObject({ ...cell.fields, dataset: 'cifar10', seed: 5 });
      }
    }
    expect(p.runs[0].label).toBe('batch=64 ch=64 norm=sn');
    expect(p.runs[1].label).toBe('batch=64 ch=64 norm=sr-static');
  });

  it('a named grid takes extra axes, which also replace its own axes and fixed fields', () => {
    const p = plan('sr-paper&batch=64&gch=8&seed=1,2');
    expect(p.runs).toHaveLength(4 * 2 * 2);
    expect(p.varied).toEqual(['ch', 'norm', 'seed']);
    expect(
      p.runs.every((r) => runConfig(r).batch === 64 && runConfig(r).gch === 8 && runConfig(r).arch === 'resnet'),
    ).toBe(true);
  });

  it('refuses invalid values, unknown fields, repeated fields and a bad base, naming every problem', () => {
    const errors = refused('norm=sn,bogus&batch=2,9999&foo=1&classes=0,1|2,x&norm=wn', 'lr=abc');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unknown field "foo"'),
        expect.stringContaining('the grid names norm twice'),
        'base: lr="abc" is not a number',
        'grid: batch="9999" is out of range [1, 512]',
        expect.stringMatching(/^grid: norm="bogus" must be one of none, sn/),
        'grid: classes="2,x" must be a comma list of class ids 0-9',
      ]),
    );
    expect(errors.every((e) => !e.includes('using'))).toBe(true);
    expect(refused('nosuchgrid&seed=1,2')[0]).toContain(
      'unknown named grid or field "nosuchgrid" (named grids: sr-paper)',
    );
    expect(refused('')[0]).toContain('the grid is empty');
    expect(refused('batch=')).toEqual(['grid: batch="" is empty']);
  });

  it('refuses alternatives that give the same configuration, and grids over the size limit', () => {
    expect(refused('batch=64,064')).toEqual([
      'grid: runs 1 and 2 are the same configuration (batch=064); list each value once',
    ]);
    const seeds = Array.from({ length: 101 }, (_, i) => i).join(',');
    const big = `seed=${seeds}&batch=${Array.from({ length: 10 }, (_, i) => i + 1).join(',')}`;
    expect(refused(big)).toEqual([`the grid expands to 1010 runs; at most ${MAX_GRID_RUNS}`]);
  });
});

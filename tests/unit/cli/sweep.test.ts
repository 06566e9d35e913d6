// `npm run sweep`: a grid of headless runs as child processes, P at a time, one summary table, and a
// run list the page opens; plus the summary's reading of run files (proxies present or not).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from '../../../src/core/config/url-codec';
import { parseRunList } from '../../../src/core/runs/run-list';
import { expandGrid } from '../../../src/cli/sweep-grid';
import { runMetrics, summaryCsv, summaryMarkdown, type RunRecord } from '../../../src/cli/sweep-summary';
import { runCli } from '../../node-cli';

const TINY = 'backend=cpu&arch=mlp&ch=2&gch=2&zdim=4&batch=2&subset=16&spectra=1&proxyevery=0';

/** The table's rows without its header (the |---| line does not start with "| "). */
function tableRows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(1);
}

describe('npm run sweep', () => {
  it(
    'runs the grid 2 at a time, reports a failed run without stopping the others, writes the ' + 'summary and run list',
    async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'sweep-')), 'out');
      // cifar10 from a folder that does not exist: those two runs fail, the shapes runs go on.
      const result = await runCli(
        'src/cli/sweep.ts',
        [
          '--grid',
          'norm=sn,wn&dataset=shapes,cifar10',
          '--base',
          TINY,
          '--iterations',
          '2',
          '--parallel',
          '2',
          '--out',
          dir,
          '--data',
          '/nonexistent-cifar',
        ],
        120_000,
      );
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toContain(`sweep of 4 runs, 2 at a time, 2 iterations each -> ${dir}`);
      expect(result.stdout.match(/^\[\d\/4\] /gm)).toHaveLength(4);

      const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
      expect(markdown).toContain(
        '| # | norm | dataset | status | D loss | G loss | sigma max / min | collapse min | s (train / wall) |',
      );
      const rows = tableRows(markdown);
      expect(rows).toHaveLength(4);
      expect(rows[0]).toMatch(
        /^\| 1 \| `sn` \| `shapes` \| ok \| -?\d+\.\d{4} \| -?\d+\.\d{4} \| [\d.]+ \/ [\d.]+ \| 0\.\d{3} \|/,
      );
      expect(rows[1]).toMatch(
        /^\| 2 \| `sn` \| `cifar10` \| failed: exit 1: .*\/nonexistent-cifar: CIFAR-10 not found/,
      );
      expect(rows[2]).toMatch(/^\| 3 \| `wn` \| `shapes` \| ok \|/);
      expect(rows[3]).toMatch(/^\| 4 \| `wn` \| `cifar10` \| failed: /);
      expect(markdown).toContain('- runs: 4 (2 ok, 2 failed)');

      const csv = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toMatch(
        /^index,name,norm,dataset,status,detail,iterations,d_loss,g_loss,sigma_max,sigma_min,collapse_min,/,
      );
      expect(csv).toHaveLength(5);

      const runs = parseRunList(readFileSync(join(dir, 'runs.json'), 'utf8'));
      expect(runs.map((r) => r.name)).toEqual(['norm=sn dataset=shapes', 'norm=wn dataset=shapes']);
      for (const [i, run] of runs.entries()) {
        const saved = JSON.parse(readFileSync(join(dir, run.file), 'utf8'));
        const expected = decodeConfig(`${TINY}&dataset=shapes&norm=${['sn', 'wn'][i]}`).config;
        expect(saved.config).toEqual(expected);
        expect(decodeConfig(run.query).config).toEqual(expected);
        expect(saved.iterations).toBe(2);
      }
      expect(existsSync(join(dir, 'runs', '02-norm-sn_dataset-cifar10.json'))).toBe(false);
    },
  );

  it('refuses an invalid grid before running anything, and an --out that holds a sweep', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sweep-')), 'out');
    const result = await runCli('src/cli/sweep.ts', [
      '--grid',
      'norm=sn,bogus&batch=2,9999',
      '--base',
      TINY,
      '--iterations',
      '2',
      '--out',
      dir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sweep refused, nothing ran (2 problems):');
    expect(result.stderr).toContain('grid: norm="bogus" must be one of none, sn');
    expect(result.stderr).toContain('grid: batch="9999" is out of range [1, 512]');
    expect(existsSync(dir)).toBe(false);

    const used = mkdtempSync(join(tmpdir(), 'sweep-'));
    writeFileSync(join(used, 'runs.json'), '{}');
    const again = await runCli('src/cli/sweep.ts', ['--grid', 'seed=1,2', '--iterations', '1', '--out', used]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds a sweep');
  });
});

describe('sweep summary', () => {
  const expanded = expandGrid('norm=sn,wn', 'arch=mlp', 4);
  if (!expanded.ok) throw new Error(expanded.errors.join());
  const { plan } = expanded;
  const history = [{ iteration: 4, dLoss: 1.5, gLoss: 0.25, sigmas: [2, 0.5, 1] }];
  const proxies = [
    { iteration: 2, quality: { isProxy: 1, fidProxy: 9, kidProxy: { mean: 0.9, std: 0 } } },
    {
      iteration: 4,
      quality: {
        isProxy: 2.5,
        fidProxy: 3.25,
        kidProxy: { mean: 0.125, std: 0.01 },
        classCoverage: { classesCovered: 7 },
      },
    },
  ];

  it('reads the last read-back, spectrum snapshot and proxy evaluation, and tolerates their absence', () => {
    const spectra = [
      { layers: [{ collapse: 0.9 }, { collapse: 0.8 }] },
      { layers: [{ collapse: 0.5 }, { collapse: 0.25 }] },
    ];
    expect(runMetrics({ iterations: 4, seconds: 3, history, spectra, proxies, backend: 'cpu' })).toEqual({
      iterations: 4,
      dLoss: 1.5,
      gLoss: 0.25,
      sigmaMax: 2,
      sigmaMin: 0.5,
      collapseMin: 0.25,
      isProxy: 2.5,
      fidProxy: 3.25,
      kidProxy: 0.125,
      classesCovered: 7,
      trainSeconds: 3,
      backend: 'cpu',
    });
    // The headless CLI's flat evaluation rows (kidMean), or an object holding evaluations, read the same.
    const flat = {
      iteration: 4,
      isProxy: 2,
      fidProxy: 1,
      kidMean: 0.5,
      kidStd: 0.1,
      classesCovered: 9,
      classCount: 10,
      seconds: 3,
    };
    expect(runMetrics({ proxies: [flat] })).toMatchObject({
      isProxy: 2,
      fidProxy: 1,
      kidProxy: 0.5,
      classesCovered: 9,
    });
    expect(runMetrics({ proxies: [] }).isProxy).toBeNull();
    expect(runMetrics({ proxies: { evaluations: proxies } })).toMatchObject({ isProxy: 2.5, kidProxy: 0.125 });
    const nothing = runMetrics({ history: [], spectra: [], proxies: 'odd' });
    expect(Object.values(nothing).every((v) => v === null)).toBe(true);
    expect(runMetrics(null).dLoss).toBeNull();
  });

  it('shows proxy and worker columns only when a run has them, and escapes a failure tail into one cell', () => {
    const records: RunRecord[] = [
      {
        run: plan.runs[0],
        status: 'ok',
        detail: '',
        result: { iterations: 4, seconds: 1, history, proxies },
        file: 'runs/01-norm-sn.json',
        wallSeconds: 2,
        worker: 'gpu-a',
      },
      {
        run: plan.runs[1],
        status: 'failed',
        detail: 'exit 1: bad | thing\nsecond line',
        result: null,
        file: null,
        wallSeconds: 1,
        worker: 'gpu-b',
      },
    ];
    const markdown = summaryMarkdown({ id: 's1', plan }, records);
    expect(markdown).toContain(
      '| # | norm | status | D loss | G loss | sigma max / min | IS proxy | FID proxy | KID proxy | ' +
        's (train / wall) | worker |',
    );
    const rows = tableRows(markdown);
    expect(rows).toEqual([
      '| 1 | `sn` | ok | 1.5000 | 0.2500 | 2 / 0.5 | 2.500 | 3.25 | 0.125 | 1.0 / 2.0 | gpu-a |',
      '| 2 | `wn` | failed: exit 1: bad \\| thing second line |  |  |  |  |  |  | ? / 1.0 | gpu-b |',
    ]);
    const plain = summaryMarkdown(
      { id: 's1', plan },
      records.map((r) => ({ ...r, worker: undefined, result: r.result && { ...r.result, proxies: undefined } })),
    );
    expect(plain).toContain('| # | norm | status | D loss | G loss | sigma max / min | s (train / wall) |');
    const csv = summaryCsv(plan, records).split('\n');
    expect(csv[1]).toContain(',gpu-a,runs/01-norm-sn.json,');
    expect(csv[1]).toContain(',2.5,3.25,0.125,7,');
  });
});

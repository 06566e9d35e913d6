// The `npm run experiment` contract: --list prints one id per line, bad arguments exit 2 with the
// usage, and a short run prints a verdict with its figures, writes the runs and verdict.json, and
// exits 0 on PASS or 1 on FAIL (the full-length runs are in tests/experiments).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../../src/core/experiments/catalogue';

function experiment(args: string[]) {
  return spawnSync('npx', ['tsx', 'src/cli/experiment.ts', ...args], { encoding: 'utf8', timeout: 180_000 });
}

describe('experiment CLI', () => {
  it('--list prints every id, one per line', () => {
    const result = experiment(['--list']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(EXPERIMENTS.map((e) => e.id));
  });

  it('exits 2 with the usage on an unknown id, a bad --iterations or no id', () => {
    for (const args of [['no-such-claim'], ['mode-coverage', '--iterations', '0'], []]) {
      const result = experiment(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage: npm run experiment');
    }
  });

  it(
    'runs an experiment briefly: a verdict line with figures, the runs and verdict.json written, ' +
      'exit 0 or 1 as judged',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'experiment-'));
      // 60 iterations: too short for the claim (none keeps as many modes as sn), so it is judged FAIL.
      const result = experiment(['mode-coverage', '--iterations', '60', '--out', out]);
      const verdict = JSON.parse(readFileSync(join(out, 'mode-coverage', 'verdict.json'), 'utf8'));
      expect(result.status, result.stderr).toBe(verdict.verdict === 'PASS' ? 0 : 1);
      expect(result.stdout).toMatch(new RegExp(`^${verdict.verdict} mode-coverage: `, 'm'));
      expect(verdict.iterations).toBe(60);
      expect(verdict.figures.some((line: string) => /sn: \d+ of 8 modes at iteration 60/.test(line))).toBe(true);
      for (const run of verdict.runs) expect(existsSync(join(out, 'mode-coverage', run.file)), run.file).toBe(true);
    },
  );
});

// The `npm run headless` contract: --config/--iterations/--out, JSON with config and metrics history.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from '../../src/core/config/url-codec';

const SAMPLE_DIR = '../shared/data/cifar-10-batches-bin';

function headless(args: string[]) {
  return spawnSync('npx', ['tsx', 'src/cli/headless.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('headless CLI', () => {
  it('trains on the CIFAR-10 sample and writes config and history as JSON', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'headless-')), 'run.json');
    const query = 'backend=cpu&dataset=cifar10&classes=3,5&subset=40&ch=2&gch=2&zdim=8&batch=4&every=2&seed=9&spectra=2';
    const result = headless(['--config', query, '--iterations', '3', '--out', out, '--data', SAMPLE_DIR]);
    expect(result.status, result.stderr).toBe(0);
    const run = JSON.parse(readFileSync(out, 'utf8'));
    expect(run.config).toEqual(decodeConfig(query).config);
    expect(decodeConfig(run.query).config).toEqual(run.config);
    expect(run.backend).toBe('cpu');
    expect(run.iterations).toBe(3);
    expect(run.history.map((p: { iteration: number }) => p.iteration)).toEqual([2, 3]);
    expect(run.info.datasetCount).toBe(40);
    expect(run.info.datasetName).toContain('data_batch_1.bin');
    for (const point of run.history) {
      expect(Number.isFinite(point.dLoss) && Number.isFinite(point.gLoss)).toBe(true);
      expect(point.sigmas).toHaveLength(8);
      expect(point.gradNorms).toHaveLength(8);
      expect(point.gradNormTotal).toBeGreaterThan(0);
    }
    // Exact spectra at iterations 0 and 2 (spectra=2), every layer, with the collapse indicator.
    expect(run.spectra.map((s: { iteration: number }) => s.iteration)).toEqual([0, 2]);
    const conv3 = run.spectra[1].layers[2];
    expect(conv3.raw).toHaveLength(Math.min(conv3.rows, conv3.cols));
    expect(conv3.collapse).toBeGreaterThan(0);
    expect(conv3.collapse).toBeLessThanOrEqual(1);
    expect(run.alarms).toEqual(run.spectra.flatMap((s: { alarms: unknown[] }) => s.alarms));
  });

  it('names a rejected config field and still runs with its default', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'headless-')), 'run.json');
    const result = headless(['--config', 'backend=cpu&arch=mlp&ch=2&gch=2&batch=2&subset=16&lr=abc', '--iterations', '1', '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('lr="abc" is not a number; using 0.0002');
    expect(JSON.parse(readFileSync(out, 'utf8')).config.lr).toBe(0.0002);
  });

  it('refuses a bad --iterations with a usage message', () => {
    const result = headless(['--iterations', 'many', '--out', '/tmp/never.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--iterations must be a positive integer');
  });
});

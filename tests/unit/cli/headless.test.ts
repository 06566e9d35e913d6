// The `npm run headless` contract: --config/--iterations/--out, JSON with config and metrics history.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from '../../../src/core/config/url-codec';
import { PROXY_CAVEAT } from '../../../src/core/proxy/sample-quality';

const SAMPLE_DIR = '../shared/data/cifar-10-batches-bin';

function headless(args: string[]) {
  return spawnSync('npx', ['tsx', 'src/cli/headless.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('headless CLI', () => {
  it('trains on the CIFAR-10 sample and writes config and history as JSON', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'headless-')), 'run.json');
    const query =
      'backend=cpu&dataset=cifar10&classes=3,5&subset=40&ch=2&gch=2&zdim=8&batch=4&every=2&seed=9&spectra=2';
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
    const result = headless([
      '--config',
      'backend=cpu&arch=mlp&ch=2&gch=2&batch=2&subset=16&lr=abc',
      '--iterations',
      '1',
      '--out',
      out,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('lr="abc" is not a number; using 0.0002');
    expect(JSON.parse(readFileSync(out, 'utf8')).config.lr).toBe(0.0002);
  });

  it('refuses a bad --iterations with a usage message', () => {
    const result = headless(['--iterations', 'many', '--out', '/tmp/never.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--iterations must be a positive integer');
  });

  // Sample-quality proxies: a tiny shapes run trains the tiny proxy recipe (128 images, 4 epochs of
  // 8 steps) and evaluates N = 32 generated images at iterations 0, 2 and 4.
  const PROXY_QUERY =
    'backend=cpu&dataset=shapes&arch=cnn&ch=2&gch=2&zdim=8&batch=4&every=2&proxy=tiny&proxyevery=2&' +
    'proxyn=32&subset=128';
  const PROXY_FIELDS = [
    'iteration',
    'isProxy',
    'marginalEntropy',
    'meanConditionalEntropy',
    'fidProxy',
    'kidMean',
    'kidStd',
    'classesCovered',
    'classCount',
    'seconds',
  ];

  it(
    'with proxyevery, writes the proxy, its references and the evaluations; --proxy-file is reused ' +
      'on the next run',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'headless-proxy-'));
      const proxyFile = join(dir, 'shapes-tiny.sgproxy');
      const first = headless([
        '--config',
        PROXY_QUERY,
        '--iterations',
        '4',
        '--out',
        join(dir, 'a.json'),
        '--proxy-file',
        proxyFile,
      ]);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).toContain('proxy epoch');
      expect(existsSync(proxyFile)).toBe(true);
      const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
      expect(a.proxy.source).toBe('trained');
      expect(a.proxy.recipe).toBe('tiny');
      expect(a.proxy.key).toContain('shapes|classes=0,1,2,3,4,5,6,7,8,9|subset=128');
      expect(a.proxy.trainSeconds).toBeGreaterThan(0);
      expect(a.proxy.accuracy).toBeGreaterThanOrEqual(0);
      expect(a.proxy.accuracy).toBeLessThanOrEqual(1);
      expect(a.proxy.caveat).toBe(PROXY_CAVEAT);
      expect(a.proxy.reference.n).toBe(32);
      for (const value of [
        a.proxy.reference.heldOutIs,
        a.proxy.reference.fidTrainVsHeldOut,
        a.proxy.reference.kidTrainVsHeldOut.mean,
        a.proxy.reference.kidTrainVsHeldOut.std,
      ]) {
        expect(Number.isFinite(value)).toBe(true);
      }
      expect(a.proxy.reference.heldOutClassesCovered).toBeGreaterThan(0);
      expect(a.proxyNote).toBeNull();
      expect(a.proxies.map((p: { iteration: number }) => p.iteration)).toEqual([0, 2, 4]);
      for (const evaluation of a.proxies) {
        expect(Object.keys(evaluation).sort()).toEqual([...PROXY_FIELDS].sort());
        for (const field of PROXY_FIELDS) expect(Number.isFinite(evaluation[field]), field).toBe(true);
        expect(evaluation.isProxy).toBeGreaterThan(0.999); // exp(KL) >= 1, up to rounding
        expect(evaluation.classCount).toBe(10);
      }
      // The existing fields are all still there.
      expect(a.history.map((p: { iteration: number }) => p.iteration)).toEqual([2, 4]);
      expect(a.iterations).toBe(4);

      const written = statSync(proxyFile).mtimeMs;
      const second = headless([
        '--config',
        PROXY_QUERY,
        '--iterations',
        '4',
        '--out',
        join(dir, 'b.json'),
        '--proxy-file',
        proxyFile,
      ]);
      expect(second.status, second.stderr).toBe(0);
      expect(second.stderr).not.toContain('proxy epoch');
      expect(second.stderr).toContain(`read ${proxyFile}`);
      const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
      expect(b.proxy.source).toBe('file');
      expect(b.proxy.trainSeconds).toBeNull();
      expect(b.proxy.key).toBe(a.proxy.key);
      expect(b.proxy.accuracy).toBe(a.proxy.accuracy);
      expect(b.proxy.reference).toEqual(a.proxy.reference);
      // Same seeds, same proxy: the same evaluations.
      expect(b.proxies.map((p: { fidProxy: number }) => p.fidProxy)).toEqual(
        a.proxies.map((p: { fidProxy: number }) => p.fidProxy),
      );
      expect(statSync(proxyFile).mtimeMs).toBe(written);

      // A proxy file of other data (another subset) is refused with a message; a proxy is trained and the file left
      // alone.
      const other = headless([
        '--config',
        PROXY_QUERY.replace('subset=128', 'subset=96'),
        '--iterations',
        '2',
        '--out',
        join(dir, 'c.json'),
        '--proxy-file',
        proxyFile,
      ]);
      expect(other.status, other.stderr).toBe(0);
      expect(other.stderr).toContain(`${proxyFile} was not used: it is the proxy of`);
      expect(other.stderr).toContain('proxy epoch');
      const c = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'));
      expect(c.proxy.source).toBe('trained');
      expect(c.proxy.key).toContain('subset=96');
      expect(c.proxies.map((p: { iteration: number }) => p.iteration)).toEqual([0, 2]);
      expect(statSync(proxyFile).mtimeMs).toBe(written);
    },
    180_000,
  );

  it('has no proxies with proxyevery=0, on 2-D data, or when the run is shorter than proxyevery', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headless-noproxy-'));
    const cases: [string, number, string][] = [
      [PROXY_QUERY.replace('proxyevery=2', 'proxyevery=0'), 2, 'proxyevery=0'],
      ['backend=cpu&dataset=ring8&ch=2&gch=2&batch=4&subset=64&proxyevery=1', 2, '2-D data'],
      [PROXY_QUERY.replace('proxyevery=2', 'proxyevery=50'), 2, 'shorter than proxyevery=50'],
    ];
    cases.forEach(([query, iterations, note], i) => {
      const out = join(dir, `${i}.json`);
      const result = headless(['--config', query, '--iterations', String(iterations), '--out', out]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('proxy epoch');
      const run = JSON.parse(readFileSync(out, 'utf8'));
      expect(run.proxy).toBeNull();
      expect(run.proxies).toEqual([]);
      expect(run.proxyNote).toContain(note);
      expect(run.history.length).toBeGreaterThan(0);
    });
  });
});

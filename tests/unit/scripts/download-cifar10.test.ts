// Runs scripts/download-cifar10.ts as `npm run data:cifar10` would (tsx, a child process) against
// a local HTTP server that serves a small tar.gz made here; the real site is never contacted.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDownloadArgs } from '../../../scripts/download-cifar10';
import { META_TXT, makeBatchFile, makeTarGz } from '../../fixtures/cifar-fixtures';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SCRIPT = join(REPO_ROOT, 'scripts', 'download-cifar10.ts');

const trainBatch = makeBatchFile([0, 1, 2, 3, 4], 1);
const testBatch = makeBatchFile([5, 6, 7], 2);
const archive = makeTarGz([
  { name: 'cifar-10-batches-bin/batches.meta.txt', data: META_TXT },
  { name: 'cifar-10-batches-bin/data_batch_1.bin', data: trainBatch },
  { name: 'cifar-10-batches-bin/test_batch.bin', data: testBatch },
]);
const archiveMd5 = createHash('md5').update(archive).digest('hex');
const otherMd5 = 'c32a1d4ab5d03f1284b67883e8d87530';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

function runScript(args: string[]): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr, elapsedMs: Date.now() - started }));
  });
}

const freshDest = (): string => mkdtempSync(join(tmpdir(), 'cifar-download-'));

describe('scripts/download-cifar10.ts', () => {
  let server: Server;
  let origin = '';
  let closedPortUrl = '';
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/cifar-10-binary.tar.gz') {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': archive.length });
        // Several chunks, so progress is reported more than once.
        const third = Math.ceil(archive.length / 3);
        res.write(archive.subarray(0, third));
        setTimeout(() => {
          res.write(archive.subarray(third, 2 * third));
          res.end(archive.subarray(2 * third));
        }, 50);
      } else if (req.url === '/silent') {
        // Accepts the connection and never answers.
      } else if (req.url === '/stalls') {
        res.writeHead(200, { 'content-length': archive.length });
        res.write(archive.subarray(0, 100)); // then nothing more
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // A port that was just free: nothing listens there, so connecting is refused.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/cifar-10-binary.tar.gz`;
    await new Promise<void>((done) => probe.close(() => done()));
  });

  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((done) => server.close(() => done()));
  });

  it('downloads, checks the MD5, keeps the tarball and unpacks the batch files', async () => {
    const dest = freshDest();
    const result = await runScript(['--url', `${origin}/cifar-10-binary.tar.gz`, '--dest', dest, '--md5', archiveMd5]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/100\.0% \(0\.0 \/ 0\.0 MB\)/);
    expect(result.stdout).toContain('Unpacked 3 files');
    expect(readFileSync(join(dest, 'cifar-10-binary.tar.gz')).equals(Buffer.from(archive))).toBe(true);
    const batchDir = join(dest, 'cifar-10-batches-bin');
    expect(readdirSync(batchDir).sort()).toEqual(['batches.meta.txt', 'data_batch_1.bin', 'test_batch.bin']);
    expect(readFileSync(join(batchDir, 'data_batch_1.bin')).equals(Buffer.from(trainBatch))).toBe(true);
    expect(readFileSync(join(batchDir, 'test_batch.bin')).equals(Buffer.from(testBatch))).toBe(true);
    expect(existsSync(join(dest, 'cifar-10-binary.tar.gz.part'))).toBe(false);

    // A second run finds the verified tarball and does not download again.
    requests.length = 0;
    const again = await runScript(['--url', `${origin}/cifar-10-binary.tar.gz`, '--dest', dest, '--md5', archiveMd5]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already here');
    expect(requests).toEqual([]);
  });

  it('rejects and deletes a download with the wrong MD5', async () => {
    const dest = freshDest();
    const result = await runScript(['--url', `${origin}/cifar-10-binary.tar.gz`, '--dest', dest, '--md5', otherMd5]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MD5 mismatch');
    expect(result.stderr).toContain(`expected ${otherMd5}, got ${archiveMd5}`);
    expect(result.stderr).toContain('deleted');
    expect(readdirSync(dest)).toEqual([]);
  });

  it('replaces a tarball with the wrong MD5 left from an earlier run', async () => {
    const dest = freshDest();
    writeFileSync(join(dest, 'cifar-10-binary.tar.gz'), 'damaged');
    const result = await runScript(['--url', `${origin}/cifar-10-binary.tar.gz`, '--dest', dest, '--md5', archiveMd5]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrong MD5');
    expect(readFileSync(join(dest, 'cifar-10-binary.tar.gz')).equals(Buffer.from(archive))).toBe(true);
  });

  it('deletes a stale tarball with the wrong MD5 even when the new download fails', async () => {
    const dest = freshDest();
    writeFileSync(join(dest, 'cifar-10-binary.tar.gz'), 'damaged');
    const result = await runScript(['--url', closedPortUrl, '--dest', dest, '--md5', archiveMd5]);
    expect(result.code).toBe(1);
    expect(existsSync(join(dest, 'cifar-10-binary.tar.gz'))).toBe(false);
  });

  it('exits non-zero with a clear message when the server cannot be reached', async () => {
    const dest = join(freshDest(), 'public', 'data');
    const result = await runScript(['--url', closedPortUrl, '--dest', dest, '--timeout-ms', '5000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not reach .* \(ECONNREFUSED\); are you offline\?/);
    expect(result.stderr).toContain('built-in shapes data set');
    // An offline attempt leaves no empty folders behind.
    expect(existsSync(dest)).toBe(false);
  });

  it('gives up within the timeout when the server never answers', async () => {
    const dest = freshDest();
    const result = await runScript(['--url', `${origin}/silent`, '--dest', dest, '--timeout-ms', '700']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no connection or no progress');
    expect(result.stderr).toContain('700 ms');
    // It waited for the timeout, then gave up; without the timeout it would hang for minutes.
    // The upper bound leaves room for tsx start-up on a busy machine.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(700);
    expect(result.elapsedMs).toBeLessThan(15000);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('gives up within the timeout when the download stops making progress', async () => {
    const dest = freshDest();
    const result = await runScript(['--url', `${origin}/stalls`, '--dest', dest, '--timeout-ms', '700']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no connection or no progress');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(700);
    expect(result.elapsedMs).toBeLessThan(15000);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('reports an HTTP error status', async () => {
    const dest = freshDest();
    const result = await runScript(['--url', `${origin}/missing.tar.gz`, '--dest', dest]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('answered HTTP 404');
  });

  it('refuses unknown options with exit code 2', async () => {
    const result = await runScript(['--bogus', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option --bogus');
  });
});

describe('parseDownloadArgs', () => {
  it('reads each option in both --name value and --name=value forms', () => {
    const options = parseDownloadArgs([
      '--timeout-ms=1500',
      '--url',
      'http://x/y.tar.gz?a=b',
      '--dest',
      'out',
      '--md5',
      archiveMd5,
    ]);
    expect(options.timeoutMs).toBe(1500);
    expect(options.url).toBe('http://x/y.tar.gz?a=b');
    expect(options.destDir).toBe(resolve('out'));
    expect(options.md5).toBe(archiveMd5);
    expect(parseDownloadArgs(['--url=http://h/p?q=1']).url).toBe('http://h/p?q=1');
  });

  it('rejects bad values', () => {
    expect(() => parseDownloadArgs(['--timeout-ms', '-5'])).toThrow(/--timeout-ms/);
    expect(() => parseDownloadArgs(['--md5', 'xyz'])).toThrow(/32 hex digits/);
    expect(() => parseDownloadArgs(['--url'])).toThrow(/needs a value/);
  });
});

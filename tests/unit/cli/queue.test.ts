// `npm run queue`: a sweep through BullMQ on a real Redis server (Debian's redis-server, started here
// on a free loopback port, nothing saved to disk): enqueue a grid, two worker processes pull and run
// the configurations, collect writes the same summary as `npm run sweep`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../../prerequisite';
import { decodeConfig } from '../../../src/core/config/url-codec';
import { parseRunList } from '../../../src/core/runs/run-list';
import { exitOf, runCli, startCli, waitForOutput } from '../../node-cli';

const REDIS_SERVER = '/usr/bin/redis-server';
const HAVE_REDIS = existsSync(REDIS_SERVER);
if (!HAVE_REDIS) console.warn(`queue tests skipped: ${REDIS_SERVER} is missing (apt-get install redis-server)`);

const TINY = 'backend=cpu&dataset=shapes&arch=mlp&ch=2&gch=2&zdim=4&batch=2&subset=16&spectra=0&proxyevery=0';
const QUEUE = 'sweep-test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe.skipIf(skipWithout(HAVE_REDIS, 'redis-server (apt-get install redis-server)'))(
  'npm run queue (BullMQ on a real Redis)',
  () => {
    let redis: ChildProcess | null = null;
    let url = '';
    const workers: ReturnType<typeof startCli>[] = [];
    const queueFlags = () => ['--redis', url, '--queue', QUEUE];

    beforeAll(async () => {
      const port = await freePort();
      url = `redis://127.0.0.1:${port}`;
      redis = spawn(REDIS_SERVER, ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], {
        stdio: 'ignore',
      });
      const deadline = Date.now() + 10_000;
      while (!(await ping(port))) {
        if (Date.now() > deadline || redis.exitCode !== null)
          throw new Error(`redis-server did not answer on port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 20_000);

    afterAll(async () => {
      for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
      if (redis && redis.exitCode === null) {
        const gone = new Promise((resolve) => redis?.once('exit', resolve));
        redis.kill('SIGTERM');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (redis.exitCode === null) redis.kill('SIGKILL');
      }
    }, 20_000);

    it(
      'enqueues a grid, two workers run it, collect writes the summary and run list; SIGTERM stops ' + 'the workers',
      async () => {
        // Workers first, both ready before anything is queued, one job each at a time: with jobs of a
        // couple of seconds, each worker takes one of the first two jobs.
        for (const name of ['wA', 'wB'])
          workers.push(startCli('src/cli/queue.ts', ['worker', ...queueFlags(), '--name', name, '--concurrency', '1']));
        await Promise.all(
          workers.map((worker, i) => waitForOutput(worker, `${['wA', 'wB'][i]}: ready on queue ${QUEUE}`, 30_000)),
        );

        const enqueued = await runCli('src/cli/queue.ts', [
          'enqueue',
          ...queueFlags(),
          '--grid',
          'norm=sn,wn&seed=1,2',
          '--base',
          TINY,
          '--iterations',
          '2',
        ]);
        expect(enqueued.code, enqueued.stderr).toBe(0);
        const sweepId = enqueued.stdout.trim();
        expect(sweepId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
        expect(enqueued.stderr).toContain(`queued 4 runs of sweep ${sweepId} on queue ${QUEUE}`);

        const dir = join(mkdtempSync(join(tmpdir(), 'queue-')), 'out');
        const collected = await runCli(
          'src/cli/queue.ts',
          [
            'collect',
            ...queueFlags(),
            '--sweep',
            sweepId,
            '--out',
            dir,
            '--wait',
            '--timeout',
            '60',
            '--poll-ms',
            '250',
          ],
          75_000,
        );
        expect(collected.code, collected.stderr).toBe(0);
        expect(collected.stderr).toContain(
          `collect ${sweepId}: 4/4 finished (4 completed, 0 failed, 0 active, 0 waiting)`,
        );

        const runs = parseRunList(readFileSync(join(dir, 'runs.json'), 'utf8'));
        expect(runs.map((r) => r.name)).toEqual([
          'norm=sn seed=1',
          'norm=sn seed=2',
          'norm=wn seed=1',
          'norm=wn seed=2',
        ]);
        for (const run of runs) {
          const [norm, seed] = run.name.split(' ').map((part) => part.split('=')[1]);
          const expected = decodeConfig(`${TINY}&norm=${norm}&seed=${seed}`).config;
          const saved = JSON.parse(readFileSync(join(dir, run.file), 'utf8'));
          expect(saved.config).toEqual(expected);
          expect(saved.iterations).toBe(2);
          expect(saved.history.at(-1).iteration).toBe(2);
        }
        const csv = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
        const header = csv[0].split(',');
        const byWorker = csv.slice(1).map((line) => line.split(',')[header.indexOf('worker')]);
        expect(csv.slice(1).every((line) => line.split(',')[header.indexOf('status')] === 'ok')).toBe(true);
        expect(new Set(byWorker)).toEqual(new Set(['wA', 'wB']));
        const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
        expect(markdown).toContain(
          '| # | norm | seed | status | D loss | G loss | sigma max / min | s (train / wall) | worker |',
        );
        expect(markdown).toContain(`- queue: ${QUEUE} at ${url}`);

        for (const worker of workers) worker.kill('SIGTERM');
        const exits = await Promise.all(workers.map((worker) => exitOf(worker, 15_000)));
        for (const [i, exit] of exits.entries()) {
          expect(exit.code, exit.stderr).toBe(0);
          expect(exit.stdout).toContain(`${['wA', 'wB'][i]}: SIGTERM: finishing 0 running job(s), then stopping`);
          expect(exit.stdout.match(/: started /g)?.length ?? 0).toBeGreaterThanOrEqual(1);
        }
      },
      90_000,
    );

    it(
      'reports a failed job in the table, --exit-when-idle stops a worker once the queue is empty, ' +
        '--remove clears the sweep',
      async () => {
        const enqueued = await runCli('src/cli/queue.ts', [
          'enqueue',
          ...queueFlags(),
          '--grid',
          'dataset=shapes,cifar10',
          '--base',
          TINY,
          '--iterations',
          '2',
        ]);
        expect(enqueued.code, enqueued.stderr).toBe(0);
        const sweepId = enqueued.stdout.trim();
        const dir = join(mkdtempSync(join(tmpdir(), 'queue-')), 'out');

        // Nothing has run yet: collect without --wait writes the pending rows and says so (exit 3).
        const early = await runCli('src/cli/queue.ts', ['collect', ...queueFlags(), '--sweep', sweepId, '--out', dir]);
        expect(early.code, early.stderr).toBe(3);
        expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('| 2 | `cifar10` | pending: waiting |');

        // This worker has no CIFAR-10 folder: the cifar10 run fails, the shapes run completes.
        const worker = startCli('src/cli/queue.ts', [
          'worker',
          ...queueFlags(),
          '--name',
          'wC',
          '--data',
          '/nonexistent-cifar',
          '--exit-when-idle',
        ]);
        workers.push(worker);
        const exit = await exitOf(worker, 60_000);
        expect(exit.code, exit.stderr).toBe(0);
        expect(exit.stdout).toContain('wC: idle: finishing 0 running job(s), then stopping');

        const collected = await runCli('src/cli/queue.ts', [
          'collect',
          ...queueFlags(),
          '--sweep',
          sweepId,
          '--out',
          dir,
          '--wait',
          '--remove',
        ]);
        expect(collected.code, collected.stderr).toBe(1);
        const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
        expect(markdown).toMatch(/\| 1 \| `shapes` \| ok \| .* \| wC \|/);
        expect(markdown).toMatch(
          /\| 2 \| `cifar10` \| failed: exit 1: .*\/nonexistent-cifar: CIFAR-10 not found.* \| wC \|/,
        );
        expect(parseRunList(readFileSync(join(dir, 'runs.json'), 'utf8')).map((r) => r.name)).toEqual([
          'dataset=shapes',
        ]);
        expect(collected.stderr).toContain(`removed the 2 jobs and the plan of sweep ${sweepId}`);
        const gone = await runCli('src/cli/queue.ts', ['collect', ...queueFlags(), '--sweep', sweepId, '--out', dir]);
        expect(gone.code).toBe(2);
        expect(gone.stderr).toContain(`no sweep ${sweepId} on queue ${QUEUE}`);
      },
      90_000,
    );

    it('refuses an invalid grid before queueing anything', async () => {
      const result = await runCli('src/cli/queue.ts', [
        'enqueue',
        ...queueFlags(),
        '--grid',
        'norm=sn,nope',
        '--iterations',
        '2',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('grid refused, nothing queued (1 problem):');
      expect(result.stderr).toContain('grid: norm="nope" must be one of');
    });
  },
);

// `npm run queue -- <enqueue|worker|collect> ...`: a sweep through a job queue (BullMQ on Redis), for
// sweeps that outgrow one machine.
//   enqueue  expands the grid exactly as `npm run sweep` does (refused before anything is queued if a
//            value is invalid), stores the sweep's plan in Redis and adds one job per run, job id
//            `<sweep id>-<index>`; prints the sweep id on stdout.
//   worker   pulls jobs and runs each as a child process of the headless CLI on this machine; the
//            run's JSON comes back as the job's return value, tagged with the worker's name. SIGTERM or
//            SIGINT: finishes the running jobs, then exits 0 (a second signal kills them and exits at
//            once; their jobs go back to the queue when their locks expire). --exit-when-idle: exits
//            once this worker runs nothing and no job waits.
//   collect  waits (--wait) until every job of the sweep has completed or failed, then writes the same
//            summary.md, summary.csv, runs.json and runs/*.json as `npm run sweep`.
// Results are collected in Redis: each job's return value holds the run's whole headless JSON, so
// workers need no shared disk, only the Redis URL; `collect --remove` deletes the sweep's jobs and
// plan from Redis once it has written them out.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, Worker, type Job } from 'bullmq';
import { runHeadlessChild } from './headless-child';
import { expandGridOrReport, namedGridHelp, timestampId, type SweepRun } from './sweep-grid';
import { progressLine, recordFromChild, runFileOf, writeSweepSummary, type RunRecord } from './sweep-summary';
import { errorText } from '../core/error-text';
import {
  DEFAULT_QUEUE,
  DEFAULT_REDIS,
  jobIdOf,
  metaKey,
  openQueue,
  redactedUrl,
  type JobProgress,
  type RunJobData,
  type RunJobResult,
  type SweepMeta,
} from './queue-connection';

const USAGE = `usage:
  npm run queue -- enqueue --grid '<grid>' --iterations N [--base '<query>'] [--redis URL] [--queue NAME]
  npm run queue -- worker [--redis URL] [--queue NAME] [--concurrency 1] [--name W] [--data DIR]
                          [--proxy-file PATH] [--exit-when-idle]
  npm run queue -- collect --sweep ID --out DIR [--redis URL] [--queue NAME] [--wait] [--timeout S]
                           [--poll-ms 1000] [--remove]
  --redis defaults to $REDIS_URL or redis://127.0.0.1:6379, --queue to ${DEFAULT_QUEUE}.
  grid: as npm run sweep (values list alternatives with , or |; classes and schedule only with |), named grids:
${namedGridHelp()}`;

function positiveInteger(text: string | undefined, flag: string, problems: string[]): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    problems.push(`${flag} must be a positive integer, got ${text ?? 'nothing'}`);
  return value;
}

type Values = ReturnType<typeof parseCommandLine>['values'];

function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      grid: { type: 'string' },
      base: { type: 'string', default: '' },
      iterations: { type: 'string' },
      redis: { type: 'string', default: DEFAULT_REDIS },
      queue: { type: 'string', default: DEFAULT_QUEUE },
      concurrency: { type: 'string', default: '1' },
      name: { type: 'string' },
      data: { type: 'string' },
      'proxy-file': { type: 'string' },
      'exit-when-idle': { type: 'boolean', default: false },
      sweep: { type: 'string' },
      out: { type: 'string' },
      wait: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '0' },
      'poll-ms': { type: 'string', default: '1000' },
      remove: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

async function enqueue(values: Values): Promise<number> {
  const problems: string[] = [];
  if (values.grid === undefined) problems.push('--grid is required');
  const iterations = positiveInteger(values.iterations, '--iterations', problems);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const plan = expandGridOrReport(values.grid ?? '', values.base ?? '', iterations, 'grid refused, nothing queued');
  if (!plan) return 2;
  const queue = await openQueue(values.queue, values.redis);
  try {
    const id = `${timestampId()}-${Math.random().toString(16).slice(2, 6)}`;
    const meta: SweepMeta = { id, created: new Date().toISOString(), plan };
    await (await queue.client).set(metaKey(queue, id), JSON.stringify(meta));
    await queue.addBulk(
      plan.runs.map((run) => ({
        name: run.stem,
        data: { sweepId: id, run, iterations } satisfies RunJobData,
        opts: { jobId: jobIdOf(id, run), removeOnComplete: false, removeOnFail: false, attempts: 1 },
      })),
    );
    console.error(
      `queued ${plan.runs.length} run${plan.runs.length === 1 ? '' : 's'} of sweep ${id} on queue ` +
        `${values.queue} at ${redactedUrl(values.redis)}`,
    );
    console.log(id);
    return 0;
  } finally {
    await queue.close();
  }
}

async function work(values: Values): Promise<number> {
  const problems: string[] = [];
  const concurrency = positiveInteger(values.concurrency, '--concurrency', problems);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const name = values.name ?? `${hostname()}-${process.pid}`;
  const abort = new AbortController();
  let active = 0;
  let closing = false;

  const processor = async (job: Job<RunJobData, RunJobResult>): Promise<RunJobResult> => {
    active++;
    const { run, iterations, sweepId } = job.data;
    const folder = mkdtempSync(join(tmpdir(), 'sgq-'));
    try {
      console.log(`${name}: started ${job.id} (${run.label})`);
      await job.updateProgress({ worker: name, iteration: 0 } satisfies JobProgress);
      let reported = 0;
      const outcome = await runHeadlessChild({
        query: run.query,
        iterations,
        out: join(folder, 'run.json'),
        data: values.data,
        proxyFile: values['proxy-file'],
        signal: abort.signal,
        onProgress: ({ iteration }) => {
          if (Date.now() - reported < 2000) return;
          reported = Date.now();
          job.updateProgress({ worker: name, iteration } satisfies JobProgress).catch(() => {});
        },
      });
      const record = recordFromChild(run, outcome, runFileOf(run));
      console.log(`${name}: ${progressLine(run.index, run.index, record).replace(/^\[\d+\/\d+\] /, `${sweepId} `)}`);
      if ((record.status === 'ok' || record.status === 'stopped') && record.result) {
        return {
          worker: name,
          host: hostname(),
          status: record.status,
          detail: record.detail,
          wallSeconds: outcome.wallSeconds,
          result: record.result,
        };
      }
      throw new Error(`${name}: ${record.detail}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
      active--;
    }
  };

  const worker = new Worker<RunJobData, RunJobResult>(values.queue, processor, {
    connection: { url: values.redis, maxRetriesPerRequest: null },
    concurrency,
    name,
  });
  worker.on('error', (error) => console.error(`${name}: ${error.message}`));
  const queue = values['exit-when-idle'] ? new Queue(values.queue, { connection: { url: values.redis } }) : null;
  queue?.on('error', (error) => console.error(`${name}: ${error.message}`));

  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const shutdown = async (why: string) => {
    if (closing) {
      console.error(
        `${name}: ${why} again: killing ${active} running job(s); they go back to the queue when their locks expire`,
      );
      abort.abort();
      resolveExit(130);
      return;
    }
    closing = true;
    console.log(`${name}: ${why}: finishing ${active} running job(s), then stopping`);
    await worker.close();
    await queue?.close();
    console.log(`${name}: stopped`);
    resolveExit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await worker.waitUntilReady();
  console.log(`${name}: ready on queue ${values.queue} at ${redactedUrl(values.redis)} (concurrency ${concurrency})`);

  if (queue) {
    const timer = setInterval(() => {
      if (closing || active > 0) return;
      queue
        .getJobCounts('waiting', 'prioritized', 'delayed')
        .then((counts) => {
          const waiting = Object.values(counts).reduce((a, b) => a + b, 0);
          if (waiting === 0 && active === 0 && !closing) {
            clearInterval(timer);
            void shutdown('idle');
          }
        })
        .catch(() => {});
    }, 1000);
  }
  return exited;
}

async function collect(values: Values): Promise<number> {
  const problems: string[] = [];
  if (!values.sweep) problems.push('--sweep is required (the id enqueue printed)');
  if (!values.out) problems.push('--out is required');
  const pollMs = positiveInteger(values['poll-ms'], '--poll-ms', problems);
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS < 0)
    problems.push(`--timeout must be seconds >= 0 (0: no limit), got ${values.timeout}`);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const id = values.sweep ?? '';
  const dir = values.out ?? '';
  const queue = await openQueue(values.queue, values.redis);
  try {
    const client = await queue.client;
    const stored = await client.get(metaKey(queue, id));
    if (!stored) {
      console.error(
        `no sweep ${id} on queue ${values.queue} at ${redactedUrl(values.redis)} (the id enqueue ` +
          `printed? removed with collect --remove?)`,
      );
      return 2;
    }
    const meta = JSON.parse(stored) as SweepMeta;
    const runs = meta.plan.runs;
    const deadline = timeoutS > 0 ? Date.now() + timeoutS * 1000 : Infinity;
    type Seen = { run: SweepRun; job: Job<RunJobData, RunJobResult> | null; state: string };
    let seen: Seen[] = [];
    let lastLine = '';
    for (;;) {
      seen = await Promise.all(
        runs.map(async (run): Promise<Seen> => {
          const job = ((await queue.getJob(jobIdOf(id, run))) as Job<RunJobData, RunJobResult> | undefined) ?? null;
          return { run, job, state: job ? await job.getState() : 'missing' };
        }),
      );
      const count = (state: string) => seen.filter((s) => s.state === state).length;
      const pending = seen.filter((s) => !['completed', 'failed', 'missing'].includes(s.state)).length;
      const missing = count('missing') ? `, ${count('missing')} missing` : '';
      const line =
        `collect ${id}: ${runs.length - pending}/${runs.length} finished (${count('completed')} completed, ` +
        `${count('failed')} failed${missing}, ${count('active')} active, ${pending - count('active')} waiting)`;
      if (line !== lastLine) console.error(line);
      lastLine = line;
      if (!values.wait || pending === 0) break;
      if (Date.now() >= deadline) {
        console.error(`collect: --timeout ${timeoutS} s reached; writing what has finished`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }

    mkdirSync(join(dir, 'runs'), { recursive: true });
    const records = seen.map(({ run, job, state }): RunRecord => {
      const progress = (job?.progress && typeof job.progress === 'object' ? job.progress : {}) as JobProgress;
      const empty = { run, result: null, file: null, wallSeconds: null, worker: progress.worker ?? null };
      if (!job) return { ...empty, status: 'failed', detail: 'job not found in Redis (removed?)' };
      if (state === 'completed') {
        const value = job.returnvalue;
        const file = runFileOf(run);
        writeFileSync(join(dir, file), JSON.stringify(value.result, null, 2));
        return {
          run,
          status: value.status,
          detail: value.detail,
          result: value.result,
          file,
          wallSeconds: value.wallSeconds,
          worker: value.worker,
        };
      }
      if (state === 'failed') {
        const reason = job.failedReason || 'failed';
        const prefix = progress.worker ? `${progress.worker}: ` : '';
        return {
          ...empty,
          status: 'failed',
          detail: prefix && reason.startsWith(prefix) ? reason.slice(prefix.length) : reason,
        };
      }
      const where = progress.worker
        ? ` on ${progress.worker}${progress.iteration ? ` at iteration ${progress.iteration}` : ''}`
        : '';
      return { ...empty, status: 'pending', detail: `${state}${where}` };
    });
    const outputs = writeSweepSummary(
      dir,
      {
        id,
        plan: meta.plan,
        notes: [`queue: ${values.queue} at ${redactedUrl(values.redis)}`, `enqueued: ${meta.created}`],
      },
      records,
    );
    console.log(`wrote ${outputs.summaryMd}, ${outputs.summaryCsv}, ${outputs.runList}`);
    const pending = records.some((r) => r.status === 'pending');
    if (values.remove) {
      if (pending) console.error('collect: --remove skipped: some jobs have not finished');
      else {
        await Promise.all(seen.map((s) => s.job?.remove()));
        await client.del(metaKey(queue, id));
        console.error(`collect: removed the ${runs.length} jobs and the plan of sweep ${id} from Redis`);
      }
    }
    if (pending) return 3;
    return records.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    await queue.close();
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine();
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals.length > 1) {
    console.error(`unexpected argument ${positionals[1]}\n${USAGE}`);
    return 2;
  }
  if (command === 'enqueue') return enqueue(values);
  if (command === 'worker') return work(values);
  if (command === 'collect') return collect(values);
  console.error(`unknown command ${command} (enqueue, worker, collect)\n${USAGE}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    process.exit(1);
  },
);

// `npm run sweep -- --grid '<grid>' --iterations N [--base '<query>'] [--parallel P] [--out DIR] [--data DIR]
// [--proxy-file PATH] [--dry-run]`
// Runs every configuration of a grid as its own headless run (a child process of the headless CLI),
// P at a time, each writing DIR/runs/<index>-<varied values>.json, and writes DIR/summary.md,
// DIR/summary.csv and DIR/runs.json (a run list the page opens to compare the runs).
// A grid with any invalid value is refused before anything runs. A failed run is reported in the
// table (its stderr tail) without stopping the others. Exit status: 0 when every run wrote its JSON
// (training stopped early, e.g. on a NaN loss, counts: it is a result), 1 when a run failed,
// 2 for a refused grid or bad flags, 130 when interrupted (the summary still covers what finished).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runHeadlessChild } from './headless-child';
import { expandGridOrReport, namedGridHelp, timestampId, type SweepRun } from './sweep-grid';
import { progressLine, recordFromChild, runFileOf, writeSweepSummary, type RunRecord } from './sweep-summary';

const USAGE = `usage: npm run sweep -- --grid '<grid>' --iterations N [--base '<query>'] [--parallel P] [--out DIR]
                             [--data DIR] [--proxy-file PATH] [--dry-run]
  --data and --proxy-file go to every headless run (a proxy file saves each run training its own proxy net)
  grid: a query string whose values list alternatives, e.g. 'norm=sn,sr-static&batch=64,128&ch=16,32'
        (\`|\` separates alternatives in any field, and is the only separator in classes and schedule:
        'classes=0,1|2,3'), or a named grid, optionally with more axes: 'sr-paper&seed=1,2'
  named grids:
${namedGridHelp()}`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      grid: { type: 'string' },
      base: { type: 'string', default: '' },
      iterations: { type: 'string' },
      parallel: { type: 'string', default: '2' },
      out: { type: 'string' },
      data: { type: 'string' },
      'proxy-file': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const iterations = Number(values.iterations);
  const parallel = Number(values.parallel);
  const problems: string[] = [];
  if (values.grid === undefined) problems.push('--grid is required');
  if (!Number.isInteger(iterations) || iterations < 1)
    problems.push(`--iterations must be a positive integer, got ${values.iterations ?? 'nothing'}`);
  if (!Number.isInteger(parallel) || parallel < 1)
    problems.push(`--parallel must be a positive integer, got ${values.parallel}`);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const plan = expandGridOrReport(values.grid ?? '', values.base ?? '', iterations, 'sweep refused, nothing ran');
  if (!plan) return 2;
  if (values['dry-run']) {
    for (const run of plan.runs) console.log(`${run.stem}\t${run.query}`);
    console.error(`${plan.runs.length} runs (dry run: nothing ran)`);
    return 0;
  }
  const id = timestampId();
  const dir = values.out ?? join('sweeps', id);
  if (existsSync(join(dir, 'runs.json'))) {
    console.error(`${dir} already holds a sweep (runs.json); pick another --out or remove it`);
    return 2;
  }
  mkdirSync(join(dir, 'runs'), { recursive: true });
  const total = plan.runs.length;
  const workers = Math.min(parallel, total);
  console.log(
    `sweep of ${total} run${total === 1 ? '' : 's'}, ${workers} at a time, ${iterations} iterations each -> ${dir}`,
  );

  const abort = new AbortController();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(
      `${signal}: stopping the running runs and writing the summary of what finished (again to quit at once)`,
    );
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const records = new Map<number, RunRecord>();
  let next = 0;
  let done = 0;
  const runOne = async (run: SweepRun) => {
    const file = runFileOf(run);
    const outcome = await runHeadlessChild({
      query: run.query,
      iterations,
      out: join(dir, file),
      data: values.data,
      proxyFile: values['proxy-file'],
      signal: abort.signal,
    });
    const record = recordFromChild(run, outcome, file, interrupted);
    records.set(run.index, record);
    done++;
    console.log(progressLine(done, total, record));
  };
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total && !interrupted) await runOne(plan.runs[next++]);
    }),
  );
  const all = plan.runs.map(
    (run): RunRecord =>
      records.get(run.index) ?? {
        run,
        status: 'cancelled',
        detail: 'not started',
        result: null,
        file: null,
        wallSeconds: null,
      },
  );
  const outputs = writeSweepSummary(dir, { id, plan, notes: [`parallel: ${workers}`, `folder: \`${dir}\``] }, all);
  console.log(`wrote ${outputs.summaryMd}, ${outputs.summaryCsv}, ${outputs.runList}`);
  if (interrupted) return 130;
  return all.some((r) => r.status !== 'ok' && r.status !== 'stopped') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

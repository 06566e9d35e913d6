// `npm run experiment -- --list` | `npm run experiment -- <id>... | --all [--iterations N] [--out DIR] [--backend B]
// [--data DIR] [--parallel P]`
// Runs an experiment of the gallery headless (src/core/experiments/catalogue.ts) and prints its
// verdict, PASS or FAIL, with the figures it was judged on. Writes each run's metrics JSON and the
// verdict to DIR/<id>/. Exit status: 0 when every experiment passed, 1 when one failed, 2 for bad arguments.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPERIMENTS, findExperiment } from '../core/experiments/catalogue';
import { runExperiments } from './experiment-runner';
import { timestampId } from './sweep-grid';

const USAGE = `usage: npm run experiment -- --list
       npm run experiment -- <id>... | --all [--iterations N] [--out DIR] [--backend cpu|webgpu]
                                            [--data DIR] [--parallel P]
  ids: ${EXPERIMENTS.map((e) => e.id).join(', ')}`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        list: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        iterations: { type: 'string' },
        out: { type: 'string' },
        backend: { type: 'string', default: 'cpu' },
        data: { type: 'string' },
        parallel: { type: 'string', default: '2' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const experiment of EXPERIMENTS) console.log(experiment.id);
    return 0;
  }
  const problems: string[] = [];
  const unknown = positionals.filter((id) => !findExperiment(id));
  if (unknown.length > 0) problems.push(`unknown experiment${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}`);
  if (positionals.length === 0 && !values.all) problems.push('name an experiment (or --all, or --list)');
  const iterations = values.iterations === undefined ? undefined : Number(values.iterations);
  if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 1))
    problems.push(`--iterations must be a positive integer, got ${values.iterations}`);
  const parallel = Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1)
    problems.push(`--parallel must be a positive integer, got ${values.parallel}`);
  if (!['cpu', 'webgpu', 'webgl'].includes(values.backend ?? ''))
    problems.push(`--backend must be cpu, webgpu or webgl, got ${values.backend}`);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const chosen = values.all ? [...EXPERIMENTS] : positionals.map((id) => findExperiment(id)!);
  const out = values.out ?? join('experiments', timestampId());
  console.log(`experiment${chosen.length === 1 ? '' : 's'} ${chosen.map((e) => e.id).join(', ')} -> ${out}`);
  const outcomes = await runExperiments(chosen, {
    iterations,
    backend: values.backend,
    out,
    data: values.data,
    parallel,
  });
  for (const { experiment, iterations: its, runs, verdict } of outcomes) {
    const seconds = runs.reduce((sum, run) => sum + run.wallSeconds, 0);
    console.log(
      `\n${verdict.status === 'pass' ? 'PASS' : 'FAIL'} ${experiment.id}: ${experiment.title} ` +
        `(${runs.length} runs of ${its} iterations, ${seconds.toFixed(0)} s of runs)`,
    );
    for (const line of verdict.figures) console.log(`  ${line}`);
    console.log(
      `  wrote ${join(out, experiment.id)}/verdict.json and ${runs.map((run) => run.file.split('/').pop()).join(', ')}`,
    );
  }
  return outcomes.every((outcome) => outcome.verdict.status === 'pass') ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

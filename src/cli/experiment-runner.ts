// Runs experiments headless: every distinct run (query + iterations) once, as a child process of the
// headless CLI, P at a time, then each experiment's criterion over its runs' records.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment, Verdict } from '../core/experiments/types';
import { parseMetricsRecord, type MetricsRecord } from '../core/runs/metrics-record';
import { runHeadlessChild } from './headless-child';

export interface ExperimentOptions {
  /** Iterations of every run instead of the experiment's own. */
  iterations?: number;
  /** `backend` of the runs (default cpu: the same numbers on every machine without a GPU). */
  backend?: string;
  /** Where runs and verdicts go: DIR/<experiment id>/<run label>.json and DIR/<id>/verdict.json. */
  out: string;
  data?: string;
  parallel?: number;
  log?: (line: string) => void;
}

export interface RunOutcome {
  label: string;
  query: string;
  file: string;
  wallSeconds: number;
  /** Null when the run wrote no readable metrics (error says why). */
  record: MetricsRecord | null;
  error: string | null;
}

export interface ExperimentOutcome {
  experiment: Experiment;
  iterations: number;
  runs: RunOutcome[];
  verdict: Verdict;
}

/** A label as a file name. */
function fileStem(label: string): string {
  return label.replace(/[^A-Za-z0-9.=-]+/g, '_');
}

interface PlannedRun {
  key: string;
  query: string;
  iterations: number;
  file: string;
}

export async function runExperiments(
  experiments: readonly Experiment[],
  options: ExperimentOptions,
): Promise<ExperimentOutcome[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const backend = options.backend ?? 'cpu';
  const shared = join(options.out, 'runs');
  mkdirSync(shared, { recursive: true });
  const planned = new Map<string, PlannedRun>();
  const plans = experiments.map((experiment) => {
    const iterations = options.iterations ?? experiment.iterations;
    return {
      experiment,
      iterations,
      runs: experiment.runs.map((run) => {
        const query = `${run.query}&backend=${backend}`;
        const key = `${iterations}|${query}`;
        if (!planned.has(key))
          planned.set(key, { key, query, iterations, file: join(shared, `run-${planned.size + 1}.json`) });
        return { run, planned: planned.get(key)! };
      }),
    };
  });
  const results = new Map<string, { wallSeconds: number; record: MetricsRecord | null; error: string | null }>();
  const queue = [...planned.values()];
  const workers = Math.max(1, Math.min(options.parallel ?? 2, queue.length));
  log(`${queue.length} distinct run${queue.length === 1 ? '' : 's'}, ${workers} at a time (backend ${backend})`);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let run = queue.shift(); run; run = queue.shift()) {
        const outcome = await runHeadlessChild({
          query: run.query,
          iterations: run.iterations,
          out: run.file,
          data: options.data,
        });
        let record: MetricsRecord | null = null;
        let error: string | null = outcome.readError;
        if (outcome.result) {
          try {
            record = parseMetricsRecord(JSON.stringify(outcome.result));
          } catch (parseError) {
            error = String(parseError);
          }
        } else if (error === null) {
          const exit = outcome.exitCode ?? outcome.exitSignal;
          error = `the run wrote no metrics (exit ${exit}): ${outcome.stderrTail.slice(-400)}`;
        }
        results.set(run.key, { wallSeconds: outcome.wallSeconds, record, error });
        log(
          `  ran ${run.iterations} it of ${run.query} in ${outcome.wallSeconds.toFixed(0)} ` +
            `s${error ? ` — ${error}` : ''}`,
        );
      }
    }),
  );
  return plans.map(({ experiment, iterations, runs }) => {
    const folder = join(options.out, experiment.id);
    mkdirSync(folder, { recursive: true });
    const outcomes = runs.map(({ run, planned: plan }): RunOutcome => {
      const result = results.get(plan.key)!;
      const file = join(folder, `${fileStem(run.label)}.json`);
      if (result.record) copyFileSync(plan.file, file);
      return { label: run.label, query: plan.query, file, ...result };
    });
    const verdict = experiment.criterion(outcomes.map((outcome) => outcome.record ?? undefined));
    const judged: Verdict =
      verdict.status === 'pending'
        ? { status: 'fail', figures: [...verdict.figures, 'a run it needs wrote no metrics'] }
        : verdict;
    writeFileSync(
      join(folder, 'verdict.json'),
      `${JSON.stringify(
        {
          id: experiment.id,
          title: experiment.title,
          claim: experiment.claim,
          iterations,
          verdict: judged.status === 'pass' ? 'PASS' : 'FAIL',
          figures: judged.figures,
          runs: outcomes.map(({ label, query, wallSeconds, error }) => ({
            label,
            query,
            file: `${fileStem(label)}.json`,
            wallSeconds,
            error,
          })),
        },
        null,
        2,
      )}\n`,
    );
    return { experiment, iterations, runs: outcomes, verdict: judged };
  });
}

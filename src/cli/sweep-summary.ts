// The summary of a sweep, the same whether its runs ran here (`npm run sweep`) or through the job
// queue (`npm run queue -- collect`): `summary.md` (one table row per run), `summary.csv` (the same
// with full precision and every column) and `runs.json` (a run list the page opens to compare runs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../core/metrics/csv';
import { formatRunList } from '../core/runs/run-list';
import { lastLines, type HeadlessChildOutcome } from './headless-child';
import type { SweepPlan, SweepRun } from './sweep-grid';

export type RunStatus = 'ok' | 'stopped' | 'failed' | 'cancelled' | 'pending';

export interface RunRecord {
  run: SweepRun;
  status: RunStatus;
  /** stopped: why training stopped; failed: exit status and the stderr tail; pending: the job's state. */
  detail: string;
  /** The run's headless JSON, when there is one. */
  result: Record<string, unknown> | null;
  /** The run file, relative to the sweep folder, when it was written. */
  file: string | null;
  /** Seconds the child process ran (start-up and data loading included). */
  wallSeconds: number | null;
  /** Queue runs: the worker that ran it. */
  worker?: string | null;
}

/** The numbers a row shows, read tolerantly from a headless JSON (absent parts give null). */
export interface RunMetrics {
  iterations: number | null;
  dLoss: number | null;
  gLoss: number | null;
  sigmaMax: number | null;
  sigmaMin: number | null;
  collapseMin: number | null;
  isProxy: number | null;
  fidProxy: number | null;
  kidProxy: number | null;
  classesCovered: number | null;
  trainSeconds: number | null;
  backend: string | null;
}

/** The run file of a run, relative to the sweep folder. */
export function runFileOf(run: SweepRun): string {
  return `runs/${run.stem}.json`;
}

/** Classifies what a headless child left behind. `cancelled` when the sweep itself stopped it. */
export function recordFromChild(
  run: SweepRun,
  outcome: HeadlessChildOutcome,
  file: string,
  cancelled = false,
): RunRecord {
  const base = { run, result: outcome.result, file: outcome.result ? file : null, wallSeconds: outcome.wallSeconds };
  const stopped = outcome.result?.stoppedBecause;
  if (typeof stopped === 'string' && stopped !== '') return { ...base, status: 'stopped', detail: stopped };
  if (outcome.result && outcome.exitCode === 0) return { ...base, status: 'ok', detail: '' };
  if (cancelled) return { ...base, status: 'cancelled', detail: 'the sweep was interrupted' };
  const how = outcome.exitSignal
    ? `killed by ${outcome.exitSignal}`
    : outcome.exitCode === null
      ? 'did not start'
      : `exit ${outcome.exitCode}`;
  const parts = [how, outcome.readError, lastLines(outcome.stderrTail)].filter((p): p is string => !!p);
  return { ...base, status: 'failed', detail: parts.join(': ') };
}

function finite(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function lastOf(value: unknown): unknown {
  return Array.isArray(value) && value.length > 0 ? value[value.length - 1] : null;
}

/** First value under `key` in a nested object (breadth first, a few levels deep). */
function findKey(root: unknown, key: string, depth = 3): unknown {
  let level: unknown[] = [root];
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
      const record = node as Record<string, unknown>;
      if (key in record) return record[key];
      next.push(...Object.values(record));
    }
    level = next;
  }
  return undefined;
}

/**
 * The last proxy evaluation: `proxies` is the headless run's array of evaluations (flat rows:
 * iteration, isProxy, fidProxy, kidMean, classesCovered, ...); nested shapes and an object holding
 * `evaluations` are read too, and an absent or empty `proxies` gives no proxy columns.
 */
function lastProxyEvaluation(result: Record<string, unknown>): unknown {
  const proxies = result.proxies;
  if (Array.isArray(proxies)) return lastOf(proxies);
  if (typeof proxies === 'object' && proxies !== null) return lastOf((proxies as Record<string, unknown>).evaluations);
  return null;
}

export function runMetrics(result: Record<string, unknown> | null): RunMetrics {
  const metrics: RunMetrics = {
    iterations: null,
    dLoss: null,
    gLoss: null,
    sigmaMax: null,
    sigmaMin: null,
    collapseMin: null,
    isProxy: null,
    fidProxy: null,
    kidProxy: null,
    classesCovered: null,
    trainSeconds: null,
    backend: null,
  };
  if (!result) return metrics;
  metrics.iterations = finite(result.iterations);
  metrics.trainSeconds = finite(result.seconds);
  metrics.backend = typeof result.backend === 'string' ? result.backend : null;
  const point = lastOf(result.history) as Record<string, unknown> | null;
  if (point && typeof point === 'object') {
    metrics.dLoss = finite(point.dLoss);
    metrics.gLoss = finite(point.gLoss);
    const sigmas = Array.isArray(point.sigmas) ? point.sigmas.filter((s): s is number => typeof s === 'number') : [];
    if (sigmas.length > 0) {
      metrics.sigmaMax = Math.max(...sigmas);
      metrics.sigmaMin = Math.min(...sigmas);
    }
  }
  const snapshot = lastOf(result.spectra) as Record<string, unknown> | null;
  if (snapshot && typeof snapshot === 'object' && Array.isArray(snapshot.layers)) {
    const values = snapshot.layers
      .map((layer: unknown) => finite((layer as Record<string, unknown> | null)?.collapse))
      .filter((v): v is number => v !== null);
    if (values.length > 0) metrics.collapseMin = Math.min(...values);
  }
  const evaluation = lastProxyEvaluation(result);
  if (evaluation) {
    metrics.isProxy = finite(findKey(evaluation, 'isProxy'));
    metrics.fidProxy = finite(findKey(evaluation, 'fidProxy'));
    // Headless runs write `kidMean`; the page's SampleQuality has `kidProxy: { mean, std }`.
    const kid = findKey(evaluation, 'kidProxy');
    metrics.kidProxy = finite(findKey(evaluation, 'kidMean')) ?? finite(kid) ?? finite(findKey(kid, 'mean', 0));
    metrics.classesCovered = finite(findKey(evaluation, 'classesCovered'));
  }
  return metrics;
}

function fixed(value: number | null, digits: number): string {
  if (value === null) return '';
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function precise(value: number | null, digits: number): string {
  if (value === null) return '';
  return Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : String(value);
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function statusText(record: RunRecord): string {
  return record.detail ? `${record.status}: ${record.detail}` : record.status;
}

export interface SummaryContext {
  /** Sweep id (the queue's, or the folder's name for local sweeps). */
  id: string;
  plan: SweepPlan;
  /** Extra header lines (markdown list items without the dash), e.g. the queue and Redis URL. */
  notes?: string[];
}

export function summaryMarkdown(context: SummaryContext, records: readonly RunRecord[]): string {
  const { plan } = context;
  const metrics = records.map((r) => runMetrics(r.result));
  const withCollapse = metrics.some((m) => m.collapseMin !== null);
  const withProxies = metrics.some((m) => m.isProxy !== null || m.fidProxy !== null || m.kidProxy !== null);
  const withWorker = records.some((r) => r.worker);
  const counts = (['ok', 'stopped', 'failed', 'cancelled', 'pending'] as const)
    .map((status) => [status, records.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const fixedFields = Object.entries(plan.fixed)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(', ');
  const lines = [
    `# Sweep ${context.id}`,
    '',
    `- grid: \`${plan.grid}\``,
    `- base: ${plan.base.trim() ? `\`${plan.base}\`` : '(none: defaults)'}`,
    ...(fixedFields ? [`- fixed by the grid: ${fixedFields}`] : []),
    `- iterations: ${plan.iterations} per run`,
    `- runs: ${records.length} (${counts || 'none'})`,
    ...(context.notes ?? []).map((note) => `- ${note}`),
    `- written: ${new Date().toISOString()}`,
    '',
  ];
  const header = ['#', ...plan.varied, 'status', 'D loss', 'G loss', 'sigma max / min'];
  if (withCollapse) header.push('collapse min');
  if (withProxies) header.push('IS proxy', 'FID proxy', 'KID proxy');
  header.push('s (train / wall)');
  if (withWorker) header.push('worker');
  lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  records.forEach((record, i) => {
    const m = metrics[i];
    const row = [
      String(record.run.index),
      ...plan.varied.map((key) => `\`${record.run.values[key] ?? ''}\``),
      statusText(record),
      fixed(m.dLoss, 4),
      fixed(m.gLoss, 4),
      m.sigmaMax === null ? '' : `${precise(m.sigmaMax, 4)} / ${precise(m.sigmaMin, 4)}`,
    ];
    if (withCollapse) row.push(fixed(m.collapseMin, 3));
    if (withProxies) row.push(fixed(m.isProxy, 3), precise(m.fidProxy, 4), precise(m.kidProxy, 3));
    row.push(
      m.trainSeconds === null && record.wallSeconds === null
        ? ''
        : `${fixed(m.trainSeconds, 1) || '?'} / ${fixed(record.wallSeconds, 1) || '?'}`,
    );
    if (withWorker) row.push(record.worker ?? '');
    lines.push(`| ${row.map(cell).join(' | ')} |`);
  });
  lines.push(
    '',
    'Losses and sigma (power-iteration estimate of each D layer, max / min over layers) at the last read-back' +
      (withCollapse
        ? '; collapse min: the lowest collapse indicator over D layers in the last spectrum snapshot'
        : '') +
      (withProxies ? '; IS / FID / KID proxies of the last sample-quality evaluation' : '') +
      '. Every column at full precision: `summary.csv`. Open `runs.json` in the page to compare the runs.',
    '',
  );
  return lines.join('\n');
}

export const SUMMARY_CSV_FIXED_COLUMNS = [
  'index',
  'name',
  'status',
  'detail',
  'iterations',
  'd_loss',
  'g_loss',
  'sigma_max',
  'sigma_min',
  'collapse_min',
  'is_proxy',
  'fid_proxy',
  'kid_proxy',
  'classes_covered',
  'train_seconds',
  'wall_seconds',
  'backend',
  'worker',
  'file',
  'query',
] as const;

export function summaryCsv(plan: SweepPlan, records: readonly RunRecord[]): string {
  const columns = ['index', 'name', ...plan.varied, ...SUMMARY_CSV_FIXED_COLUMNS.slice(2)];
  const rows = records.map((record) => {
    const m = runMetrics(record.result);
    return {
      ...record.run.values,
      index: record.run.index,
      name: record.run.label,
      status: record.status,
      detail: record.detail,
      iterations: m.iterations,
      d_loss: m.dLoss,
      g_loss: m.gLoss,
      sigma_max: m.sigmaMax,
      sigma_min: m.sigmaMin,
      collapse_min: m.collapseMin,
      is_proxy: m.isProxy,
      fid_proxy: m.fidProxy,
      kid_proxy: m.kidProxy,
      classes_covered: m.classesCovered,
      train_seconds: m.trainSeconds,
      wall_seconds: record.wallSeconds,
      backend: m.backend,
      worker: record.worker ?? null,
      file: record.file,
      query: record.run.query,
    };
  });
  return toCsv(columns, rows);
}

export interface SweepOutputs {
  summaryMd: string;
  summaryCsv: string;
  runList: string;
}

/** Writes summary.md, summary.csv and runs.json (runs with a file only) into `dir`. */
export function writeSweepSummary(dir: string, context: SummaryContext, records: readonly RunRecord[]): SweepOutputs {
  mkdirSync(dir, { recursive: true });
  const outputs = {
    summaryMd: join(dir, 'summary.md'),
    summaryCsv: join(dir, 'summary.csv'),
    runList: join(dir, 'runs.json'),
  };
  writeFileSync(outputs.summaryMd, summaryMarkdown(context, records));
  writeFileSync(outputs.summaryCsv, summaryCsv(context.plan, records));
  const entries = records
    .filter((r): r is RunRecord & { file: string } => r.file !== null)
    .map((r) => ({ name: r.run.label, query: r.run.query, file: r.file }));
  writeFileSync(outputs.runList, formatRunList(entries, `sweep ${context.id}`));
  return outputs;
}

/** One progress line for a finished run. */
export function progressLine(done: number, total: number, record: RunRecord): string {
  const m = runMetrics(record.result);
  const losses = m.dLoss === null ? '' : `  D ${fixed(m.dLoss, 4)} G ${fixed(m.gLoss, 4)}`;
  const wall = record.wallSeconds === null ? '' : ` in ${record.wallSeconds.toFixed(1)} s`;
  const worker = record.worker ? ` on ${record.worker}` : '';
  return `[${done}/${total}] ${record.run.stem}  ${statusText(record)}${wall}${worker}${losses}`;
}

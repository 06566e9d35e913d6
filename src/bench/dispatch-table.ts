// The `dispatches` benchmark's arithmetic and report, pure (no tfjs): per-iteration averages over a
// counted cycle of iterations, the SR-burst iteration, the printed tables and the suite's rows, and
// the profiled iteration's top kernels by GPU time.
import { NORMS, type NormName } from '../core/config/schema';
import type { SummaryRow } from './bench-summary';
import type { DispatchCount, KernelTally } from './dispatch-count';
import type { KernelProfile } from './kernel-profile';
import { median } from './side-by-side';

/** The methods to measure, `none` first (added when missing); an unknown name throws. */
export function parseNorms(list: string | undefined): NormName[] {
  const names = (list ?? NORMS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(NORMS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`--norms: unknown method(s) ${unknown.join(', ')}; one of ${NORMS.join(', ')}`);
  return ['none', ...new Set(names.filter((name) => name !== 'none'))] as NormName[];
}

/** One normalization's counts and times. */
export interface NormDispatches {
  norm: string;
  /** One count per iteration of the counted cycle, in order (one iteration, or srevery for SR). */
  iterations: DispatchCount[];
  /** Which of `iterations` is the SR burst (SR methods only). */
  burstIndex?: number;
  /** Median over repeats of the cycle's mean iteration time. */
  msPerIteration: number;
  /** Median over repeats of the burst iteration's time (SR methods only). */
  burstMs?: number;
}

export interface KernelLine extends KernelTally {
  name: string;
}

/** The counts of several iterations added up. */
export function sumCounts(counts: readonly DispatchCount[]): DispatchCount {
  const total: DispatchCount = { dispatches: 0, kernelCalls: 0, byKernel: {} };
  for (const count of counts) {
    total.dispatches += count.dispatches;
    total.kernelCalls += count.kernelCalls;
    for (const [name, tally] of Object.entries(count.byKernel)) {
      const into = (total.byKernel[name] ??= { calls: 0, dispatches: 0 });
      into.calls += tally.calls;
      into.dispatches += tally.dispatches;
    }
  }
  return total;
}

/** Per-iteration means of several iterations' counts (fractions where the iterations differ). */
export function averageCount(counts: readonly DispatchCount[]): DispatchCount {
  if (counts.length === 0) throw new Error('no counted iterations to average');
  const total = sumCounts(counts);
  const n = counts.length;
  const byKernel = Object.fromEntries(
    Object.entries(total.byKernel).map(([name, t]) => [name, { calls: t.calls / n, dispatches: t.dispatches / n }]),
  );
  return { dispatches: total.dispatches / n, kernelCalls: total.kernelCalls / n, byKernel };
}

/** The kernels with most dispatches (then most calls, then by name), at most `n`; none with 0 dispatches. */
export function topKernels(count: DispatchCount, n = 10): KernelLine[] {
  return Object.entries(count.byKernel)
    .map(([name, tally]) => ({ name, ...tally }))
    .filter((line) => line.dispatches > 0)
    .sort((a, b) => b.dispatches - a.dispatches || b.calls - a.calls || a.name.localeCompare(b.name))
    .slice(0, n);
}

/** Median over repeats of each repeat's mean, and of the burst iteration's time when there is one. */
export function cycleTimes(
  samples: readonly (readonly number[])[],
  burstIndex?: number,
): { mean: number; burst?: number } {
  if (samples.length === 0) throw new Error('no timed repeats');
  const mean = median(samples.map((cycle) => cycle.reduce((a, b) => a + b, 0) / cycle.length));
  return burstIndex === undefined ? { mean } : { mean, burst: median(samples.map((cycle) => cycle[burstIndex])) };
}

/** An integer as it is, a mean to one decimal. */
export function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function burstOf(row: NormDispatches): DispatchCount | undefined {
  return row.burstIndex === undefined ? undefined : row.iterations[row.burstIndex];
}

/** Right-aligned columns under a header, the first column left-aligned. */
function alignColumns(header: string[], lines: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((line) => line[c].length)));
  const cell = (text: string, c: number) => (c === 0 ? text.padEnd(widths[c]) : text.padStart(widths[c]));
  return [header, ...lines].map((line) => line.map(cell).join('  ').trimEnd());
}

export const TABLE_HEADER = [
  'norm',
  'dispatches/it',
  'kernel calls/it',
  'ms/it',
  'iterations counted',
  'SR burst: dispatches',
  'kernel calls',
  'ms',
];

/** One line per normalization: per-iteration means over the counted cycle, then its SR burst iteration. */
export function formatDispatchTable(rows: readonly NormDispatches[]): string {
  const lines = rows.map((row) => {
    const mean = averageCount(row.iterations);
    const burst = burstOf(row);
    return [
      row.norm,
      formatCount(mean.dispatches),
      formatCount(mean.kernelCalls),
      formatMs(row.msPerIteration),
      String(row.iterations.length),
      burst ? String(burst.dispatches) : '-',
      burst ? String(burst.kernelCalls) : '-',
      row.burstMs === undefined ? '-' : formatMs(row.burstMs),
    ];
  });
  return alignColumns(TABLE_HEADER, lines).join('\n');
}

/** A normalization's top kernels by dispatches per iteration, one indented line each. */
export function formatTopKernels(title: string, count: DispatchCount, n = 10): string {
  const lines = topKernels(count, n).map((k) => [k.name, formatCount(k.dispatches), formatCount(k.calls)]);
  const table = alignColumns(['kernel', 'dispatches', 'calls'], lines).map((line) => `  ${line}`);
  return [title, ...table].join('\n');
}

/** Every normalization's top kernels (per-iteration means), then each SR burst iteration's. */
export function formatAllTopKernels(rows: readonly NormDispatches[], n = 10): string {
  const blocks = rows.map((row) => {
    const cycle = row.iterations.length > 1 ? `, mean of ${row.iterations.length} iterations` : '';
    return formatTopKernels(
      `top ${n} kernels by dispatches per iteration, norm=${row.norm}${cycle}:`,
      averageCount(row.iterations),
      n,
    );
  });
  for (const row of rows) {
    const burst = burstOf(row);
    if (burst)
      blocks.push(formatTopKernels(`top ${n} kernels by dispatches, norm=${row.norm}, SR-burst iteration:`, burst, n));
  }
  return blocks.join('\n\n');
}

function countLabel(row: NormDispatches): string {
  const mean = averageCount(row.iterations);
  const cycle = row.iterations.length > 1 ? ` (mean of ${row.iterations.length})` : '';
  const counts = `${formatCount(mean.dispatches)} dispatches, ${formatCount(mean.kernelCalls)} kernel calls`;
  return `norm=${row.norm}: ${counts}${cycle}`;
}

/**
 * The suite's rows: each normalization's iteration time over `none`'s (the first row), with the
 * dispatch and kernel-call counts in the labels (the summary's units are times), and each SR burst
 * iteration over `none`'s iteration.
 */
export function dispatchSummaryRows(
  rows: readonly NormDispatches[],
  configuration: string,
  where: string,
): SummaryRow[] {
  const [baseline, ...others] = rows;
  if (!baseline) return [];
  const denominator = { label: countLabel(baseline), value: baseline.msPerIteration, unit: 'ms' as const };
  const figure = 'GPU dispatches per iteration (labels), and ms per iteration, each method over none';
  const summary: SummaryRow[] = others.map((row) => ({
    figure,
    configuration,
    where,
    numerator: { label: countLabel(row), value: row.msPerIteration, unit: 'ms' },
    denominator,
  }));
  for (const row of others) {
    const burst = burstOf(row);
    if (!burst || row.burstMs === undefined) continue;
    summary.push({
      figure: 'GPU dispatches in the SR-burst iteration (labels), and its ms, over none',
      configuration,
      where,
      numerator: {
        label: `norm=${row.norm} SR burst: ${burst.dispatches} dispatches, ${burst.kernelCalls} kernel calls`,
        value: row.burstMs,
        unit: 'ms',
      },
      denominator,
    });
  }
  return summary;
}

/** One normalization's profiled iteration: its kernel times and its dispatches, counted as it ran. */
export interface NormProfile {
  norm: string;
  profile: KernelProfile;
  count: DispatchCount;
  /** SR methods: whether the profiled iteration was an SR burst. */
  burst?: boolean;
}

export interface KernelTimeLine {
  name: string;
  calls: number;
  /** Undefined: no timed program. */
  gpuMs?: number;
  /** Of the iteration's summed GPU ms, 0..1; undefined without a time or a total. */
  share?: number;
  dispatches: number;
  timedPrograms: number;
}

/** Every kernel that was profiled or dispatched, with its time, share and dispatches. */
export function kernelTimeLines(entry: NormProfile): KernelTimeLine[] {
  const { profile, count } = entry;
  const names = new Set([...Object.keys(profile.byKernel), ...Object.keys(count.byKernel)]);
  return [...names].map((name) => {
    const time = profile.byKernel[name];
    const gpuMs = time?.gpuMs;
    return {
      name,
      calls: time?.calls ?? count.byKernel[name]?.calls ?? 0,
      gpuMs,
      share: gpuMs !== undefined && profile.gpuMs > 0 ? gpuMs / profile.gpuMs : undefined,
      dispatches: count.byKernel[name]?.dispatches ?? 0,
      timedPrograms: time?.timedPrograms ?? 0,
    };
  });
}

/** The kernels with most GPU time (then most dispatches, then by name), at most `n`; none untimed. */
export function topKernelsByTime(entry: NormProfile, n = 10): KernelTimeLine[] {
  return kernelTimeLines(entry)
    .filter((line) => line.gpuMs !== undefined)
    .sort((a, b) => (b.gpuMs ?? 0) - (a.gpuMs ?? 0) || b.dispatches - a.dispatches || a.name.localeCompare(b.name))
    .slice(0, n);
}

/** Kernels that dispatched more than they timed (own pipelines such as FusedAdamStep's), most first. */
export function untimedDispatches(entry: NormProfile): Array<KernelTimeLine & { untimed: number }> {
  return kernelTimeLines(entry)
    .map((line) => ({ ...line, untimed: line.dispatches - line.timedPrograms }))
    .filter((line) => line.untimed > 0)
    .sort((a, b) => b.untimed - a.untimed || a.name.localeCompare(b.name));
}

function formatShare(share: number | undefined): string {
  return share === undefined ? '-' : `${(100 * share).toFixed(1)}%`;
}

/** A normalization's profiled iteration: its totals, its top kernels by GPU time, its untimed dispatches. */
export function formatKernelTimes(entry: NormProfile, n = 10): string {
  const { profile, count, burst } = entry;
  const kind = burst === undefined ? '' : burst ? ', an SR-burst iteration' : ', not an SR-burst iteration';
  const lines = kernelTimeLines(entry);
  const timed = lines.reduce((sum, line) => sum + line.timedPrograms, 0);
  const head =
    `norm=${entry.norm}, one profiled iteration${kind}: wall ${formatMs(profile.wallMs)} ms (serialized by ` +
    `profiling), GPU ${formatMs(profile.gpuMs)} ms summed over ${timed} timed of ${count.dispatches} dispatches`;
  if (!profile.timestamps)
    return `${head}
  no GPU timestamps on this backend ('timestamp-query'): no kernel times`;
  const top = topKernelsByTime(entry, n);
  const table = alignColumns(
    ['kernel', 'calls', 'GPU ms', 'share', 'dispatches'],
    top.map((k) => [k.name, String(k.calls), formatMs(k.gpuMs ?? 0), formatShare(k.share), String(k.dispatches)]),
  ).map((line) => `  ${line}`);
  const out = [`top ${n} kernels by GPU time, ${head}:`, ...table];
  const rest = lines.filter((line) => line.gpuMs !== undefined).length - top.length;
  if (rest > 0) {
    const restMs = profile.gpuMs - top.reduce((sum, k) => sum + (k.gpuMs ?? 0), 0);
    const share = profile.gpuMs > 0 ? restMs / profile.gpuMs : undefined;
    out.push(`  (${rest} more timed kernels: ${formatMs(restMs)} GPU ms, ${formatShare(share)})`);
  }
  const untimed = untimedDispatches(entry);
  if (untimed.length > 0) {
    const list = untimed.map((k) => `${k.name} ${k.untimed} of ${k.dispatches} (${k.calls} calls)`).join(', ');
    out.push(`  dispatches without GPU time: ${list}`);
  }
  return out.join('\n');
}

/** Every normalization's profiled iteration, in order. */
export function formatAllKernelTimes(entries: readonly NormProfile[], n = 10): string {
  return entries.map((entry) => formatKernelTimes(entry, n)).join('\n\n');
}

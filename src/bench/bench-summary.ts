// The one table `npm run bench` prints: every part's figures (numerator over denominator, measured
// side by side in that part's run) and a line for each part that did not run, with its reason.
// Pure: the parts hand over rows as data (JSON), never as printed text.
import type { BenchRow } from './side-by-side';

export interface Measure {
  /** What was timed, e.g. "D step, norm=sn". */
  label: string;
  value: number;
  unit: 'ms' | 's' | 'it/s';
}

export interface SummaryRow {
  figure: string;
  /** The settings that differ from the defaults, e.g. "ch=4&gch=4&batch=4". */
  configuration: string;
  /** Backend and machine, e.g. "webgpu, Dawn in Node (SwiftShader)". */
  where: string;
  numerator: Measure;
  /** Absent for an absolute figure (iterations per second on a real GPU). */
  denominator?: Measure;
}

export type PartResult =
  | { part: string; ok: true; seconds: number; rows: SummaryRow[] }
  | { part: string; ok: false; seconds: number; reason: string };

export const SUMMARY_COLUMNS = ['figure', 'configuration', 'where', 'numerator', 'denominator', 'ratio'] as const;
export type SummaryLine = Record<(typeof SUMMARY_COLUMNS)[number], string>;

/** numerator / denominator; undefined for an absolute figure or units that do not divide. */
export function ratioOf(row: SummaryRow): number | undefined {
  const { numerator, denominator } = row;
  if (!denominator || denominator.unit !== numerator.unit || denominator.value === 0) return undefined;
  return numerator.value / denominator.value;
}

/** Side-by-side rows as figures: every case over the first (the baseline timeSideBySide ratios to). */
export function overFirstCase(figure: string, configuration: string, where: string, rows: BenchRow[]): SummaryRow[] {
  const [baseline, ...others] = rows;
  return others.map((row) => ({
    figure,
    configuration,
    where,
    numerator: { label: row.name, value: row.medianMs, unit: 'ms' },
    denominator: { label: baseline.name, value: baseline.medianMs, unit: 'ms' },
  }));
}

function formatValue(measure: Measure): string {
  const digits = measure.unit === 'ms' && measure.value >= 100 ? 0 : measure.unit === 'ms' ? 2 : 3;
  return `${measure.value.toFixed(digits)} ${measure.unit}`;
}

function formatMeasure(measure: Measure | undefined): string {
  return measure ? `${measure.label}: ${formatValue(measure)}` : '-';
}

/** Three decimals, or two significant digits for a small share (a read-back against seconds of training). */
function formatRatio(ratio: number): string {
  return ratio >= 0.01 || ratio === 0 ? ratio.toFixed(3) : ratio.toPrecision(2);
}

/** One line per figure, in part order; a part that failed gives one line saying why. */
export function summaryLines(results: PartResult[]): SummaryLine[] {
  return results.flatMap((result): SummaryLine[] => {
    if (!result.ok) {
      const reason = `${result.part} did not run: ${result.reason}`;
      return [{ figure: reason, configuration: '', where: '', numerator: '', denominator: '', ratio: 'FAILED' }];
    }
    return result.rows.map((row) => {
      const ratio = ratioOf(row);
      return {
        figure: row.figure,
        configuration: row.configuration,
        where: row.where,
        numerator: formatMeasure(row.numerator),
        denominator: formatMeasure(row.denominator),
        ratio: ratio === undefined ? '-' : `x${formatRatio(ratio)}`,
      };
    });
  });
}

/** A Markdown table (pastes into docs/performance.md as it is), then one timing line per part. */
export function formatSummary(results: PartResult[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const table = [
    `| ${SUMMARY_COLUMNS.join(' | ')} |`,
    `| ${SUMMARY_COLUMNS.map(() => '---').join(' | ')} |`,
    ...summaryLines(results).map((line) => `| ${SUMMARY_COLUMNS.map((c) => escape(line[c])).join(' | ')} |`),
  ];
  const parts = results.map((r) => `${r.part} ${r.ok ? 'ran' : 'FAILED'} in ${r.seconds.toFixed(0)} s`);
  return [...table, '', parts.join('; ')].join('\n');
}

export function allPartsRan(results: PartResult[]): boolean {
  return results.every((result) => result.ok);
}

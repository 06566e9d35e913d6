// `npm run bench`'s one table: figures from every part's rows, a failed part as a line with its
// reason, the exit status, the choice of parts, and the proxy part's rows from the page's cost lines.
import { describe, expect, it } from 'vitest';
import {
  allPartsRan,
  formatSummary,
  overFirstCase,
  ratioOf,
  summaryLines,
  type PartResult,
} from '../../../src/bench/bench-summary';
import type { BenchRow } from '../../../src/bench/side-by-side';
import { SUITE_PARTS, selectParts } from '../../../src/bench/suite-parts';
import { proxyRows, secondsPerIteration, type EvaluationCost } from '../../../scripts/bench-proxy-rows';

function benchRow(name: string, medianMs: number): BenchRow {
  return { name, medianMs, ratio: Number.NaN, samplesMs: [medianMs] };
}

const nodeRows = overFirstCase('D step, each method over none', 'ch=4&gch=4&batch=4', 'webgpu, Dawn in Node', [
  benchRow('D step, norm=none', 200),
  benchRow('D step, norm=sn', 250),
  benchRow('D step, norm=wn', 180),
]);

const results: PartResult[] = [
  { part: 'node', ok: true, seconds: 300, rows: nodeRows },
  { part: 'browser', ok: false, seconds: 12, reason: 'exit 1: backend webgpu is not available in this browser' },
  {
    part: 'gpu',
    ok: true,
    seconds: 60,
    rows: [
      {
        figure: 'standard CNN, whole iterations per second',
        configuration: 'defaults',
        where: 'H100',
        numerator: { label: 'iterations per second', value: 12.5, unit: 'it/s' },
      },
    ],
  },
];

describe('bench summary', () => {
  it('makes every case after the first a figure over the first, which is the denominator', () => {
    expect(nodeRows.map((row) => [row.numerator.label, row.denominator?.label, ratioOf(row)])).toEqual([
      ['D step, norm=sn', 'D step, norm=none', 1.25],
      ['D step, norm=wn', 'D step, norm=none', 0.9],
    ]);
  });

  it('gives no ratio for an absolute figure or for measures in different units', () => {
    const absolute = results[2].ok ? results[2].rows[0] : undefined;
    expect(ratioOf(absolute!)).toBeUndefined();
    expect(ratioOf({ ...nodeRows[0], denominator: { label: 'x', value: 2, unit: 's' } })).toBeUndefined();
  });

  it('lists the figures in part order, the failed part as one line with its reason', () => {
    const lines = summaryLines(results);
    expect(lines.map((line) => line.ratio)).toEqual(['x1.250', 'x0.900', 'FAILED', '-']);
    expect(lines[0]).toMatchObject({
      configuration: 'ch=4&gch=4&batch=4',
      numerator: 'D step, norm=sn: 250 ms',
      denominator: 'D step, norm=none: 200 ms',
    });
    expect(lines[2].figure).toBe('browser did not run: exit 1: backend webgpu is not available in this browser');
    expect(lines[3]).toMatchObject({ numerator: 'iterations per second: 12.500 it/s', denominator: '-' });
  });

  it('prints a Markdown table with one line per figure, then how long each part took', () => {
    const text = formatSummary(results);
    const tableLines = text.split('\n').filter((line) => line.startsWith('|'));
    expect(tableLines[0]).toBe('| figure | configuration | where | numerator | denominator | ratio |');
    expect(tableLines).toHaveLength(2 + 4);
    expect(text).toContain('node ran in 300 s; browser FAILED in 12 s; gpu ran in 60 s');
  });

  it('escapes a | inside a cell so the table keeps its columns', () => {
    const piped: PartResult = { part: 'x', ok: false, seconds: 1, reason: 'a | b' };
    const row = formatSummary([piped]).split('\n')[2];
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
  });

  it('says whether every part ran', () => {
    expect(allPartsRan(results)).toBe(false);
    expect(allPartsRan(results.filter((result) => result.ok))).toBe(true);
  });
});

describe('suite parts', () => {
  it('runs the parts named by --only in suite order, all of them without it', () => {
    expect(selectParts('proxy,node').map((part) => part.name)).toEqual(['node', 'proxy']);
    expect(selectParts(undefined)).toEqual(SUITE_PARTS);
  });

  it('refuses an unknown part name and lists the real ones', () => {
    expect(() => selectParts('node,gpus')).toThrow(
      /unknown part\(s\) gpus; parts are node, spectra, browser, frames, proxy/,
    );
    expect(() => selectParts(',')).toThrow(/none named/);
  });
});

describe('proxy part rows', () => {
  const cost = (iteration: number, seenAtMs: number): EvaluationCost => ({
    iteration,
    seenAtMs,
    readBack: 0.01,
    generation: 20,
    scoring: 5,
  });
  const query = 'proxy=tiny&proxyevery=5&proxyn=500';

  it('takes the training time per iteration from consecutive evaluations, a skipped one included', () => {
    // 5 iterations in 10 s, then 10 iterations (one evaluation skipped) in 30 s, then 5 in 10 s.
    expect(secondsPerIteration([cost(5, 0), cost(10, 10_000), cost(20, 40_000), cost(25, 50_000)])).toBe(2);
    expect(secondsPerIteration([cost(5, 0)])).toBeUndefined();
  });

  it("divides each worker's cost by the training time of proxyevery iterations", () => {
    const rows = proxyRows(query, 'Chromium', [cost(5, 0), cost(10, 10_000), cost(15, 20_000)], {
      idle: [16, 17, 16],
      proxyTraining: [16, 40, 17],
    });
    expect(rows.map((row) => ratioOf(row))).toEqual([0.01 / 10, 25 / 10, 40 / 17]);
    expect(rows[1].figure).toContain('500 images');
    // A small share keeps two significant digits instead of rounding to x0.000.
    expect(summaryLines([{ part: 'proxy', ok: true, seconds: 1, rows }]).map((line) => line.ratio)).toEqual([
      'x0.0010',
      'x2.500',
      'x2.353',
    ]);
  });

  it('keeps the costs but gives no ratio when only one evaluation was seen', () => {
    const rows = proxyRows(query, 'Chromium', [cost(5, 0)], { idle: [16], proxyTraining: [16] });
    expect(rows[0].numerator.value).toBe(0.01);
    expect(ratioOf(rows[0])).toBeUndefined();
  });
});

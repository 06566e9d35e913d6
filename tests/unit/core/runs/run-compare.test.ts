// Comparing runs: reading metrics files (page exports, headless JSON old and new), opening a sweep's
// run list with the run files a person picked, and the comparison chart's rows.
import { describe, expect, it } from 'vitest';
import {
  checkComparableRun,
  runFromRecord,
  runLabel,
  thinEvenly,
  uniqueName,
  type ComparableRun,
} from '../../../../src/core/runs/comparable-run';
import { compareRows, largestSigma, metricValues, runKey } from '../../../../src/core/runs/compare-rows';
import { METRICS_FORMAT, parseMetricsRecord } from '../../../../src/core/runs/metrics-record';
import { openRunFiles } from '../../../../src/core/runs/open-run-files';
import { formatRunList } from '../../../../src/core/runs/run-list';
import type { QualityRow } from '../../../../src/core/proxy/sample-quality';
import type { MetricsPoint } from '../../../../src/core/train/types';

const point = (iteration: number, dLoss: number | null, sigmas: (number | null)[] = [1, 2]) => ({
  iteration,
  seconds: iteration / 10,
  dLoss,
  gLoss: -iteration,
  sigmas,
  gradNorms: [null, 3],
  gradNormTotal: iteration * 2,
});

const quality = (iteration: number, isProxy: number, fidProxy: number | null) => ({
  iteration,
  isProxy,
  marginalEntropy: 2,
  meanConditionalEntropy: 1,
  fidProxy,
  kidMean: 0.1,
  kidStd: 0.01,
  classesCovered: 9,
  classCount: 10,
  seconds: 3,
});

function metricsFile(norm: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: METRICS_FORMAT,
    version: 1,
    source: 'headless',
    config: { norm, dataset: 'shapes' },
    query: `v=1&dataset=shapes&norm=${norm}`,
    info: { layerNames: ['D.conv0', 'D.dense'] },
    iterations: 3,
    history: [point(1, 2.5), point(2, null), point(3, 1.5, [0.5, 4])],
    spectra: [],
    alarms: [],
    proxies: [quality(0, 1.2, 300)],
    ...extra,
  });
}

describe('parseMetricsRecord', () => {
  it('reads a headless file, null readings as NaN, extra columns kept', () => {
    const record = parseMetricsRecord(metricsFile('sn'));
    expect(record).toMatchObject({
      format: METRICS_FORMAT,
      version: 1,
      source: 'headless',
      iterations: 3,
      query: 'v=1&dataset=shapes&norm=sn',
    });
    expect(record.history).toHaveLength(3);
    expect(record.history[1].dLoss).toBeNaN();
    expect(record.history[0].gradNorms[0]).toBeNaN();
    expect(record.history[2].sigmas).toEqual([0.5, 4]);
    expect(record.proxies[0]).toMatchObject({ iteration: 0, isProxy: 1.2, fidProxy: 300, seconds: 3 });
  });

  it('reads an older headless file (no format, version or source, no proxies) as a version 1 headless run', () => {
    const old = JSON.parse(metricsFile('wn'));
    for (const key of ['format', 'version', 'source', 'proxies', 'iterations']) delete old[key];
    const record = parseMetricsRecord(JSON.stringify(old));
    expect(record).toMatchObject({
      format: METRICS_FORMAT,
      version: 1,
      source: 'headless',
      proxies: [],
      iterations: 3,
    });
  });

  it('reads a page export', () => {
    expect(parseMetricsRecord(metricsFile('sn', { source: 'page' })).source).toBe('page');
  });

  it.each([
    ['{', /^not JSON/],
    ['[]', /must be a JSON object/],
    [formatRunList([]), /not a metrics file: "format" is "spectral-gan-run-list"/],
    [JSON.stringify({ hello: 1 }), /not a metrics file: it has no "format", "history" or "query"/],
    [metricsFile('sn', { version: 2 }), /metrics version 2 is newer than this version reads \(1\)/],
    [metricsFile('sn', { source: 'lab' }), /"source" must be "page" or "headless", got "lab"/],
    [metricsFile('sn', { query: 5 }), /"query" must be a string/],
    [metricsFile('sn', { info: null }), /"info" must be an object with the run's layer names/],
    [metricsFile('sn', { info: { layerNames: [1] } }), /"info.layerNames" must be a list of D layer names/],
    [metricsFile('sn', { history: {} }), /"history" must be an array of read-backs/],
    [
      metricsFile('sn', { history: [point(1, 1), { ...point(2, 1), dLoss: 'high' }] }),
      /history point 2: "dLoss" must be a number or null, got "high"/,
    ],
    [
      metricsFile('sn', { history: [{ ...point(1, 1), iteration: -1 }] }),
      /history point 1: "iteration" must be a whole number ≥ 0, got -1/,
    ],
    [
      metricsFile('sn', { history: [{ ...point(1, 1), sigmas: 'x' }] }),
      /history point 1: "sigmas" must be an array of numbers/,
    ],
    [
      metricsFile('sn', { proxies: [quality(0, 1, 2), { ...quality(5, 1, 2), fidProxy: 'x' }] }),
      /proxy evaluation 2: "fidProxy" must be a number or null/,
    ],
    [metricsFile('sn', { proxies: 3 }), /"proxies" must be an array/],
  ])('refuses %s with a clear message', (text, message) => {
    expect(() => parseMetricsRecord(text)).toThrow(message);
  });
});

describe('comparable runs', () => {
  it('are named by method, data and iteration unless a name is given', () => {
    const record = parseMetricsRecord(metricsFile('sr-static'));
    const run = runFromRecord(record);
    expect(run.name).toBe('sr-static · shapes · it 3');
    expect(runFromRecord(record, 'norm=sr-static').name).toBe('norm=sr-static');
    expect(run).toMatchObject({ source: 'headless', layerNames: ['D.conv0', 'D.dense'], query: record.query });
    expect(Object.keys(run.proxies[0])).not.toContain('seconds');
    expect(runLabel('sn', 'cifar10', 40)).toBe('sn · cifar10 · it 40');
  });

  it('get a unique name', () => {
    expect(uniqueName('a', new Set(['b']))).toBe('a');
    expect(uniqueName('a', new Set(['a', 'a (2)']))).toBe('a (3)');
  });

  it('thin a long history evenly, keeping the first and the last', () => {
    const items = Array.from({ length: 10_001 }, (_, i) => i);
    const thinned = thinEvenly(items, 1000);
    expect(thinned).toHaveLength(1000);
    expect(thinned[0]).toBe(0);
    expect(thinned[999]).toBe(10_000);
    expect(thinEvenly([1, 2, 3], 1000)).toEqual([1, 2, 3]);
  });

  it('read back from storage only when they have the fields the chart reads', () => {
    const run = runFromRecord(parseMetricsRecord(metricsFile('sn')));
    expect(checkComparableRun(JSON.parse(JSON.stringify(run))).name).toBe(run.name);
    expect(() => checkComparableRun({ ...run, history: 'x' })).toThrow(/no readable history/);
    expect(() => checkComparableRun({ ...run, source: 'cloud' })).toThrow(/unknown source/);
    expect(() => checkComparableRun(null)).toThrow(/not an object/);
  });
});

describe('openRunFiles', () => {
  const list = formatRunList([
    { name: 'norm=sn', query: 'v=1&norm=sn', file: 'runs/01-norm-sn.json' },
    { name: 'norm=sr-static', query: 'v=1&norm=sr-static', file: 'runs/02-norm-sr-static.json' },
    { name: 'norm=wn', query: 'v=1&norm=wn', file: 'runs/03-norm-wn.json' },
  ]);

  it('loads the entries whose files were picked (by base name), names the missing ones in one message', () => {
    const opened = openRunFiles([
      { path: '02-norm-sr-static.json', text: metricsFile('sr-static') },
      { path: 'runs.json', text: list },
      { path: '01-norm-sn.json', text: metricsFile('sn') },
    ]);
    expect(opened.runs.map((r) => [r.name, r.query])).toEqual([
      ['norm=sn', 'v=1&norm=sn'],
      ['norm=sr-static', 'v=1&norm=sr-static'],
    ]);
    expect(opened.problems).toEqual([
      'runs.json: 1 of its 3 runs was not loaded, its file was not picked: norm=wn ' +
        '(runs/03-norm-wn.json). Pick the run files together with runs.json.',
    ]);
  });

  it('matches by path before base name, names a bad run file with its reason, and reads loose files alone', () => {
    const opened = openRunFiles([
      { path: 'sweep/runs.json', text: list },
      { path: 'other/01-norm-sn.json', text: metricsFile('wn', { history: [point(3, 1, [9, 9])] }) },
      { path: 'sweep/runs/01-norm-sn.json', text: metricsFile('sn') },
      { path: 'sweep/runs/02-norm-sr-static.json', text: '{"format":"spectral-gan-metrics"' },
      { path: 'sweep/runs/03-norm-wn.json', text: metricsFile('wn') },
      { path: 'notes.json', text: '{"a":1}' },
    ]);
    expect(opened.runs.map((r) => r.name)).toEqual(['norm=sn', 'norm=wn', 'wn · shapes · it 3']);
    expect(opened.runs[0].history[2].sigmas).toEqual([0.5, 4]);
    expect(opened.problems).toHaveLength(2);
    expect(opened.problems[0]).toMatch(/^norm=sr-static \(sweep\/runs\/02-norm-sr-static\.json\): not JSON/);
    expect(opened.problems[1]).toMatch(/^notes\.json: not a metrics file/);
  });

  it('says when no run of a list was picked, and when a run list is broken', () => {
    expect(openRunFiles([{ path: 'runs.json', text: list }]).problems[0]).toMatch(
      new RegExp(
        '^runs\\.json: none of its 3 runs loaded, their files were not picked: ' +
          'norm=sn \\(runs/01-norm-sn\\.json\\), norm=sr-static',
      ),
    );
    const broken = openRunFiles([
      { path: 'runs.json', text: JSON.stringify({ format: 'spectral-gan-run-list', version: 1 }) },
    ]);
    expect(broken).toEqual({ runs: [], problems: ['runs.json: run list "runs" must be an array'] });
  });
});

describe('compareRows', () => {
  const run = (
    name: string,
    history: ComparableRun['history'],
    proxies: ComparableRun['proxies'] = [],
  ): ComparableRun => ({
    name,
    query: '',
    source: 'page',
    layerNames: ['a', 'b'],
    history,
    proxies,
  });
  const p = (iteration: number, dLoss: number, sigmas: number[] = [1, 2]): MetricsPoint => ({
    iteration,
    seconds: 0,
    dLoss,
    gLoss: 0,
    sigmas,
    gradNorms: [1, 1],
    gradNormTotal: 1,
  });

  const q = (iteration: number, isProxy: number, fidProxy: number): QualityRow => ({
    ...quality(iteration, isProxy, null),
    fidProxy,
  });

  it('puts runs read at different iterations on one axis, null where a run has no value', () => {
    const a = run('a', [p(0, 1), p(2, 2), p(4, 3)]);
    const b = run('b', [p(1, 10), p(2, 20), p(3, Number.NaN)]);
    const { rows, drawnRuns, valueCounts } = compareRows([a, b], 'dLoss');
    expect(drawnRuns).toBe(2);
    expect(valueCounts).toEqual([3, 2]);
    expect(rows).toEqual([
      { iteration: 0, r0: 1, r1: null },
      { iteration: 1, r0: null, r1: 10 },
      { iteration: 2, r0: 2, r1: 20 },
      { iteration: 3, r0: null, r1: null },
      { iteration: 4, r0: 3, r1: null },
    ]);
  });

  it('draws the largest finite sigma of each read-back, and proxies from the evaluations', () => {
    const a = run(
      'a',
      [p(1, 0, [0.5, Number.NaN, 3]), p(2, 0, [Number.NaN])],
      [q(0, 1.5, 250), q(10, 2.5, Number.NaN)],
    );
    expect(metricValues(a, 'sigmaMax')).toEqual([
      { iteration: 1, value: 3 },
      { iteration: 2, value: null },
    ]);
    expect(metricValues(a, 'fidProxy')).toEqual([
      { iteration: 0, value: 250 },
      { iteration: 10, value: null },
    ]);
    expect(largestSigma([])).toBeNull();
    const withoutProxies = run('b', [p(1, 0)]);
    const { rows, drawnRuns } = compareRows([a, withoutProxies], 'isProxy');
    expect(drawnRuns).toBe(1);
    expect(rows).toEqual([
      { iteration: 0, r0: 1.5, r1: null },
      { iteration: 10, r0: 2.5, r1: null },
    ]);
    expect(runKey(1)).toBe('r1');
  });

  it('keeps the last reading of an iteration read twice, counting each iteration once', () => {
    expect(compareRows([run('a', [p(1, 5), p(1, 6)])], 'dLoss')).toEqual({
      rows: [{ iteration: 1, r0: 6 }],
      valueCounts: [1],
      drawnRuns: 1,
    });
    expect(compareRows([run('a', [p(1, 5), p(1, Number.NaN)])], 'dLoss')).toEqual({
      rows: [{ iteration: 1, r0: null }],
      valueCounts: [0],
      drawnRuns: 0,
    });
  });
});

// The page's exports (src/ui/runs/metrics-export.ts): the metrics CSV holds every read-back with every
// layer's columns, the metrics JSON has the headless record's shape with source 'page', and a run
// file holds exactly the series up to its checkpoint.
import { describe, expect, it } from 'vitest';
import { runRecordOf } from '../../../../src/core/runs/run-record';
import { decodeConfig } from '../../../../src/core/config/url-codec';
import { toCsv } from '../../../../src/core/metrics/csv';
import type { SpectrumSnapshot } from '../../../../src/core/metrics/types';
import { METRICS_FORMAT, METRICS_VERSION, parseMetricsRecord } from '../../../../src/core/runs/metrics-record';
import type { TrainerCheckpoint } from '../../../../src/core/train/checkpoint';
import type { MetricsPoint, TrainerInfo } from '../../../../src/core/train/types';
import {
  exportFileName,
  joinSeries,
  metricsTable,
  pageMetricsRecord,
  qualityRowOf,
  runFileInput,
} from '../../../../src/ui/runs/metrics-export';
import type { ProxyEvaluationPoint } from '../../../../src/ui/quality/proxy-state';

const point = (iteration: number, extra: Partial<MetricsPoint> = {}): MetricsPoint => ({
  iteration,
  seconds: iteration / 2,
  dLoss: 1 + iteration,
  gLoss: -iteration,
  sigmas: [1.5, 2.25],
  gradNorms: [0.1, 0.2],
  gradNormTotal: Math.hypot(0.1, 0.2),
  ...extra,
});

const evaluation = (iteration: number): ProxyEvaluationPoint => ({
  iteration,
  isProxy: 2,
  marginalEntropy: 1,
  meanConditionalEntropy: 0.5,
  fidProxy: 30,
  kidMean: 0.1,
  kidStd: 0.01,
  classesCovered: 4,
  classCount: 10,
  runId: 1,
  classHistogram: [1, 2],
  klFromUniform: 0.3,
  readBackSeconds: 0.1,
  generationSeconds: 0.2,
  proxySeconds: 0.3,
});

const snapshot = (iteration: number): SpectrumSnapshot => ({
  iteration,
  norm: 'sn',
  layers: [],
  alarms: [],
  computeSeconds: 0.01,
});

describe('metricsTable', () => {
  it('has one row per read-back and a column per layer for sigma and gradient norm', () => {
    const history = [point(0, { gradNorms: [NaN, NaN], gradNormTotal: NaN }), point(3), point(6)];
    const { columns, rows } = metricsTable(history, ['D.conv0', 'D.dense']);
    expect(columns).toEqual([
      'iteration',
      'seconds',
      'dLoss',
      'gLoss',
      'sigma D.conv0',
      'sigma D.dense',
      'gradNorm D.conv0',
      'gradNorm D.dense',
      'gradNormTotal',
    ]);
    const lines = toCsv(columns, rows).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('0,0,1,0,1.5,2.25,,,'); // NaN: no D update yet
    expect(lines[2]).toBe(`3,1.5,4,-3,1.5,2.25,0.1,0.2,${Math.hypot(0.1, 0.2)}`);
  });

  it(
    'adds the input-gradient readings of chart-lipschitz as columns when the run has them, empty ' +
      'where a point lacks one',
    () => {
      const lipschitz = { realMean: 0.25, realMax: 0.5, fakeMean: 0.125, fakeMax: 0.75, sigmaProduct: 1.5 };
      const { columns, rows } = metricsTable([point(0), { ...point(3), lipschitz }], ['D.dense']);
      expect(columns.slice(-5)).toEqual([
        'lipschitz realMean',
        'lipschitz realMax',
        'lipschitz fakeMean',
        'lipschitz fakeMax',
        'lipschitz sigmaProduct',
      ]);
      const lines = toCsv(columns, rows).trimEnd().split('\n');
      expect(lines[1].endsWith(',,,,,')).toBe(true);
      expect(lines[2].endsWith(',0.25,0.5,0.125,0.75,1.5')).toBe(true);
    },
  );

  it('numbers the layers when their names are not known, as many as the widest point has', () => {
    const { columns, rows } = metricsTable([point(1, { sigmas: [1, 2, 3] })], []);
    expect(columns.filter((c) => c.startsWith('sigma'))).toEqual(['sigma layer0', 'sigma layer1', 'sigma layer2']);
    expect(rows[0]['gradNorm layer2']).toBeUndefined();
    expect(metricsTable([], ['a']).rows).toEqual([]);
  });
});

describe('pageMetricsRecord', () => {
  it('is the headless record with source page, the canonical query and QualityRow proxies', () => {
    const { config } = decodeConfig('dataset=shapes&norm=bssn&batch=8');
    const info = { layerNames: ['D.conv0'] } as TrainerInfo;
    const record = pageMetricsRecord(config, info, 7, {
      record: runRecordOf({ history: [point(7)], spectra: [snapshot(5)], alarms: [] }),
      proxies: [evaluation(5)],
    });
    expect(record).toMatchObject({
      format: METRICS_FORMAT,
      version: METRICS_VERSION,
      source: 'page',
      iterations: 7,
      info,
      config,
    });
    expect(record.query).toMatch(/(^|&)v=\d.*norm=bssn/);
    expect(decodeConfig(record.query)).toEqual({ config, errors: [] });
    expect(record.proxies).toEqual([qualityRowOf(evaluation(5))]);
    expect(Object.keys(record.proxies[0])).not.toContain('runId');
    expect(Object.keys(record).sort()).toEqual([
      'alarms',
      'config',
      'format',
      'history',
      'info',
      'iterations',
      'proxies',
      'query',
      'source',
      'spectra',
      'version',
    ]);
  });

  it('carries the 2-D mode counts as headless runs write them, and parses back', () => {
    const { config } = decodeConfig('dataset=ring8');
    const info = { layerNames: ['D.dense0'] } as TrainerInfo;
    const coverageHistory = [
      { iteration: 0, modesCaptured: 1, modeCount: 8, highQualityShare: 0.5, klFromUniform: 1.5 },
    ];
    const record = pageMetricsRecord(config, info, 0, {
      record: runRecordOf({ history: [point(0)], coverageHistory }),
      proxies: [],
    });
    expect(record.coverage).toEqual(coverageHistory);
    expect(parseMetricsRecord(JSON.stringify(record)).coverage).toEqual(coverageHistory);
  });
});

describe('run file contents and names', () => {
  it('holds every series only up to the checkpoint, proxies as QualityRow', () => {
    const checkpoint = { iteration: 4 } as TrainerCheckpoint;
    const input = runFileInput(checkpoint, {
      record: runRecordOf({
        history: [point(2), point(4), point(6)],
        spectra: [snapshot(4), snapshot(8)],
        alarms: [{ iteration: 5, layerIndex: 0, layer: 'D.conv0', value: 0.1, peak: 0.4, peakIteration: 2 }],
      }),
      proxies: [evaluation(4), evaluation(5)],
    });
    expect(input.checkpoint).toBe(checkpoint);
    expect(input.history.map((p) => p.iteration)).toEqual([2, 4]);
    expect(input.spectra.map((s) => s.iteration)).toEqual([4]);
    expect(input.alarms).toEqual([]);
    expect(input.proxies).toEqual([qualityRowOf(evaluation(4))]);
  });

  it('joins what an imported file brought with what the page recorded since', () => {
    expect(joinSeries([snapshot(2), snapshot(4)], [snapshot(4), snapshot(6)]).map((s) => s.iteration)).toEqual([
      2, 4, 6,
    ]);
    expect(joinSeries([snapshot(2)], []).map((s) => s.iteration)).toEqual([2]);
    expect(joinSeries([], [snapshot(1)]).map((s) => s.iteration)).toEqual([1]);
  });

  it('names files by data, method and iteration', () => {
    expect(exportFileName({ dataset: 'shapes', norm: 'sr-dynamic' }, 120, '.sgrun')).toBe(
      'spectral-gan-shapes-sr-dynamic-it120.sgrun',
    );
  });
});

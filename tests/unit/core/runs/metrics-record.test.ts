// createMetricsRecord (src/core/runs/metrics-record.ts): the page's export and the run list build
// records through it, so it must write the current format and version, the config's canonical query
// unless given one, and coverage only when there is some; parseMetricsRecord reads it back.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/core/config/schema';
import { encodeConfig } from '../../../../src/core/config/url-codec';
import {
  createMetricsRecord,
  METRICS_FORMAT,
  METRICS_VERSION,
  parseMetricsRecord,
  type MetricsRecordParts,
} from '../../../../src/core/runs/metrics-record';
import type { TrainerInfo } from '../../../../src/core/train/types';

const config = defaultConfig();
const info: TrainerInfo = {
  backend: 'cpu',
  layerNames: ['d0', 'd1'],
  parameterCount: { generator: 10, discriminator: 20 },
  datasetName: 'shapes',
  datasetCount: 100,
  sampleShape: [32, 32, 3],
  arch: config.arch,
};
const parts: MetricsRecordParts = {
  source: 'page',
  config,
  info,
  iterations: 2,
  history: [{ iteration: 2, seconds: 1, dLoss: 0.5, gLoss: 0.7, sigmas: [1, 2], gradNorms: [3, 4], gradNormTotal: 5 }],
  spectra: [],
  alarms: [],
  proxies: [],
};

describe('createMetricsRecord', () => {
  it('writes the format, version and canonical query, in the documented key order', () => {
    const record = createMetricsRecord(parts);
    expect(record.format).toBe(METRICS_FORMAT);
    expect(record.version).toBe(METRICS_VERSION);
    expect(record.query).toBe(encodeConfig(config));
    expect(Object.keys(record)).toEqual([
      'format',
      'version',
      'source',
      'config',
      'query',
      'info',
      'iterations',
      'history',
      'spectra',
      'alarms',
      'proxies',
    ]);
    expect(parseMetricsRecord(JSON.stringify(record))).toEqual(record);
  });

  it('keeps a query it is given and writes coverage only when given', () => {
    const coverage = [{ iteration: 2, modesCaptured: 3, modeCount: 8, highQualityShare: 0.5, klFromUniform: 0.1 }];
    const record = createMetricsRecord({ ...parts, query: 'v=1&dataset=ring', coverage });
    expect(record.query).toBe('v=1&dataset=ring');
    expect(record.coverage).toEqual(coverage);
    expect('coverage' in createMetricsRecord({ ...parts, coverage: undefined })).toBe(false);
  });
});

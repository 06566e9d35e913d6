// Issue: a long run kept at most 1,000 read-backs and exported that thinned history. Now the page's
// reducer keeps the full record apart from the charts' bounded view: 5,000 read-backs come back in
// the CSV and through a run file, value for value, while the loss chart draws at most its bound.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '../../../../src/core/config/url-codec';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import { toCsv } from '../../../../src/core/metrics/csv';
import type { SpectrumSnapshot } from '../../../../src/core/metrics/types';
import { decodeRunFile, encodeRunFile } from '../../../../src/core/runs/run-file';
import { runRecordOf, withSpectrum } from '../../../../src/core/runs/run-record';
import type { TrainerCheckpoint } from '../../../../src/core/train/checkpoint';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';
import type { MetricsPoint, TrainerInfo } from '../../../../src/core/train/types';
import {
  initialTrainingState,
  MAX_CHART_POINTS,
  MAX_CHART_SPECTRA,
  trainingReducer,
  type TrainingState,
} from '../../../../src/ui/app/training-state';
import { metricsTable, pageMetricsRecord, runFileInput } from '../../../../src/ui/runs/metrics-export';
import type { WorkerToPage } from '../../../../src/worker/protocol';

const READBACKS = 5000;
const EVERY = 5;
const layerNames = ['D.conv0', 'D.conv1', 'D.dense'];
const info = { layerNames } as unknown as TrainerInfo;
const send = (state: TrainingState, message: WorkerToPage) => trainingReducer(state, { type: 'worker', message });

/** Readings as a trainer gives them: float32 values, NaN gradient norms before the first D update. */
function readBack(i: number): MetricsPoint {
  const f = Math.fround;
  return {
    iteration: i * EVERY,
    seconds: i * 0.0371,
    dLoss: f(1.3 + Math.sin(i / 40) * 0.2 + (i % 13) / 997),
    gLoss: i === 2500 ? Infinity : f(0.7 + Math.cos(i / 17) * 0.3),
    sigmas: layerNames.map((_, l) => f(1 + l / 3 + i / 1e5)),
    gradNorms: layerNames.map((_, l) => (i === 0 ? Number.NaN : f(0.01 * (l + 1) * (1 + (i % 29))))),
    gradNormTotal: i === 0 ? Number.NaN : f(0.05 + (i % 29) / 100),
  };
}

/** The CSV back as numbers: empty cells are NaN, as the export writes them. */
function parseCsv(text: string): { header: string[]; rows: number[][] } {
  const [header, ...lines] = text.trimEnd().split('\n');
  return {
    header: header.split(','),
    rows: lines.map((line) => line.split(',').map((cell) => (cell === '' ? Number.NaN : Number(cell)))),
  };
}

function expectCsvOf(csv: string, sent: readonly MetricsPoint[]): void {
  const { header, rows } = parseCsv(csv);
  expect(rows).toHaveLength(sent.length);
  const column = (name: string) => header.indexOf(name);
  rows.forEach((row, i) => {
    const p = sent[i];
    const expected = [p.iteration, p.seconds, p.dLoss, p.gLoss, ...p.sigmas, ...p.gradNorms, p.gradNormTotal];
    const got = [
      row[column('iteration')],
      row[column('seconds')],
      row[column('dLoss')],
      row[column('gLoss')],
      ...layerNames.map((name) => row[column(`sigma ${name}`)]),
      ...layerNames.map((name) => row[column(`gradNorm ${name}`)]),
      row[column('gradNormTotal')],
    ];
    if (!got.every((value, k) => Object.is(value, expected[k]))) expect({ row: i, got }).toEqual({ row: i, expected });
  });
}

let checkpoint: TrainerCheckpoint;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const data = makeShapesDataset({ seed: 1, count: 16, classes: [0, 1] });
  const { config } = decodeConfig('dataset=shapes&arch=cnn&ch=4&gch=4&zdim=8&batch=4&subset=16&norm=sn');
  const trainer = GanTrainer.create(config, data);
  checkpoint = { ...(await trainer.checkpoint()), iteration: (READBACKS - 1) * EVERY };
  trainer.dispose();
});

afterAll(() => tf.setBackend('cpu'));

describe('a run of 5,000 read-backs', () => {
  const sent = Array.from({ length: READBACKS }, (_, i) => readBack(i));
  let state = send(initialTrainingState(), { type: 'ready', info, config: {} as never, runId: 1, resumedAt: null });
  for (const point of sent) state = send(state, { type: 'metrics', point, iterationsPerSecond: 30, runId: 1 });

  it('exports a CSV of 5,000 rows equal, value for value, to what was read; the chart draws at most its bound', () => {
    expect(state.record.metrics.length).toBe(READBACKS);
    expect(state.history.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(state.history[state.history.length - 1].iteration).toBe(sent[READBACKS - 1].iteration);
    const table = metricsTable(
      pageMetricsRecord(checkpoint.config, info, 0, { record: state.record, proxies: [] }).history,
      [...layerNames],
    );
    expectCsvOf(toCsv(table.columns, table.rows), sent);
  });

  it('comes back whole through a run file export and import, and resumes with all of it', () => {
    const bytes = encodeRunFile(runFileInput(checkpoint, { record: state.record, proxies: [] }));
    const run = decodeRunFile(bytes);
    expect(run.history).toHaveLength(READBACKS);
    const table = metricsTable(run.history, layerNames);
    expectCsvOf(toCsv(table.columns, table.rows), sent);

    // The import resumes the run: the page's record holds all 5,000 again, the chart its bound.
    let resumed = trainingReducer(state, { type: 'load-saved-series', series: run });
    resumed = send(resumed, { type: 'ready', info, config: {} as never, runId: 2, resumedAt: checkpoint.iteration });
    expect(resumed.record.metrics.length).toBe(READBACKS);
    expect(resumed.history.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    const again = metricsTable(resumed.record.metrics.toArray(), layerNames);
    expectCsvOf(toCsv(again.columns, again.rows), sent);
  });
});

describe('spectrum snapshots', () => {
  const snapshot = (iteration: number, values: number): SpectrumSnapshot =>
    ({
      iteration,
      norm: 'sn',
      layers: [{ raw: new Array<number>(values).fill(1), effective: new Array<number>(values).fill(1) }],
      alarms: iteration === 300 ? [{ iteration, layerIndex: 0, layer: 'D.conv0', value: 0, peak: 1 }] : [],
      computeSeconds: 0,
    }) as unknown as SpectrumSnapshot;

  it('are all kept below the cap; the chart draws a stride of them with the newest', () => {
    let state = send(initialTrainingState(), { type: 'ready', info, config: {} as never, runId: 1, resumedAt: null });
    for (let i = 0; i < 500; i++)
      state = trainingReducer(state, { type: 'spectrum', snapshot: snapshot(i * 100, 4), runId: 1 });
    expect(state.record.spectra).toHaveLength(500);
    expect(state.spectra.length).toBeLessThanOrEqual(MAX_CHART_SPECTRA);
    expect(state.spectra[state.spectra.length - 1].iteration).toBe(49_900);
    expect(state.alarms).toHaveLength(1);
    expect(state.messages).toEqual([]);
  });

  it('are thinned beyond the cap, counted, said on the page and in the export', () => {
    let record = runRecordOf({});
    for (let i = 0; i < 40; i++) record = withSpectrum(record, snapshot(i * 100, 10), [], 400);
    expect(record.spectrumValues).toBeLessThanOrEqual(400);
    expect(record.spectraOmitted).toBeGreaterThan(0);
    expect(record.spectra.length + record.spectraOmitted).toBe(40);
    expect(record.spectra[0].iteration).toBe(0);
    expect(record.spectra[record.spectra.length - 1].iteration).toBe(3900);
    const exported = pageMetricsRecord(checkpoint.config, info, 3900, { record, proxies: [] });
    expect(exported.omitted?.spectra).toBe(record.spectraOmitted);
    expect(exported.omitted?.reason).toMatch(/cap/);
    const file = decodeRunFile(encodeRunFile(runFileInput(checkpoint, { record, proxies: [] })));
    expect(file.omitted?.spectra).toBe(record.spectraOmitted);
  });
});

// The 2-D toy panels (scatter of real against generated points, mode-count chart) draw what these
// pure functions and the reducer return: checked on small hand-made inputs.
import { describe, expect, it } from 'vitest';
import { RING_OF_8 } from '../../../../src/core/data/toy-modes';
import { coveragePoint, type ModeCoverage } from '../../../../src/core/metrics/mode-coverage';
import type { TrainerInfo } from '../../../../src/core/train/types';
import {
  initialTrainingState,
  MAX_CHART_POINTS,
  trainingReducer,
  type TrainingState,
} from '../../../../src/ui/app/training-state';
import {
  coverageRows,
  HQ_SHARE_KEY,
  KL_KEY,
  latestModeCount,
  MODES_KEY,
  toPixel,
  toyDatasetOf,
  toyDescription,
  toyViewHalfWidth,
} from '../../../../src/ui/samples/toy-rows';
import type { WorkerToPage } from '../../../../src/worker/protocol';

function coverage(modesCaptured: number, highQualityShare: number, klFromUniform: number): ModeCoverage {
  return {
    modesCaptured,
    modeCount: 8,
    sampleCount: 4,
    highQualityCount: 4,
    highQualityShare,
    klFromUniform,
    perMode: [],
  };
}

describe('coverageRows', () => {
  it('keeps modes, high-quality share and KL per read-back, non-finite values as gaps', () => {
    const history = [coveragePoint(0, coverage(1, 0.25, Math.log(8))), coveragePoint(5, coverage(8, 0.99, Number.NaN))];
    expect(coverageRows(history)).toEqual([
      { iteration: 0, [MODES_KEY]: 1, [HQ_SHARE_KEY]: 0.25, [KL_KEY]: Math.log(8) },
      { iteration: 5, [MODES_KEY]: 8, [HQ_SHARE_KEY]: 0.99, [KL_KEY]: null },
    ]);
    expect(latestModeCount(history)).toBe(8);
    expect(latestModeCount([])).toBe(0);
  });
});

describe('scatter geometry', () => {
  it('uses fixed views for ring8 and grid25, and a margin around the modes otherwise', () => {
    expect(toyViewHalfWidth('ring8', RING_OF_8)).toBe(3);
    expect(toyViewHalfWidth('grid25', RING_OF_8)).toBe(5.5);
    expect(toyViewHalfWidth(null, { modes: [[1, -2]], std: 0.1 })).toBeCloseTo(1.5 * 2.3);
  });

  it('maps the view onto the canvas, y up, clamping outside points to the edge', () => {
    expect(toPixel(-3, 3, 101)).toBe(0);
    expect(toPixel(3, 3, 101)).toBe(100);
    expect(toPixel(0, 3, 101)).toBe(50);
    expect(toPixel(3, 3, 101, true)).toBe(0);
    expect(toPixel(-3, 3, 101, true)).toBe(100);
    expect(toPixel(1e9, 3, 101)).toBe(100);
    expect(toPixel(-Infinity, 3, 101)).toBe(0);
    expect(toPixel(Number.NaN, 3, 101)).toBeNaN();
  });
});

describe('data panel text', () => {
  it('recognizes the toy sets by their loaded name and describes them', () => {
    expect(toyDatasetOf('ring8: 8 Gaussians on a circle of radius 2, std 0.02')).toBe('ring8');
    expect(toyDatasetOf('grid25')).toBe('grid25');
    expect(toyDatasetOf('shapes (seed 1)')).toBeNull();
    expect(toyDatasetOf(undefined)).toBeNull();
    expect(toyDescription('ring8')).toBe('8 Gaussians on a ring of radius 2, std 0.02');
    expect(toyDescription('grid25')).toBe('25 Gaussians on a 5x5 grid, std 0.05');
  });
});

describe('toy state in the reducer', () => {
  const info: TrainerInfo = {
    backend: 'cpu',
    layerNames: ['D.dense1'],
    parameterCount: { generator: 1, discriminator: 1 },
    datasetName: 'ring8: 8 Gaussians',
    datasetCount: 100,
    sampleShape: [2],
    arch: 'mlp',
  };
  const send = (state: TrainingState, message: WorkerToPage) => trainingReducer(state, { type: 'worker', message });
  const ready = (runId: number): WorkerToPage => ({ type: 'ready', info, config: {} as never, runId, resumedAt: null });

  it('keeps real points, the latest generated points and the coverage history of the current run', () => {
    let state = send(initialTrainingState(), ready(1));
    state = send(state, { type: 'toy-data', points: new Float32Array([2, 0]), mixture: RING_OF_8, runId: 1 });
    state = send(state, {
      type: 'toy-coverage',
      iteration: 0,
      points: new Float32Array([0, 0]),
      coverage: coverage(0, 0, Math.log(8)),
      runId: 1,
    });
    state = send(state, {
      type: 'toy-coverage',
      iteration: 1,
      points: new Float32Array([2, 0]),
      coverage: coverage(1, 1, Math.log(8)),
      runId: 1,
    });
    // A message of an earlier run is ignored.
    state = send(state, {
      type: 'toy-coverage',
      iteration: 9,
      points: new Float32Array([9, 9]),
      coverage: coverage(8, 1, 0),
      runId: 0,
    });
    expect(state.realPoints?.points).toEqual(new Float32Array([2, 0]));
    expect(state.realPoints?.mixture.modes).toHaveLength(8);
    expect(state.toyPoints).toEqual({ iteration: 1, points: new Float32Array([2, 0]) });
    expect(state.coverageHistory.map((p) => [p.iteration, p.modesCaptured, p.modeCount, p.highQualityShare])).toEqual([
      [0, 0, 8, 0],
      [1, 1, 8, 1],
    ]);

    // A new run starts empty.
    state = send(state, ready(2));
    expect(state.realPoints).toBeNull();
    expect(state.toyPoints).toBeNull();
    expect(state.coverageHistory).toEqual([]);
  });

  it('keeps the latest reading of a repeated iteration; the chart draws a bounded view of the whole record', () => {
    let state = send(initialTrainingState(), ready(1));
    const toy = (iteration: number, captured: number): WorkerToPage => ({
      type: 'toy-coverage',
      runId: 1,
      iteration,
      points: new Float32Array([0, 0]),
      coverage: coverage(captured, 1, 0),
    });
    state = send(state, toy(3, 1));
    state = send(state, toy(3, 2));
    expect(state.coverageHistory.map((p) => [p.iteration, p.modesCaptured])).toEqual([[3, 2]]);
    for (let i = 4; i < MAX_CHART_POINTS + 14; i++) state = send(state, toy(i, i % 8));
    expect(state.record.coverage.length).toBe(MAX_CHART_POINTS + 11);
    expect(state.coverageHistory.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(state.coverageHistory[state.coverageHistory.length - 1].iteration).toBe(MAX_CHART_POINTS + 13);
  });
});

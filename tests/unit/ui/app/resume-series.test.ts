// Resuming a saved run: the page holds the saved series apart until the resumed worker says 'ready',
// so a read-back of the run being replaced that arrives in between cannot land among them. This is
// the race the persistence e2e test hit on CI (curve 0,1,2,3 came back as 0,1,2,3,0,3).
import { describe, expect, it } from 'vitest';
import type { SpectrumSnapshot } from '../../../../src/core/metrics/types';
import type { MetricsPoint, TrainerInfo } from '../../../../src/core/train/types';
import { initialTrainingState, trainingReducer, type TrainingState } from '../../../../src/ui/app/training-state';
import type { WorkerToPage } from '../../../../src/worker/protocol';

const info = { layerNames: ['d1'] } as unknown as TrainerInfo;
const point = (iteration: number, dLoss = iteration): MetricsPoint => ({
  iteration,
  seconds: iteration,
  dLoss,
  gLoss: -dLoss,
  sigmas: [1],
  gradNorms: [1],
  gradNormTotal: 1,
});
const snapshot = (iteration: number) => ({ iteration, layers: [], alarms: [] }) as unknown as SpectrumSnapshot;
const send = (state: TrainingState, message: WorkerToPage) => trainingReducer(state, { type: 'worker', message });
const ready = (runId: number, resumedAt: number | null): WorkerToPage => ({
  type: 'ready',
  info,
  config: {} as never,
  runId,
  resumedAt,
});
const iterations = (state: TrainingState) => state.history.map((p) => p.iteration);

describe('resuming a saved run', () => {
  it('shows exactly the saved series, whatever the replaced run sends before ready', () => {
    let state = send(initialTrainingState(), ready(1, null));
    const saved = [0, 1, 2, 3].map((i) => point(i, 10 + i));
    state = trainingReducer(state, {
      type: 'load-saved-series',
      series: { history: saved, coverageHistory: [], spectra: [snapshot(0), snapshot(2), snapshot(4)] },
    });
    // The fresh run of the reloaded page is still the current one: its read-back of iteration 0 arrives.
    state = send(state, { type: 'metrics', point: point(0, 99), iterationsPerSecond: null, runId: 1 });
    state = send(state, ready(2, 3));
    expect(iterations(state)).toEqual([0, 1, 2, 3]);
    expect(state.history.map((p) => p.dLoss)).toEqual([10, 11, 12, 13]);
    expect(state.iteration).toBe(3);
    // Spectrum snapshots come back too, up to the checkpoint (an older save has none: tested below).
    expect(state.spectra.map((snap) => snap.iteration)).toEqual([0, 2]);
    // The resumed run's own read-back of its checkpoint iteration replaces the saved one, not a duplicate.
    state = send(state, { type: 'metrics', point: point(3, 13), iterationsPerSecond: null, runId: 2 });
    state = send(state, { type: 'metrics', point: point(4, 14), iterationsPerSecond: null, runId: 2 });
    expect(iterations(state)).toEqual([0, 1, 2, 3, 4]);
  });

  it('drops saved points after the checkpoint, and forgets the saved series when a fresh run starts instead', () => {
    let state = send(initialTrainingState(), ready(1, null));
    state = trainingReducer(state, {
      type: 'load-saved-series',
      series: { history: [0, 1, 2, 3, 4].map((i) => point(i)), coverageHistory: [] },
    });
    state = send(state, ready(2, 2));
    expect(iterations(state)).toEqual([0, 1, 2]);
    expect(state.spectra).toEqual([]);

    state = trainingReducer(state, {
      type: 'load-saved-series',
      series: { history: [0, 1].map((i) => point(i)), coverageHistory: [] },
    });
    state = send(state, ready(3, null)); // e.g. the resume was refused and a fresh run was built
    expect(iterations(state)).toEqual([]);
    state = send(state, ready(4, 0));
    expect(iterations(state)).toEqual([]); // nothing left over from the earlier saved series
  });
});

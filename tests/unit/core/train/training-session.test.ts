// TrainingSession (src/core/train/training-session.ts) on the cpu backend: the decisions the training
// worker and headless runs share, checked with a recording sink and, where time matters, a fake clock
// whose every reading is one step later (so each timed span counts exactly one step).
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig } from '../../../../src/core/config/schema';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import { makeToyDataset } from '../../../../src/core/data/toy-dataset';
import type { TrainingSet } from '../../../../src/core/data/types';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';
import {
  isEveryDue,
  isReadBackDue,
  isSamplesDue,
  TrainingSession,
  type SessionOptions,
  type SessionSink,
} from '../../../../src/core/train/training-session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny: GanConfig = {
  ...defaultConfig(),
  ch: 2,
  gch: 2,
  zdim: 8,
  batch: 2,
  subset: 32,
  every: 1,
  spectra: 0,
  proxyevery: 0,
  backend: 'cpu',
};
const images = () => makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes });

type Event = { kind: string; iteration: number; detail?: unknown };

/** A sink that records every event (with the trainer's iteration) and a session over a fresh trainer. */
function sessionOf(config: Partial<GanConfig>, options: SessionOptions = {}, data: TrainingSet = images()) {
  const events: Event[] = [];
  const of = (kind: string) => events.filter((e) => e.kind === kind);
  let session: TrainingSession | null = null;
  const at = () => session?.trainer.iteration ?? -1;
  const sink: SessionSink = {
    onIteration: (iteration) => events.push({ kind: 'iteration', iteration }),
    onSwitches: (switches) => events.push({ kind: 'switches', iteration: at(), detail: switches }),
    onCheckpoint: (checkpoint) => events.push({ kind: 'checkpoint', iteration: checkpoint.iteration }),
    onDiverged: (divergence) => events.push({ kind: 'diverged', iteration: divergence.iteration, detail: divergence }),
    onMetrics: (point, iterationsPerSecond) =>
      events.push({ kind: 'metrics', iteration: point.iteration, detail: { point, iterationsPerSecond } }),
    onToyReadBack: async (trainer) => {
      events.push({ kind: 'toy', iteration: trainer.iteration });
    },
    onSamples: () => events.push({ kind: 'samples', iteration: at() }),
    onWeights: (snapshot, alarm) => events.push({ kind: 'weights', iteration: snapshot.iteration, detail: alarm }),
    onProxyDue: async (trainer, n) => {
      events.push({ kind: 'proxy', iteration: trainer.iteration, detail: n });
      return 0.25;
    },
    onRolledBack: (iteration) => events.push({ kind: 'rolled-back', iteration }),
  };
  session = new TrainingSession(GanTrainer.create({ ...tiny, ...config }, data), data, sink, options);
  sessions.push(session);
  return { session, events, of, iterations: (kind: string) => of(kind).map((e) => e.iteration) };
}

const sessions: TrainingSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

/** A clock in milliseconds that moves `stepMs` at each reading; `pause` moves it without a reading. */
function steppingClock(stepMs: number) {
  let t = 0;
  return { now: () => (t += stepMs), pause: (ms: number) => (t += ms) };
}

async function iterateTimes(session: TrainingSession, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await session.iterate();
}

describe('read-back schedule helpers', () => {
  it('are due at multiples of every, never for 0, and always when forced', () => {
    expect([0, 1, 2, 3, 4, 6].filter((i) => isReadBackDue(i, 3))).toEqual([0, 3, 6]);
    expect(isReadBackDue(5, 3, true)).toBe(true);
    expect(isEveryDue(4, 0)).toBe(false);
    expect(isEveryDue(4, 2)).toBe(true);
    // The grid: never drawn, forced or paused draws; otherwise at least 2 s of training apart.
    expect(isSamplesDue(10, null, false, true)).toBe(true);
    expect(isSamplesDue(10, 8.5, false, true)).toBe(false);
    expect(isSamplesDue(10, 8, false, true)).toBe(true);
    expect(isSamplesDue(10, 9.9, true, true)).toBe(true);
    expect(isSamplesDue(10, 9.9, false, false)).toBe(true);
  });
});

describe('TrainingSession (cpu backend)', () => {
  it('reads back every `every` iterations and after a forced step, with gradient norms recorded', async () => {
    const run = sessionOf({ every: 3 }, { isRunning: () => false });
    await iterateTimes(run.session, 7);
    expect(run.iterations('iteration')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(run.iterations('metrics')).toEqual([3, 6]);
    await run.session.iterate({ forceReadBack: true }); // a step at 8, off the schedule
    expect(run.iterations('metrics')).toEqual([3, 6, 8]);
    const last = run.of('metrics').at(-1)!.detail as { point: { gradNorms: number[] } };
    expect(last.point.gradNorms.every((g) => Number.isFinite(g) && g > 0)).toBe(true);
    // Paused (isRunning false): every read-back draws the grid, right after its metrics.
    expect(run.iterations('samples')).toEqual([3, 6, 8]);
    expect(run.events.map((e) => e.kind).slice(-3)).toEqual(['iteration', 'metrics', 'samples']);
  });

  it('sends the D weights every `spectra` iterations with the collapse-alarm settings', async () => {
    const run = sessionOf({ spectra: 2, every: 4, collapsedrop: 0.4, collapsewindow: 7, collapsepersist: 3 });
    await run.session.readWeightsIfDue(); // iteration 0, as a setup does
    await iterateTimes(run.session, 5);
    expect(run.iterations('weights')).toEqual([0, 2, 4]);
    expect(run.of('weights')[0].detail).toEqual({ drop: 0.4, window: 7, persist: 3 });
    expect(run.iterations('metrics')).toEqual([4]);
  });

  it('keeps a clock of training only: iterations, read-backs and weights count, paused time does not', async () => {
    const clock = steppingClock(1000);
    const run = sessionOf({ every: 2, spectra: 4 }, { now: clock.now });
    await iterateTimes(run.session, 2); // 1 s + 1 s, then a read-back at 2 s that takes 1 s
    expect(run.session.seconds).toBe(3);
    clock.pause(600_000); // ten minutes paused
    await iterateTimes(run.session, 2); // iterations to 5 s, read-back at 5 s (+1), weights (+1)
    expect(run.session.seconds).toBe(7);
    const points = run
      .of('metrics')
      .map((e) => e.detail as { point: { seconds: number }; iterationsPerSecond: number });
    expect(points.map((p) => p.point.seconds)).toEqual([2, 5]);
    expect(points.map((p) => p.iterationsPerSecond)).toEqual([null, 2 / 3]);
    expect(run.iterations('weights')).toEqual([4]);
  });

  it('while running redraws the grid at most every 2 s of training; a forced read-back always draws', async () => {
    const clock = steppingClock(500);
    const run = sessionOf({ every: 1 }, { now: clock.now, isRunning: () => true });
    await iterateTimes(run.session, 5); // read-backs at 0.5, 1.5, 2.5, 3.5, 4.5 s of training
    expect(run.iterations('samples')).toEqual([1, 3, 5]);
    await run.session.iterate({ forceReadBack: true });
    expect(run.iterations('samples')).toEqual([1, 3, 5, 6]);
  });

  it('2-D data: every read-back goes to onToyReadBack, never a grid or a proxy copy', async () => {
    const toy = { dataset: 'ring8', arch: 'mlp', zdim: 4, batch: 8, subset: 64, every: 2, proxyevery: 1 } as const;
    const run = sessionOf(toy, { isRunning: () => false }, makeToyDataset('ring8', 64));
    expect(run.session.pointData).toBe(true);
    run.session.setProxyEvaluationSize(16);
    await iterateTimes(run.session, 4);
    expect(run.iterations('toy')).toEqual([2, 4]);
    expect(run.iterations('samples')).toEqual([]);
    expect(run.iterations('proxy')).toEqual([]);
  });

  it('stops on a NaN with a diverged event, and a rollback restores the last checkpoint and reads back', async () => {
    const run = sessionOf({ every: 1 });
    await iterateTimes(run.session, 3);
    // One checkpoint: the first finite read-back (the next is due after 30 s of training).
    expect(run.iterations('checkpoint')).toEqual([1]);
    const trainer = run.session.trainer;
    const weights = (await trainer.readWeights()).layers.map((layer) => layer.raw);
    weights[0] = weights[0].map(() => NaN);
    trainer.loadDiscriminatorWeights(weights);
    await run.session.iterate();
    expect(run.iterations('diverged')).toEqual([4]);
    const divergence = run.of('diverged')[0].detail as { rollbackIteration: number; message: string };
    expect(divergence.rollbackIteration).toBe(1);
    expect(divergence.message).toMatch(/at iteration 4/);
    // The diverged event comes before the metrics of that read-back (the page pauses first).
    const kinds = run.events.map((e) => e.kind);
    expect(kinds.indexOf('diverged')).toBe(kinds.lastIndexOf('metrics') - 1);

    const before = run.events.length;
    expect(await run.session.rollback()).toBe(true);
    expect(run.session.trainer).not.toBe(trainer);
    expect(run.session.trainer.iteration).toBe(1);
    expect(run.events.slice(before).map((e) => [e.kind, e.iteration])).toEqual([
      ['rolled-back', 1],
      ['metrics', 1],
      ['samples', 1],
    ]);
    const point = (run.of('metrics').at(-1)!.detail as { point: { dLoss: number }; iterationsPerSecond: unknown })
      .point;
    expect(Number.isFinite(point.dLoss)).toBe(true);
    await run.session.iterate();
    expect(run.iterations('diverged')).toEqual([4]);
    expect(run.session.trainer.iteration).toBe(2);
  });

  it('checkpointNow takes a checkpoint at the current iteration unless its read-back just took one', async () => {
    const run = sessionOf({ every: 5 });
    await iterateTimes(run.session, 3);
    expect(run.iterations('checkpoint')).toEqual([]);
    await run.session.checkpointNow(); // the read-back takes the first checkpoint
    expect(run.iterations('checkpoint')).toEqual([3]);
    await iterateTimes(run.session, 1);
    await run.session.checkpointNow(); // within 30 s: only the forced one
    expect(run.iterations('checkpoint')).toEqual([3, 4]);
    expect(run.session.checkpoint?.iteration).toBe(4);
    expect(await sessionOf({}).session.rollback()).toBe(false); // no checkpoint yet
  });

  it('reports each scheduled or live norm switch once, with the whole list', async () => {
    const run = sessionOf({ every: 10, norm: 'sn', schedule: [{ iteration: 2, norm: 'none' }] });
    run.session.reportSwitches(); // as after 'ready': nothing yet
    await iterateTimes(run.session, 5);
    expect(run.of('switches').map((e) => [e.iteration, e.detail])).toEqual([
      [3, [{ iteration: 2, from: 'sn', to: 'none' }]],
    ]);
    run.session.applyLive({ norm: 'wn' });
    run.session.applyLive({ sniters: 3 }); // no switch: nothing sent
    expect(run.of('switches').map((e) => e.detail)).toEqual([
      [{ iteration: 2, from: 'sn', to: 'none' }],
      [
        { iteration: 2, from: 'sn', to: 'none' },
        { iteration: 5, from: 'none', to: 'wn' },
      ],
    ]);
    expect(run.session.activeConfig.sniters).toBe(3);
    expect(run.session.activeConfig.norm).toBe('wn');
  });

  it(
    'copies G for the proxy every `proxyevery` iterations, only while a size is set, once per ' + 'iteration and size',
    async () => {
      const clock = steppingClock(1000);
      const run = sessionOf({ every: 10, proxyevery: 2 }, { now: clock.now });
      await run.session.copyGeneratorIfDue();
      await iterateTimes(run.session, 2);
      expect(run.iterations('proxy')).toEqual([]); // no size set
      run.session.setProxyEvaluationSize(8);
      const seconds = run.session.seconds;
      await run.session.copyGeneratorIfDue(); // a proxy ready on a due iteration scores it
      await run.session.copyGeneratorIfDue(); // ...once
      expect(run.iterations('proxy')).toEqual([2]);
      expect(run.session.seconds).toBe(seconds + 0.25); // what the sink charges is training time
      await iterateTimes(run.session, 2);
      expect(run.iterations('proxy')).toEqual([2, 4]);
      run.session.setProxyEvaluationSize(16); // another N at an iteration already copied: a new copy
      await run.session.copyGeneratorIfDue();
      await iterateTimes(run.session, 1);
      await run.session.copyGeneratorIfDue(); // iteration 5 is not due
      expect(run.of('proxy').map((e) => [e.iteration, e.detail])).toEqual([
        [2, 8],
        [4, 8],
        [4, 16],
      ]);
      run.session.setProxyEvaluationSize(null);
      await iterateTimes(run.session, 3);
      expect(run.session.trainer.iteration).toBe(8);
      expect(run.iterations('proxy')).toEqual([2, 4, 4]);
    },
  );
});

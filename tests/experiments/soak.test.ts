// Issue 15, long runs: 10,000 iterations of the toy preset on the cpu backend, driven by the
// TrainingSession the worker and headless runs share, with the worker's read-backs (metrics every 5,
// the 2-D points, coverage and heat map with G's arrows, src/worker/readback-posts.ts), exact spectra
// every 100 (SpectrumObserver, as a headless run computes them) and a live switch every 125 iterations
// through every method. What the run keeps is what a headless run keeps (history, spectra, coverage)
// plus the latest checkpoint (the autosave's). About 5 minutes on a 2-core machine.
//
// Checks, fixed before the first run: tf.memory().numTensors is the same at every lap's end from
// 1,000 to 10,000 (tests/soak-plan.ts: the first lap creates each method's state), and the JS heap
// (heapUsed after a full GC) grows less than 50 MB from 1,000 to 10,000.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '../../src/core/config/url-codec';
import { loadDataset } from '../../src/core/data/load-dataset';
import { isPointSet } from '../../src/core/data/types';
import { SpectrumObserver } from '../../src/core/metrics/spectrum-snapshot';
import type { SpectrumSnapshot } from '../../src/core/metrics/types';
import type { TrainerCheckpoint } from '../../src/core/train/checkpoint';
import { GanTrainer } from '../../src/core/train/gan-trainer';
import { TrainingSession } from '../../src/core/train/training-session';
import type { MetricsPoint } from '../../src/core/train/types';
import { toyFieldWindow, toyReadBack, type Outgoing } from '../../src/worker/readback-posts';
import { HEAP_GROWTH_LIMIT_MB, MB, MEASURE_EVERY, SOAK_QUERY, switchAfter, TOUR } from '../soak-plan';

const ITERATIONS = Number(process.env.SOAK_ITERATIONS ?? 10_000);

// A full collection before each heap reading; vitest's workers are not started with --expose-gc.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Reading {
  iteration: number;
  numTensors: number;
  heapMb: number;
  externalMb: number;
  seconds: number;
}

function read(iteration: number, seconds: number): Reading {
  collectGarbage();
  collectGarbage();
  const memory = process.memoryUsage();
  return {
    iteration,
    numTensors: tf.memory().numTensors,
    heapMb: memory.heapUsed / MB,
    externalMb: memory.external / MB,
    seconds,
  };
}

const line = (r: Reading) =>
  `it ${r.iteration}: numTensors ${r.numTensors}, heap ${r.heapMb.toFixed(1)} MB, ` +
  `external ${r.externalMb.toFixed(1)} MB, ${r.seconds.toFixed(0)} s`;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('soak: the toy preset for a long run on the cpu backend', () => {
  it(`${ITERATIONS} iterations with read-backs, spectra and live switches: tensors flat, heap bounded`, async () => {
    const { config, errors } = decodeConfig(SOAK_QUERY);
    expect(errors).toEqual([]);
    const { set } = await loadDataset(config, undefined);
    if (!isPointSet(set)) throw new Error('the soak trains on 2-D points');
    const window = toyFieldWindow(config, set.mixture);
    // What a headless run keeps (src/cli/run-headless.ts), and the page's latest read-back outputs.
    const history: MetricsPoint[] = [];
    const spectra: SpectrumSnapshot[] = [];
    const coverage: number[] = [];
    let lastToy: Outgoing[] = [];
    let latestCheckpoint: TrainerCheckpoint | null = null;
    let diverged: string | null = null;
    const observer = new SpectrumObserver();
    const session = new TrainingSession(GanTrainer.create(config, set), set, {
      onMetrics: (point) => history.push(point),
      onCheckpoint: (checkpoint) => (latestCheckpoint = checkpoint),
      onDiverged: (divergence) => (diverged ??= divergence.message),
      onToyReadBack: async (trainer) => {
        lastToy = await toyReadBack(trainer, set.mixture, window, 1);
        const message = lastToy[0].message;
        if (message.type === 'toy-coverage') coverage.push(message.coverage.modesCaptured);
      },
      onWeights: (snapshot, alarm) => spectra.push(observer.observe(snapshot, alarm)),
    });
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const readings: Reading[] = [];
    const visited = new Set([session.trainer.currentConfig.norm]);
    try {
      await session.readBack();
      await session.readWeightsIfDue();
      while (session.trainer.iteration < ITERATIONS && diverged === null) {
        const norm = switchAfter(session.trainer.iteration);
        if (norm !== undefined) {
          session.applyLive({ norm });
          visited.add(norm);
        }
        await session.iterate();
        const done = session.trainer.iteration;
        if (done % MEASURE_EVERY === 0) {
          readings.push(read(done, elapsed()));
          console.log(`soak (node): ${line(readings.at(-1)!)}`);
        }
      }
    } finally {
      session.dispose();
    }
    const seconds = elapsed();
    console.log(
      `soak (node): ${session.trainer.iteration} iterations in ${seconds.toFixed(0)} s ` +
        `(${(session.trainer.iteration / seconds).toFixed(1)} it/s), ${history.length} read-backs, ` +
        `${spectra.length} spectra, ${session.trainer.normSwitches.length} switches, ` +
        `checkpoint at ${(latestCheckpoint as TrainerCheckpoint | null)?.iteration ?? 'none'}, ` +
        `modes captured at the end ${coverage.at(-1)}, ${lastToy.length} toy outputs`,
    );
    expect(diverged, 'the run diverged').toBeNull();
    expect(session.trainer.iteration).toBe(ITERATIONS);
    expect([...visited].sort()).toEqual([...TOUR].sort());
    expect(spectra.length).toBe(ITERATIONS / 100 + 1);
    const first = readings[0];
    const last = readings.at(-1)!;
    const report = readings.map(line).join('; ');
    expect(first.iteration).toBe(MEASURE_EVERY);
    expect(last.iteration).toBe(ITERATIONS);
    for (const r of readings)
      expect(r.numTensors, `numTensors against ${first.iteration}: ${report}`).toBe(first.numTensors);
    expect(last.heapMb - first.heapMb, `heap growth (MB): ${report}`).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
  });
});

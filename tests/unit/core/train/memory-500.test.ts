// Issue 6: 500 iterations of the tiny configuration (the browser tests' TINY_RUN) leave
// tf.memory().numTensors exactly where it was after the first 10, on the tfjs cpu backend.
//
// The loop does what the training worker does (src/worker/training-worker.ts): one trainIteration()
// per iteration, a metrics read-back every `every` (= 1) iterations, and every few iterations the
// sample grid, the D weights for the spectrum worker, N evaluation images and G's weights for the
// proxy worker, plus live normalization switches through every method.
//
// The trainer keeps one set of normalizers per method (switching back resumes a method's state) and
// creates it the first time the method is used; SR keeps its singular basis (and dynamic SR its
// ratios) from its first compensation on. That state is meant to stay, so the first 10 iterations
// visit every method once, SR methods on a compensating iteration (srevery = 2), and every read-back
// once; from then on nothing may be added. The later switches go through all methods again.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormName } from '../../../../src/core/config/schema';
import { decodeConfig } from '../../../../src/core/config/url-codec';
import { loadDataset } from '../../../../src/core/data/load-dataset';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';

/**
 * tests/e2e/helpers.ts TINY_RUN (shapes, cnn, zdim 16, sn, every 1, subset 64) with SR compensating
 * every 2nd G iteration, at ch=2, gch=2, batch=2 instead of 4, 4, 4: the same layers, kernels and
 * code paths, but tfjs's cpu Conv2DBackpropFilter makes TINY_RUN's own sizes about 0.6 s an iteration
 * here (5+ minutes for 500), these about 0.12 s.
 */
const TINY_QUERY = 'dataset=shapes&arch=cnn&ch=2&gch=2&zdim=16&batch=2&norm=sn&every=1&subset=64&srevery=2&backend=cpu';
const ITERATIONS = 500;
const BASELINE_AT = 10;

/** Warm-up (iterations 0-9): every method once; the SR ones cover an even G iteration (srevery = 2). */
const WARM_UP: Record<number, NormName> = {
  1: 'sr-static',
  3: 'bssn',
  4: 'wn',
  5: 'ortho',
  6: 'clip',
  7: 'sr-dynamic',
  9: 'none',
};
/**
 * Then the brief's tour, spread over the run: sn -> sr-static -> bssn -> wn -> ortho -> clip -> sr-dynamic -> none ->
 * sn.
 */
const TOUR: NormName[] = ['sn', 'sr-static', 'bssn', 'wn', 'ortho', 'clip', 'sr-dynamic', 'none', 'sn'];
const TOUR_START = 20;
const TOUR_STEP = 55; // 20, 75, ..., 460

function switchAt(iteration: number): NormName | undefined {
  if (iteration < BASELINE_AT) return WARM_UP[iteration];
  const k = (iteration - TOUR_START) / TOUR_STEP;
  return Number.isInteger(k) && k >= 0 && k < TOUR.length ? TOUR[k] : undefined;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('memory over a long run', () => {
  it(
    `${ITERATIONS} iterations of the tiny configuration with read-backs and live switches leave ` +
      `numTensors where it was after ${BASELINE_AT}`,
    async () => {
      const { config, errors } = decodeConfig(TINY_QUERY);
      expect(errors).toEqual([]);
      const { set } = await loadDataset(config, undefined);
      const trainer = GanTrainer.create(config, set);
      const started = performance.now();
      const counts = new Map<number, number>();
      const visited = new Set<NormName>([config.norm]);
      try {
        while (trainer.iteration < ITERATIONS) {
          const i = trainer.iteration;
          const norm = switchAt(i);
          if (norm !== undefined && norm !== trainer.currentConfig.norm) {
            trainer.applyLiveSettings({ norm });
            visited.add(norm);
          }
          trainer.trainIteration();
          const done = trainer.iteration;
          const warmUp = done <= BASELINE_AT;
          // every = 1: the worker reads the metrics back after each iteration.
          const point = await trainer.readMetrics((performance.now() - started) / 1000);
          expect(Number.isFinite(point.dLoss), `D loss at ${done}`).toBe(true);
          if (warmUp || done % 5 === 0) await trainer.renderSamples();
          if (warmUp || done % 10 === 0) await trainer.readWeights();
          if (warmUp || done % 25 === 0) {
            await trainer.generateImages(16);
            await trainer.readGeneratorWeights();
          }
          if (done === BASELINE_AT || done % 100 === 0) counts.set(done, tf.memory().numTensors);
        }
      } finally {
        trainer.dispose();
      }
      const seconds = (performance.now() - started) / 1000;
      const baseline = counts.get(BASELINE_AT)!;
      const report = [...counts].map(([at, n]) => `${at}: ${n}`).join(', ');
      console.log(
        `memory-500: numTensors ${report}; ${seconds.toFixed(1)} s ` +
          `(${((seconds / ITERATIONS) * 1000).toFixed(0)} ms/iteration)`,
      );
      expect(visited.size).toBe(8);
      expect(trainer.normSwitches.length).toBeGreaterThanOrEqual(15);
      expect(
        counts.get(ITERATIONS),
        `numTensors after iteration ${ITERATIONS} against ${BASELINE_AT} (iteration: count): ${report}`,
      ).toBe(baseline);
      for (const [at, n] of counts)
        expect(n, `numTensors after iteration ${at} against ${BASELINE_AT} (iteration: count): ${report}`).toBe(
          baseline,
        );
    },
    600_000,
  );
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig } from '../../src/core/config/schema';
import { makeShapesDataset } from '../../src/core/data/shapes-dataset';
import { GanTrainer } from '../../src/core/train/gan-trainer';
import { runHeadless } from '../../src/cli/run-headless';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny: GanConfig = { ...defaultConfig(), ch: 2, gch: 2, zdim: 8, batch: 2, subset: 32, every: 1, backend: 'cpu' };

describe('GanTrainer (cpu backend)', () => {
  it('the same config and seed give the same run; another seed a different one', async () => {
    const a = await runHeadless(tiny, 2, '');
    const b = await runHeadless(tiny, 2, '');
    const c = await runHeadless({ ...tiny, seed: 2 }, 2, '');
    expect(a.history).toHaveLength(2);
    expect(a.history.map((p) => [p.dLoss, p.gLoss, ...p.sigmas])).toEqual(
      b.history.map((p) => [p.dLoss, p.gLoss, ...p.sigmas]),
    );
    expect(c.history[0].dLoss).not.toEqual(a.history[0].dLoss);
  });

  it('does not grow tf.memory().numTensors over iterations, read-backs and samples', async () => {
    const trainer = GanTrainer.create({ ...tiny, ndis: 2 }, makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes }));
    trainer.trainIteration();
    await trainer.readMetrics(0);
    await trainer.renderSamples();
    const settled = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      trainer.trainIteration();
      await trainer.readMetrics(0);
      await trainer.renderSamples();
    }
    expect(tf.memory().numTensors).toBe(settled);
    expect(trainer.iteration).toBe(5);
    const before = tf.memory().numTensors;
    trainer.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('SN keeps sigma estimates of every D layer and the sample grid is 8x8 images', async () => {
    const trainer = GanTrainer.create(tiny, makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes }));
    trainer.trainIteration();
    const point = await trainer.readMetrics(1.5);
    expect(point.sigmas).toHaveLength(trainer.info.layerNames.length);
    expect(point.sigmas.every((s) => s > 0 && Number.isFinite(s))).toBe(true);
    expect(point.seconds).toBe(1.5);
    const grid = await trainer.renderSamples();
    expect([grid.width, grid.height, grid.rgba.length]).toEqual([256, 256, 256 * 256 * 4]);
    const reds = Array.from({ length: 100 }, (_, i) => grid.rgba[i * 4 * 97]);
    expect(new Set(reds).size).toBeGreaterThan(1);
    trainer.dispose();
  });

  it('switching norm live keeps raw weights and resumes each method', async () => {
    const trainer = GanTrainer.create(tiny, makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes }));
    trainer.trainIteration();
    const snSigma = (await trainer.readMetrics(0)).sigmas;
    trainer.applyLiveSettings({ norm: 'none', sniters: 1, loss: 'hinge', every: 1 });
    trainer.trainIteration();
    const noneSigma = (await trainer.readMetrics(0)).sigmas;
    expect(noneSigma.every((s) => s > 0)).toBe(true);
    trainer.applyLiveSettings({ norm: 'sn', sniters: 1, loss: 'hinge', every: 1 });
    expect(trainer.iteration).toBe(2);
    expect((await trainer.readMetrics(0)).sigmas).toEqual(snSigma);
    trainer.dispose();
  });
});

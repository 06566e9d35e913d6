import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NORMS, defaultConfig, type GanConfig } from '../../../../src/core/config/schema';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';
import { runHeadless } from '../../../../src/cli/run-headless';

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
    const trainer = GanTrainer.create(
      { ...tiny, ndis: 2 },
      makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes }),
    );
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
    const raws = async () => (await trainer.readWeights()).layers.map((layer) => Array.from(layer.raw));
    trainer.trainIteration();
    const snSigma = (await trainer.readMetrics(0)).sigmas;
    const beforeSwitch = await raws();
    trainer.applyLiveSettings({ norm: 'none', sniters: 1, loss: 'hinge', every: 1 });
    // The switch itself leaves D's raw weights as they were (no re-initialization, no rescaling)...
    expect(await raws()).toEqual(beforeSwitch);
    // ...and under none the forward pass uses them as they are.
    const underNone = await trainer.readWeights();
    for (const layer of underNone.layers)
      expect(Array.from(layer.effective), layer.name).toEqual(Array.from(layer.raw));
    trainer.trainIteration();
    const noneSigma = (await trainer.readMetrics(0)).sigmas;
    expect(noneSigma.every((s) => s > 0)).toBe(true);
    const beforeSecondSwitch = await raws();
    expect(beforeSecondSwitch).not.toEqual(beforeSwitch); // the iteration under none trained D
    trainer.applyLiveSettings({ norm: 'sn', sniters: 1, loss: 'hinge', every: 1 });
    expect(await raws()).toEqual(beforeSecondSwitch);
    expect(trainer.iteration).toBe(2);
    expect((await trainer.readMetrics(0)).sigmas).toEqual(snSigma);
    trainer.dispose();
  });

  it('reports per-layer D gradient norms at read-backs, NaN before the first D update', async () => {
    const trainer = GanTrainer.create(
      { ...tiny, every: 2 },
      makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes }),
    );
    const before = await trainer.readMetrics(0);
    expect(before.gradNorms.every(Number.isNaN)).toBe(true);
    trainer.trainIteration(); // iteration 1 of every=2: no read-back follows, nothing recorded
    expect((await trainer.readMetrics(0)).gradNorms.every(Number.isNaN)).toBe(true);
    trainer.trainIteration();
    const first = await trainer.readMetrics(0);
    expect(first.gradNorms).toHaveLength(trainer.info.layerNames.length);
    expect(first.gradNorms.every((g) => g > 0 && Number.isFinite(g))).toBe(true);
    expect(first.gradNormTotal).toBeCloseTo(Math.hypot(...first.gradNorms), 6);
    trainer.trainIteration(true); // forced, as a step does
    const second = await trainer.readMetrics(0);
    expect(second.gradNorms).not.toEqual(first.gradNorms);
    trainer.dispose();
  });

  it('reads back raw and effective D weights: SN effective = raw / (v^T W u) for the current W', async () => {
    const trainer = GanTrainer.create(tiny, makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes }));
    trainer.trainIteration();
    const { sigmas } = await trainer.readMetrics(0);
    const snapshot = await trainer.readWeights();
    expect(snapshot.iteration).toBe(1);
    expect(snapshot.norm).toBe('sn');
    expect(snapshot.layers.map((l) => l.name)).toEqual(trainer.info.layerNames);
    snapshot.layers.forEach((layer, l) => {
      expect(layer.raw.length).toBe(layer.shape.reduce((a, b) => a * b, 1));
      // One scale for every element; sigma is re-taken for the W after the Adam step, so it is
      // close to (not equal to) the estimate made before that step.
      const raw = Array.from(layer.raw);
      const scale = raw.reduce((s, w, i) => s + w * layer.effective[i], 0) / raw.reduce((s, w) => s + w * w, 0);
      const worst = Math.max(...raw.map((w, i) => Math.abs(layer.effective[i] - scale * w)));
      expect(worst).toBeLessThan(1e-6 * Math.max(...raw.map(Math.abs)) * scale);
      expect(Math.abs(1 / scale - sigmas[l]) / sigmas[l]).toBeLessThan(0.05);
    });
    // Fresh copies: detaching them (as a transfer does) leaves the model intact.
    structuredClone(snapshot.layers[0].raw.buffer, { transfer: [snapshot.layers[0].raw.buffer] });
    trainer.trainIteration();
    expect((await trainer.readMetrics(0)).sigmas.every(Number.isFinite)).toBe(true);
    trainer.dispose();
  });

  it(
    'weights read back before the first D update are finite for every method, and reading them ' + 'changes nothing',
    async () => {
      const data = makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes });
      for (const norm of NORMS) {
        const observed = GanTrainer.create({ ...tiny, norm }, data);
        const plain = GanTrainer.create({ ...tiny, norm }, data);
        const first = await observed.readWeights();
        expect(
          first.layers.every((layer) => layer.effective.every(Number.isFinite)),
          norm,
        ).toBe(true);
        for (let i = 0; i < 2; i++) {
          observed.trainIteration();
          await observed.readWeights();
          plain.trainIteration();
        }
        const [a, b] = [await observed.readMetrics(0), await plain.readMetrics(0)];
        expect([a.dLoss, a.gLoss, ...a.sigmas], norm).toEqual([b.dLoss, b.gLoss, ...b.sigmas]);
        observed.dispose();
        plain.dispose();
      }
    },
  );
});

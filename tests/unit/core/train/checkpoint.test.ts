// Checkpoints (src/core/train/checkpoint.ts, GanTrainer.checkpoint / GanTrainer.restore): a run
// restored from a checkpoint must go on exactly as the original does: the same losses, sigmas and
// gradient norms at every later iteration and the same weights at the end, bit for bit on the cpu
// backend. The schedule walks through methods with persistent state (SN's u and v, dynamic SR's
// ratio history and kept basis, BSSN's two vectors) and comes back to one, so every method's state,
// both Adam states, the data order and the noise stream must all survive the round trip (through
// structuredClone, as IndexedDB stores it).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanConfig } from '../../../../src/core/config/schema';
import { decodeConfig } from '../../../../src/core/config/url-codec';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import type { ImageSet } from '../../../../src/core/data/types';
import { checkCheckpoint } from '../../../../src/core/train/checkpoint';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';
import type { MetricsPoint } from '../../../../src/core/train/types';

const BASE = 'dataset=shapes&arch=cnn&ch=4&gch=4&zdim=8&batch=4&subset=64&every=1';

function configOf(query: string): GanConfig {
  const { config, errors } = decodeConfig(query);
  expect(errors).toEqual([]);
  return config;
}

let data: ImageSet;
const trainers: GanTrainer[] = [];
function track(trainer: GanTrainer): GanTrainer {
  trainers.push(trainer);
  return trainer;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = makeShapesDataset({ seed: 1, count: 64, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
});

afterAll(() => trainers.forEach((t) => t.dispose()));

async function continueFor(trainer: GanTrainer, iterations: number): Promise<MetricsPoint[]> {
  const points: MetricsPoint[] = [];
  for (let i = 0; i < iterations; i++) {
    trainer.trainIteration(true);
    points.push(await trainer.readMetrics(0));
  }
  return points;
}

describe('checkpoint and restore', () => {
  it.each([
    [
      'sn, then sr-dynamic, bssn and back to sr-dynamic',
      `${BASE}&norm=sn&srevery=1&schedule=1:sr-dynamic,2:bssn,3:sr-dynamic,4:wn`,
    ],
    ['sr-static from the start, 2 D steps per G step', `${BASE}&norm=sr-static&srevery=2&ndis=2`],
    ['none with ortho and clip', `${BASE}&norm=ortho&schedule=1:clip,3:none&loss=ns`],
  ])('%s: the restored run continues exactly as the original', async (_name, query) => {
    const original = track(GanTrainer.create(configOf(query), data));
    await continueFor(original, 2);
    const saved = structuredClone(await original.checkpoint());
    const expected = await continueFor(original, 3);

    const restored = track(await GanTrainer.restore(data, saved));
    expect(restored.iteration).toBe(2);
    expect(restored.normSwitches).toEqual(saved.switches);
    const actual = await continueFor(restored, 3);
    expect(actual).toEqual(expected);
    for (const point of actual) expect(Number.isFinite(point.dLoss)).toBe(true);

    const [a, b] = await Promise.all([original.checkpoint(), restored.checkpoint()]);
    expect(b.generator).toEqual(a.generator);
    expect(b.discriminator).toEqual(a.discriminator);
    expect(b.dOptimizer).toEqual(a.dOptimizer);
    expect(b.normalizers).toEqual(a.normalizers);
    expect(b.config).toEqual(a.config);
  });

  it('a checkpoint taken before any update restores to iteration 0 and trains the same', async () => {
    const query = `${BASE}&norm=sn`;
    const original = track(GanTrainer.create(configOf(query), data));
    const saved = await original.checkpoint();
    const restored = track(await GanTrainer.restore(data, saved));
    expect(await continueFor(restored, 2)).toEqual(await continueFor(original, 2));
  });

  it('refuses what is not a checkpoint, another version, or another model, with a message', async () => {
    expect(() => checkCheckpoint({ hello: 1 })).toThrow('not a training checkpoint');
    const original = track(GanTrainer.create(configOf(`${BASE}&norm=sn`), data));
    const saved = await original.checkpoint();
    expect(() => checkCheckpoint({ ...saved, version: 99 })).toThrow(/version 99 is not supported/);
    const wider = { ...saved, config: { ...saved.config, ch: 8 } };
    await expect(GanTrainer.restore(data, wider)).rejects.toThrow(/D weight|values/);
  });

  it.each(['sn', 'bssn', 'sr-dynamic&srevery=1', 'wn'])(
    'leaves no tensor behind: %s, create, train, checkpoint, restore, dispose',
    async (norm) => {
      const before = tf.memory().numTensors;
      const original = GanTrainer.create(configOf(`${BASE}&norm=${norm}`), data);
      await continueFor(original, 2);
      const saved = await original.checkpoint();
      original.dispose();
      const restored = await GanTrainer.restore(data, saved);
      restored.trainIteration(true);
      await restored.checkpoint();
      restored.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

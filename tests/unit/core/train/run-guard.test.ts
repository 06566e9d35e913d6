// RunGuard (src/core/train/run-guard.ts): a real run on the cpu backend whose D weight is made NaN
// through the public API (as a divergence leaves it) is caught at the next read-back with a message
// naming the iteration and the layer; a rollback gives a trainer at the last good checkpoint that
// trains on with finite losses exactly as the run did from there.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '../../../../src/core/config/url-codec';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import type { ImageSet } from '../../../../src/core/data/types';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';
import { RunGuard } from '../../../../src/core/train/run-guard';

const QUERY = 'dataset=shapes&arch=cnn&ch=4&gch=4&zdim=8&batch=4&subset=64&every=1&norm=sn';
let data: ImageSet;
const trainers: GanTrainer[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = makeShapesDataset({ seed: 1, count: 64, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
});
afterAll(() => trainers.forEach((t) => t.dispose()));

function trainerOf(): GanTrainer {
  const { config, errors } = decodeConfig(QUERY);
  expect(errors).toEqual([]);
  const trainer = GanTrainer.create(config, data);
  trainers.push(trainer);
  return trainer;
}

describe('RunGuard', () => {
  it(
    'checkpoints finite read-backs at most every interval, catches a NaN weight and rolls back to ' +
      'the last good iteration',
    async () => {
      const guard = new RunGuard(10);
      const trainer = trainerOf();
      const reference = trainerOf(); // the same run, never corrupted
      const expected: number[] = [];
      for (let i = 0; i < 4; i++) {
        reference.trainIteration(true);
        expected.push((await reference.readMetrics(0)).dLoss);
      }
      // Read-backs at training seconds 0, 4 and 8 with an interval of 10: only the first (iteration 1)
      // takes a checkpoint.
      const seconds = [0, 4, 8];
      for (const s of seconds) {
        trainer.trainIteration(true);
        expect(await guard.observe(trainer, await trainer.readMetrics(s))).toBeNull();
      }
      expect(guard.checkpoint?.iteration).toBe(1);

      // A NaN in the first conv weight, then one more iteration: the read-back catches it.
      const weights = (await trainer.readWeights()).layers.map((layer) => layer.raw);
      weights[0] = weights[0].map(() => NaN);
      trainer.loadDiscriminatorWeights(weights);
      trainer.trainIteration(true);
      const divergence = await guard.observe(trainer, await trainer.readMetrics(12));
      expect(divergence).not.toBeNull();
      expect(divergence!.iteration).toBe(4);
      expect(divergence!.message).toMatch(/at iteration 4/);
      expect(divergence!.message).toMatch(/D weight of|Loss became NaN/);
      expect(divergence!.rollbackIteration).toBe(1);
      expect(guard.checkpoint?.iteration).toBe(1); // a diverged point never becomes the good checkpoint

      const restored = await guard.rollback(data);
      trainers.push(restored);
      expect(restored.iteration).toBe(1);
      const resumed: number[] = [];
      for (let i = 0; i < 3; i++) {
        restored.trainIteration(true);
        resumed.push((await restored.readMetrics(0)).dLoss);
      }
      expect(resumed).toEqual(expected.slice(1));
      for (const loss of resumed) expect(Number.isFinite(loss)).toBe(true);
    },
  );

  it('without a good checkpoint it still reports the divergence, and rollback says why it cannot', async () => {
    const guard = new RunGuard();
    const trainer = trainerOf();
    const weights = (await trainer.readWeights()).layers.map((layer) => layer.raw);
    weights[2] = weights[2].map(() => Number.POSITIVE_INFINITY);
    trainer.loadDiscriminatorWeights(weights);
    trainer.trainIteration(true);
    const divergence = await guard.observe(trainer, await trainer.readMetrics(1));
    expect(divergence?.rollbackIteration).toBeNull();
    await expect(guard.rollback(data)).rejects.toThrow('there is no good checkpoint to roll back to yet');
  });
});

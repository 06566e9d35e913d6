// The iteration counter on webgpu means iterations the GPU has run (src/core/train/queued-work.ts):
// TrainingSession reports each iteration when the device queue says its work is done, not when the
// iteration's commands were recorded.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig } from '../../src/core/config/schema';
import { makeShapesDataset } from '../../src/core/data/shapes-dataset';
import { GanTrainer } from '../../src/core/train/gan-trainer';
import { whenQueuedWorkDone } from '../../src/core/train/queued-work';
import { TrainingSession } from '../../src/core/train/training-session';

const tiny: GanConfig = { ...defaultConfig(), ch: 2, gch: 2, zdim: 8, batch: 2, subset: 32, every: 100, spectra: 0 };
const data = makeShapesDataset({ seed: 1, count: 32, classes: tiny.classes });

describe('iterations reported when done', () => {
  it('whenQueuedWorkDone waits for queued GPU work on webgpu and is null on cpu', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    const a = tf.randomNormal([256, 256]);
    const product = tf.matMul(a, a);
    const done = whenQueuedWorkDone();
    expect(done).toBeInstanceOf(Promise);
    await done;
    tf.dispose([a, product]);
    await tf.setBackend('cpu');
    try {
      expect(whenQueuedWorkDone()).toBeNull();
    } finally {
      await tf.setBackend('webgpu');
    }
  });

  it('reports each iteration after its work ran, in order, never during the iteration call', async () => {
    const reported: number[] = [];
    const session = new TrainingSession(GanTrainer.create(tiny, data), data, {
      onIteration: (iteration) => reported.push(iteration),
    });
    try {
      const duringCalls: number[] = [];
      for (let i = 0; i < 3; i++) {
        await session.iterate();
        duringCalls.push(reported.length);
      }
      // No read-back is due (every=100): the loop queued three iterations without waiting for the GPU.
      expect(session.trainer.iteration).toBe(3);
      await whenQueuedWorkDone();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(reported).toEqual([1, 2, 3]);
      // Dawn resolves the queue's promise from a later task, never within the iterate calls' microtasks:
      // a counter reported as iterations were recorded would read [1, 2, 3] here.
      expect(duringCalls).toEqual([0, 0, 0]);
    } finally {
      session.dispose();
    }
  });
});

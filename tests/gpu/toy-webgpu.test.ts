// The 2-D toy path (ring8 points, the dense MLP pair) on WebGPU against the same run on the CPU
// backend, for every D normalization: the custom power-iteration kernels on dense weights as small
// as [2, 8] and [8, 1], and the generated points from the fixed latent vectors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { NORMS, defaultConfig, type GanConfig } from '../../src/core/config/schema';
import { makeToyDataset } from '../../src/core/data/toy-dataset';
import { GanTrainer } from '../../src/core/train/gan-trainer';
import type { MetricsPoint } from '../../src/core/train/types';
import { maxAbsDifference, withValidationScope } from './gpu-test-utils';

const tiny: GanConfig = {
  ...defaultConfig(),
  dataset: 'ring8',
  arch: 'mlp',
  ch: 2,
  gch: 2,
  zdim: 4,
  batch: 8,
  subset: 64,
  every: 1,
  sniters: 2,
  srevery: 1,
  srlayers: 'all',
};
const data = makeToyDataset('ring8', 64);

async function train(
  config: GanConfig,
  iterations: number,
): Promise<{ metrics: MetricsPoint[]; points: Float32Array }> {
  const trainer = GanTrainer.create(config, data);
  const metrics: MetricsPoint[] = [];
  for (let i = 0; i < iterations; i++) {
    trainer.trainIteration();
    metrics.push(await trainer.readMetrics(0));
  }
  const points = await trainer.samplePoints(100);
  trainer.dispose();
  return { metrics, points };
}

afterAll(async () => {
  await tf.setBackend('webgpu');
});

describe('toy 2-D training on webgpu', () => {
  it.each(NORMS)('with norm=%s matches the cpu backend step for step', async (norm) => {
    const config: GanConfig = { ...tiny, norm, orthobeta: 0.5 };
    await tf.setBackend('webgpu');
    const { result: gpu, error } = await withValidationScope(() => train(config, 3));
    expect(error).toBeNull();
    await tf.setBackend('cpu');
    const cpu = await train(config, 3);
    for (let i = 0; i < 3; i++) {
      const g = gpu.metrics[i];
      const c = cpu.metrics[i];
      expect(Math.abs(g.dLoss - c.dLoss)).toBeLessThan(1e-3 * Math.max(1, Math.abs(c.dLoss)));
      expect(Math.abs(g.gLoss - c.gLoss)).toBeLessThan(1e-3 * Math.max(1, Math.abs(c.gLoss)));
      g.sigmas.forEach((s, l) => expect(Math.abs(s - c.sigmas[l]) / c.sigmas[l], `layer ${l}`).toBeLessThan(1e-3));
    }
    expect(maxAbsDifference(gpu.points, cpu.points)).toBeLessThan(
      1e-3 * Math.max(1, ...Array.from(cpu.points, Math.abs)),
    );
  });
});

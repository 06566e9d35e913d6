// Benchmarks over the real training loop, framework-free so Node (Dawn) and the browser share them.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig, NormName } from '../core/config/schema';
import type { ImageSet } from '../core/data/types';
import { powerIteration, powerIterationOps } from '../core/kernels/power-iteration';
import { Discriminator } from '../core/models/discriminator';
import { matrixShape } from '../core/normalize/types';
import { GanTrainer } from '../core/train/gan-trainer';
import { timeSideBySide, type BenchRow } from './side-by-side';

/** One trainer per normalization, the same `work` timed on each side by side, trainers disposed after. */
async function benchPerNormalization(
  config: GanConfig,
  data: ImageSet,
  norms: NormName[],
  label: (norm: NormName) => string,
  work: (trainer: GanTrainer) => void,
  repeats: number,
  warmups?: number,
): Promise<BenchRow[]> {
  const trainers = norms.map((norm) => GanTrainer.create({ ...config, norm }, data));
  try {
    return await timeSideBySide(
      trainers.map((trainer, i) => ({
        name: label(norms[i]),
        run: async () => {
          work(trainer);
          await trainer.flush();
        },
      })),
      repeats,
      warmups,
    );
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}

/** Time of one D update per normalization, the first being the baseline of the ratios. */
export function benchDiscriminatorStep(
  config: GanConfig,
  data: ImageSet,
  norms: NormName[],
  repeats: number,
): Promise<BenchRow[]> {
  return benchPerNormalization(config, data, norms, (norm) => `D step, norm=${norm}`, (t) => t.discriminatorUpdate(), repeats);
}

/**
 * The normalization work of one SN D update (power iteration on every D layer), WGSL kernel
 * against its tfjs-ops twin, on the weights of the configured discriminator.
 */
export async function benchPowerIterationPerStep(config: GanConfig, repeats: number): Promise<BenchRow[]> {
  const discriminator = new Discriminator(config.arch, config.ch, config.seed);
  const matrices = discriminator.layers.map((l) => tf.reshape(l.weight, matrixShape(l.weight.shape)) as tf.Tensor2D);
  const vectors = matrices.map((m) => tf.randomNormal([m.shape[1]], 0, 1, 'float32', 1) as tf.Tensor1D);
  const runAll = (implementation: typeof powerIteration) => async () => {
    const sigmas = tf.tidy(() =>
      tf.stack(matrices.map((m, i) => implementation(m, vectors[i], config.sniters).sigma)),
    );
    await sigmas.data();
    sigmas.dispose();
  };
  try {
    return await timeSideBySide(
      [
        { name: 'power iteration, tfjs-ops twin', run: runAll(powerIterationOps) },
        { name: 'power iteration, WGSL kernel', run: runAll(powerIteration) },
      ],
      repeats,
    );
  } finally {
    tf.dispose([...matrices, ...vectors]);
    discriminator.dispose();
  }
}

/**
 * Whole G iterations per normalization, timed in blocks of `blockIterations` consecutive
 * iterations, so a method that works only every few iterations (SR, every `srevery`-th) is
 * measured at its amortized cost. The first norm is the baseline of the ratios.
 */
export function benchAmortizedIterations(
  config: GanConfig,
  data: ImageSet,
  norms: NormName[],
  blockIterations: number,
  repeats: number,
): Promise<BenchRow[]> {
  const runBlock = (trainer: GanTrainer) => {
    for (let b = 0; b < blockIterations; b++) trainer.trainIteration();
  };
  return benchPerNormalization(config, data, norms, (norm) => `${blockIterations} iterations, norm=${norm}`, runBlock, repeats, 1);
}

/** Time of whole G iterations (n_dis D updates + one G update) on the current backend. */
export async function benchIteration(config: GanConfig, data: ImageSet, repeats: number): Promise<number[]> {
  const trainer = GanTrainer.create(config, data);
  try {
    const rows = await timeSideBySide(
      [
        {
          name: 'iteration',
          run: async () => {
            trainer.trainIteration();
            await trainer.flush();
          },
        },
      ],
      repeats,
    );
    return rows[0].samplesMs;
  } finally {
    trainer.dispose();
  }
}

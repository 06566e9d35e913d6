// Benchmarks over the real training loop, framework-free so Node (Dawn) and the browser share them.
import type { GanConfig, NormName } from '../core/config/schema';
import type { ImageSet } from '../core/data/types';
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
  return benchPerNormalization(
    config,
    data,
    norms,
    (norm) => `D step, norm=${norm}`,
    (t) => t.discriminatorUpdate(),
    repeats,
  );
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
  return benchPerNormalization(
    config,
    data,
    norms,
    (norm) => `${blockIterations} iterations, norm=${norm}`,
    runBlock,
    repeats,
    1,
  );
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

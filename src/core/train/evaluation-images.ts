// The images sample quality is measured on: N generated images for a fixed, seeded set of latent
// vectors, the same z at every evaluation of a run, so successive evaluations follow one set of
// samples. Shared by GanTrainer (tests, headless runs) and the proxy worker, which generates them on
// its own backend from a copy of G's weights so the training worker only pays the read-back.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../data/seeded-random';
import { IMAGE_BYTES } from '../data/types';
import type { Generator } from '../models/generator';

/** Images per generator pass (bounds memory; with whole passes, the results do not depend on n). */
export const EVALUATION_BATCH = 100;

/**
 * N images (NHWC floats in [-1, 1], [n, 32, 32, 3]) for the first n of the run's evaluation latents
 * (seeded by the run's `seed`). Batch b's z comes from its own seed, and always a whole batch goes
 * through G, so a larger n only adds images.
 */
export async function generateEvaluationImages(generator: Generator, seed: number, n: number): Promise<Float32Array> {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`generateEvaluationImages: n must be a positive integer, got ${n}`);
  const zdim = generator.zdim;
  const out = new Float32Array(n * IMAGE_BYTES);
  for (let start = 0, batch = 0; start < n; start += EVALUATION_BATCH, batch++) {
    const count = Math.min(EVALUATION_BATCH, n - start);
    const batchSeed = deriveSeed(deriveSeed(seed, 4), batch);
    // A whole batch through G, sliced after: its batch norm uses the batch's statistics, so an image
    // depends on the other z of its pass, and only whole passes keep every image the same.
    const images = tf.tidy(() => {
      const z = tf.randomNormal([EVALUATION_BATCH, zdim], 0, 1, 'float32', batchSeed) as tf.Tensor2D;
      const all = generator.apply(z);
      return count === EVALUATION_BATCH ? all : tf.slice(all, 0, count);
    });
    out.set(await images.data(), start * IMAGE_BYTES);
    images.dispose();
  }
  return out;
}

// The run's fixed latent vectors and what the page draws from them: the 8x8 image grid, or for 2-D
// data the 2500 generated points. Fixed z, so successive read-backs follow the same samples.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../data/seeded-random';
import { isPointSet, type TrainingSet } from '../data/types';
import type { Generator } from '../models/generator';
import { renderPointScatter, renderSampleGrid } from './sample-grid';
import type { SampleGrid } from './types';

/** The fixed latent vectors behind the sample grid: 8 x 8 images. */
export const SAMPLE_GRID_SIDE = 8;
/** Fixed latent vectors for 2-D data: 2500, the mode-counting protocol's sample size (VEEGAN, PacGAN). */
export const POINT_SAMPLE_COUNT = 2500;

export class FixedLatents {
  private readonly noise: tf.Tensor2D;

  constructor(
    private readonly data: TrainingSet,
    private readonly zdim: number,
    seed: number,
  ) {
    const count = isPointSet(data) ? POINT_SAMPLE_COUNT : SAMPLE_GRID_SIDE * SAMPLE_GRID_SIDE;
    this.noise = tf.randomNormal([count, zdim], 0, 1, 'float32', deriveSeed(seed, 3));
  }

  /** The grid of images, or for 2-D data a scatter of the 2500 points over the real pool, as RGBA. */
  async render(generator: Generator, iteration: number): Promise<SampleGrid> {
    if (isPointSet(this.data))
      return renderPointScatter(await this.points(generator, POINT_SAMPLE_COUNT), this.data, iteration);
    const images = tf.tidy(() => generator.apply(this.noise));
    const values = await images.data();
    images.dispose();
    return renderSampleGrid(values as Float32Array, SAMPLE_GRID_SIDE, iteration);
  }

  /** G of the first n latent vectors, still on the backend ([n, 2] for 2-D data). */
  generate(generator: Generator, n: number): tf.Tensor2D {
    return tf.tidy(() => generator.apply(tf.slice(this.noise, [0, 0], [n, this.zdim])) as tf.Tensor2D);
  }

  /** Generated points [n, 2] (x0, y0, x1, y1, ...) of the first n latent vectors; 2-D data only. */
  async points(generator: Generator, n: number): Promise<Float32Array> {
    if (!isPointSet(this.data)) {
      throw new Error(`samplePoints is for the 2-D toy data sets; this run trains on images (${this.data.name})`);
    }
    if (!Number.isInteger(n) || n < 1 || n > POINT_SAMPLE_COUNT) {
      throw new RangeError(`samplePoints: n must be an integer 1-${POINT_SAMPLE_COUNT}, got ${n}`);
    }
    const points = this.generate(generator, n);
    // A copy: the CPU backend's data() hands out its own storage.
    const values = new Float32Array(await points.data());
    points.dispose();
    return values;
  }

  dispose(): void {
    this.noise.dispose();
  }
}

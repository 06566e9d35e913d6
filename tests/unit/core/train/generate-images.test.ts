// GanTrainer.generateImages (src/core/train/gan-trainer.ts), the images the proxy worker scores: they
// must come from a fixed, seeded set of latent vectors, so evaluations along one run follow the same z
// and differ only because the generator moved; a larger n must only add images (batches of
// EVALUATION_BATCH = 100 have their own seeds); the output is tanh images in [-1, 1]; toy 2-D data
// and bad n are refused; and no tensor is left behind. tfjs cpu backend, a tiny CNN pair on shapes.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanConfig } from '../../../../src/core/config/schema';
import { decodeConfig } from '../../../../src/core/config/url-codec';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import { makeToyDataset } from '../../../../src/core/data/toy-dataset';
import { IMAGE_BYTES } from '../../../../src/core/data/types';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';
import { EVALUATION_BATCH, generateEvaluationImages } from '../../../../src/core/train/evaluation-images';
import { Generator } from '../../../../src/core/models/generator';
import { IMAGE_SHAPE } from '../../../../src/core/data/types';

const QUERY = 'dataset=shapes&ch=4&gch=4&zdim=8&batch=4&subset=64';

function configOf(query: string): GanConfig {
  const { config, errors } = decodeConfig(query);
  expect(errors).toEqual([]);
  return config;
}

function trainerOf(config: GanConfig): GanTrainer {
  const trainer = GanTrainer.create(
    config,
    makeShapesDataset({ seed: config.seed, count: config.subset, classes: config.classes }),
  );
  trainers.push(trainer);
  return trainer;
}

/** Every trainer a test made, disposed at the end. */
const trainers: GanTrainer[] = [];
let config: GanConfig;
let trainer: GanTrainer;
/** generateImages(150) of a fresh trainer of `config`. */
let first150: Float32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  config = configOf(QUERY);
  trainer = trainerOf(config);
  first150 = await trainer.generateImages(150);
});

afterAll(() => {
  for (const t of trainers) t.dispose();
});

/** Two float arrays are equal value for value (faster than toEqual on 460k numbers, same strictness). */
function expectSameValues(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let firstDifference = -1;
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      firstDifference = i;
      break;
    }
  }
  expect(firstDifference, `${what}: first differing value`).toBe(-1);
}

function countDifferences(a: Float32Array, b: Float32Array): number {
  let differences = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differences++;
  return differences;
}

describe('GanTrainer.generateImages (cpu backend)', () => {
  it('returns n x 3072 floats in [-1, 1] for n = 1 and n = 150 (more than one batch of 100)', async () => {
    expect(config.dataset).toBe('shapes');
    expect([config.ch, config.gch, config.zdim, config.batch, config.subset]).toEqual([4, 4, 8, 4, 64]);
    expect(EVALUATION_BATCH).toBe(100);
    const one = await trainer.generateImages(1);
    expect(one).toBeInstanceOf(Float32Array);
    expect(one.length).toBe(IMAGE_BYTES);
    expect(first150.length).toBe(150 * 3072);
    for (const images of [one, first150]) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of images) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(Number.isFinite(min) && Number.isFinite(max)).toBe(true);
      expect(min).toBeGreaterThanOrEqual(-1);
      expect(max).toBeLessThanOrEqual(1);
    }
    expect(Math.max(...first150.subarray(0, 3072)), 'n = 150: not one flat value').toBeGreaterThan(
      Math.min(...first150.subarray(0, 3072)),
    );
    // Images of the second batch (from its own z) are not copies of the first batch's.
    const image = (i: number) => first150.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
    expect(countDifferences(image(0), image(100))).toBeGreaterThan(0);
    expect(countDifferences(image(0), image(1))).toBeGreaterThan(0);
  });

  it(
    'is deterministic: the same trainer twice, and a second trainer of the same config, give the ' + 'same values',
    async () => {
      expectSameValues(await trainer.generateImages(150), first150, 'second call');
      const twin = trainerOf(configOf(QUERY));
      expectSameValues(await twin.generateImages(150), first150, 'second trainer');
    },
  );

  it('another seed gives other images', async () => {
    const other = trainerOf(configOf(`${QUERY}&seed=2`));
    const images = await other.generateImages(150);
    expect(images.length).toBe(first150.length);
    expect(countDifferences(images, first150)).toBeGreaterThan(first150.length / 2);
  });

  it('a smaller n gives a prefix of a larger one at whole batches of 100', async () => {
    const first100 = await trainer.generateImages(100);
    expectSameValues(first100, first150.subarray(0, 100 * IMAGE_BYTES), 'n = 100 vs the first 100 of n = 150');
    const first200 = await trainer.generateImages(200);
    const first201 = await trainer.generateImages(201);
    expectSameValues(first201.subarray(0, 200 * IMAGE_BYTES), first200, 'the first 200 of n = 201 vs n = 200');
  });

  // The three tests below check the documented contract ("a larger n only adds images"; the results
  // "do not depend on" EVALUATION_BATCH) where n is not a multiple of 100.
  it('a smaller n gives a prefix of a larger one within the first batch: n = 37 vs n = 150', async () => {
    const first37 = await trainer.generateImages(37);
    expect(first37.length).toBe(37 * IMAGE_BYTES);
    expectSameValues(first37, first150.subarray(0, 37 * IMAGE_BYTES), 'n = 37 vs the first 37 of n = 150');
  });

  it('a smaller n gives a prefix of a larger one across a partial batch: n = 150 vs n = 201', async () => {
    const first201 = await trainer.generateImages(201);
    expectSameValues(first201.subarray(0, 150 * IMAGE_BYTES), first150, 'the first 150 of n = 201 vs n = 150');
  });

  it('n = 1 gives the first image of n = 150, an image of its z (not a constant)', async () => {
    const one = await trainer.generateImages(1);
    let min = Infinity;
    let max = -Infinity;
    for (const v of one) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(max, 'the n = 1 image is not one flat value').toBeGreaterThan(min);
    expectSameValues(one, first150.subarray(0, IMAGE_BYTES), 'n = 1 vs the first image of n = 150');
  });

  it(
    'follows the same z across training: images change after an iteration, a fresh trainer gives ' +
      'the first values back',
    async () => {
      const moving = trainerOf(configOf(QUERY));
      const before = await moving.generateImages(20);
      moving.trainIteration();
      expect(moving.iteration).toBe(1);
      const after = await moving.generateImages(20);
      expect(after.length).toBe(before.length);
      expect(countDifferences(after, before)).toBeGreaterThan(before.length / 2);
      // Two calls after training agree too: generating does not draw from the training noise stream.
      expectSameValues(await moving.generateImages(20), after, 'twice after one iteration');
      const fresh = trainerOf(configOf(QUERY));
      expectSameValues(await fresh.generateImages(20), before, 'a fresh trainer');
    },
  );

  it('refuses n that is not a positive integer', async () => {
    for (const n of [0, 1.5, -3, Number.NaN]) {
      await expect(trainer.generateImages(n), String(n)).rejects.toThrow(RangeError);
      await expect(trainer.generateImages(n), String(n)).rejects.toThrow(`n must be a positive integer, got ${n}`);
    }
  });

  it('refuses 2-D toy data with a message', async () => {
    const toyConfig = configOf('dataset=ring8&ch=4&gch=4&zdim=8&batch=4&subset=64');
    const toy = GanTrainer.create(toyConfig, makeToyDataset('ring8', 64));
    trainers.push(toy);
    await expect(toy.generateImages(10)).rejects.toThrow(
      /generateImages is for image data; this run trains on 2-D points \(ring8/,
    );
  });

  it(
    'a generator rebuilt from generatorSpec with readGeneratorWeights gives the same images (the ' +
      "proxy worker's path)",
    async () => {
      const moving = trainerOf(configOf(QUERY));
      moving.trainIteration();
      moving.trainIteration();
      const spec = moving.generatorSpec;
      expect(spec).toEqual({ arch: 'cnn', gch: 4, zdim: 8, seed: 1 });
      // Another seed: its own initial weights, all replaced by the copies.
      const copy = new Generator(spec.arch, spec.gch, spec.zdim, spec.seed + 99, IMAGE_SHAPE);
      try {
        const fresh = await generateEvaluationImages(copy, spec.seed, 120);
        expect(countDifferences(fresh, await moving.generateImages(120))).toBeGreaterThan(0);
        const weights = await moving.readGeneratorWeights();
        copy.loadWeights(weights);
        expectSameValues(
          await generateEvaluationImages(copy, spec.seed, 120),
          await moving.generateImages(120),
          'rebuilt generator',
        );
        expect(() => copy.loadWeights(weights.slice(1))).toThrow(/generator weights/);
      } finally {
        copy.dispose();
      }
    },
  );

  it('leaves no tensor behind', async () => {
    await trainer.generateImages(1);
    const before = tf.memory().numTensors;
    await trainer.generateImages(150);
    expect(tf.memory().numTensors).toBe(before);
    await trainer.generateImages(37);
    expect(tf.memory().numTensors).toBe(before);
  });
});

// The proxy net's two image sets (src/core/proxy/proxy-data.ts): the training split must be the very
// images the GAN trains on (else the FID/KID proxies compare the generator with other data), the
// held-out split must be other images of the same classes, and the data key that names a cached proxy
// must change whenever the training data does. Shapes are checked byte for byte against
// makeShapesDataset; CIFAR-10 against the shared sample's raw files (skipped when it is absent);
// missing or truncated test_batch.bin against in-memory fixtures.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipWithout } from '../../../prerequisite';
import { CIFAR10_CLASS_NAMES, DataFileError } from '../../../../src/core/data/cifar10-reader';
import type { CifarFileSource, DatasetConfig } from '../../../../src/core/data/load-dataset';
import { nodeCifarSource } from '../../../../src/core/data/node-cifar-source';
import { deriveSeed } from '../../../../src/core/data/seeded-random';
import { makeShapesDataset, SHAPE_CLASS_NAMES } from '../../../../src/core/data/shapes-dataset';
import { IMAGE_BYTES, type ImageSet } from '../../../../src/core/data/types';
import {
  effectiveEvaluationSize,
  HELD_OUT_SHAPES,
  loadProxySplits,
  proxyApplies,
} from '../../../../src/core/proxy/proxy-data';
import { makeBatchFile, RECORD_BYTES } from '../../../fixtures/cifar-fixtures';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SAMPLE_DIR = resolve(REPO_ROOT, '..', 'shared', 'data', 'cifar-10-batches-bin');

/** An in-memory CIFAR-10 source holding exactly `files`. */
function memorySource(files: Record<string, Uint8Array>, description = 'memory'): CifarFileSource {
  return {
    description,
    async list() {
      return Object.keys(files);
    },
    async read(name) {
      const bytes = files[name];
      if (!bytes) throw new DataFileError(name, 'not-found', 'not in this memory source');
      return bytes;
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

function image(set: ImageSet, i: number): Uint8Array {
  return set.pixels.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a of one image, to look images up in a map before comparing bytes. */
function imageHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** How many images of `b` are byte-identical to some image of `a`. */
function sharedImages(a: ImageSet, b: ImageSet): number {
  const byHash = new Map<number, number[]>();
  for (let i = 0; i < a.count; i++) {
    const h = imageHash(image(a, i));
    byHash.set(h, [...(byHash.get(h) ?? []), i]);
  }
  let shared = 0;
  for (let j = 0; j < b.count; j++) {
    const candidates = byHash.get(imageHash(image(b, j))) ?? [];
    if (candidates.some((i) => sameBytes(image(a, i), image(b, j)))) shared++;
  }
  return shared;
}

function fakeSet(count: number): ImageSet {
  return { name: `fake ${count}`, count, pixels: new Uint8Array(0), labels: new Uint8Array(0), classNames: [] };
}

describe('proxyApplies', () => {
  it('is true for the image data sets and false for the 2-D toy sets', () => {
    expect(proxyApplies('shapes')).toBe(true);
    expect(proxyApplies('cifar10')).toBe(true);
    expect(proxyApplies('ring8')).toBe(false);
    expect(proxyApplies('grid25')).toBe(false);
  });
});

describe('loadProxySplits on shapes', () => {
  const config: DatasetConfig = { dataset: 'shapes', classes: [2, 5, 7], subset: 90, seed: 11 };

  it("the training split is the GAN's own shapes, byte for byte", async () => {
    const splits = await loadProxySplits(config, undefined);
    const expected = makeShapesDataset({ seed: 11, count: 90, classes: [2, 5, 7] });
    expect(splits.train.count).toBe(90);
    expect(Array.from(splits.train.labels)).toEqual(Array.from(expected.labels));
    expect(sameBytes(splits.train.pixels, expected.pixels)).toBe(true);
    expect(splits.train.pixels.length).toBe(90 * IMAGE_BYTES);
    expect(splits.shortfall).toBeNull();
  });

  it(
    'the held-out split has HELD_OUT_SHAPES images of the chosen classes only, none of them a ' + 'training image',
    async () => {
      const splits = await loadProxySplits(config, undefined);
      expect(HELD_OUT_SHAPES).toBe(2000);
      expect(splits.heldOut.count).toBe(HELD_OUT_SHAPES);
      expect(splits.heldOut.pixels.length).toBe(HELD_OUT_SHAPES * IMAGE_BYTES);
      expect(new Set(splits.heldOut.labels)).toEqual(new Set([2, 5, 7]));
      // Drawn in class order from the derived seed, so balanced: 667, 667, 666.
      const counts = [2, 5, 7].map((c) => splits.heldOut.labels.filter((l) => l === c).length);
      expect(counts).toEqual([667, 667, 666]);
      const expected = makeShapesDataset({ seed: deriveSeed(11, 77), count: HELD_OUT_SHAPES, classes: [2, 5, 7] });
      expect(sameBytes(splits.heldOut.pixels, expected.pixels)).toBe(true);
      // Other draws than the training images: the first images differ and no held-out image is a training image.
      expect(sameBytes(image(splits.heldOut, 0), image(splits.train, 0))).toBe(false);
      expect(sharedImages(splits.train, splits.heldOut)).toBe(0);
    },
  );

  it(
    'the data key names data set, classes, subset and seed; another seed, subset or class set ' + 'gives another key',
    async () => {
      const splits = await loadProxySplits(config, undefined);
      expect(splits.dataKey).toBe('shapes|classes=2,5,7|subset=90|seed=11');
      const otherSeed = await loadProxySplits({ ...config, seed: 12 }, undefined);
      expect(otherSeed.dataKey).toBe('shapes|classes=2,5,7|subset=90|seed=12');
      expect(otherSeed.dataKey).not.toBe(splits.dataKey);
      expect(sameBytes(otherSeed.train.pixels, splits.train.pixels)).toBe(false);
      expect((await loadProxySplits({ ...config, subset: 91 }, undefined)).dataKey).toBe(
        'shapes|classes=2,5,7|subset=91|seed=11',
      );
      expect((await loadProxySplits({ ...config, classes: [2, 5] }, undefined)).dataKey).toBe(
        'shapes|classes=2,5|subset=90|seed=11',
      );
    },
  );

  it('classIds are sorted and de-duplicated, classNames are the shapes names in that order', async () => {
    const splits = await loadProxySplits({ dataset: 'shapes', classes: [7, 0, 7, 3], subset: 16, seed: 1 }, undefined);
    expect(splits.classIds).toEqual([0, 3, 7]);
    expect(splits.classNames).toEqual([SHAPE_CLASS_NAMES[0], SHAPE_CLASS_NAMES[3], SHAPE_CLASS_NAMES[7]]);
    expect(splits.classNames).toEqual(['circle', 'cross', 'checkerboard']);
    expect(splits.dataKey).toBe('shapes|classes=0,3,7|subset=16|seed=1');
    expect(new Set(splits.heldOut.labels)).toEqual(new Set([0, 3, 7]));
  });

  it('reports progress while drawing', async () => {
    const messages: string[] = [];
    await loadProxySplits(config, undefined, { onProgress: (m) => messages.push(m) });
    expect(messages).toEqual(['drawing 90 shapes', 'drawing 2000 held-out shapes']);
  });
});

describe('loadProxySplits refusals', () => {
  it('refuses fewer than two classes', async () => {
    const error = await rejection(loadProxySplits({ dataset: 'shapes', classes: [4], subset: 32, seed: 1 }, undefined));
    expect(error.message).toMatch(/at least two classes/);
    // Duplicates of one class are still one class.
    const duplicate = await rejection(
      loadProxySplits({ dataset: 'shapes', classes: [4, 4, 4], subset: 32, seed: 1 }, undefined),
    );
    expect(duplicate.message).toMatch(/at least two classes/);
  });

  it('refuses the 2-D toy data sets', async () => {
    for (const dataset of ['ring8', 'grid25'] as const) {
      const error = await rejection(loadProxySplits({ dataset, classes: [0, 1], subset: 64, seed: 1 }, undefined));
      expect(error.message).toBe(`proxies are for image data; ${dataset} is counted exactly by mode instead`);
    }
  });

  it('refuses CIFAR-10 without a source', async () => {
    const error = await rejection(
      loadProxySplits({ dataset: 'cifar10', classes: [0, 1], subset: 16, seed: 1 }, undefined),
    );
    expect(error).toBeInstanceOf(DataFileError);
    expect(error.message).toMatch(/CIFAR-10 not found/);
  });
});

describe('loadProxySplits on CIFAR-10 fixtures (no test_batch.bin, truncated test_batch.bin)', () => {
  const labels = [0, 1, 2, 0, 1, 3, 1, 0, 9, 1];
  const config: DatasetConfig = { dataset: 'cifar10', classes: [0, 1], subset: 6, seed: 1 };

  it('rejects a source without test_batch.bin with a message naming test_batch.bin', async () => {
    const error = await rejection(
      loadProxySplits(config, memorySource({ 'data_batch_1.bin': makeBatchFile(labels, 1) }, 'my files')),
    );
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).problem).toBe('not-found');
    expect(error.message).toContain('test_batch.bin');
    expect(error.message).toBe(
      'my files: the proxy net needs test_batch.bin (the held-out split) beside the training batches',
    );
  });

  it('rejects a directory without test_batch.bin (nodeCifarSource) with a message naming test_batch.bin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-data-'));
    try {
      writeFileSync(join(dir, 'data_batch_1.bin'), makeBatchFile(labels, 1));
      const error = await rejection(loadProxySplits(config, nodeCifarSource(dir, join(dir, 'no-archive.tar.gz'))));
      expect(error).toBeInstanceOf(DataFileError);
      expect(error.message).toContain('test_batch.bin');
      expect(error.message).toContain(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a truncated test_batch.bin (first 5000 bytes) with a DataFileError naming the file', async () => {
    const test = makeBatchFile([0, 1, 0, 1, 2], 2);
    expect(test.length).toBe(5 * RECORD_BYTES);
    const source = memorySource({
      'data_batch_1.bin': makeBatchFile(labels, 1),
      'test_batch.bin': test.slice(0, 5000),
    });
    const error = await rejection(loadProxySplits(config, source));
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).problem).toBe('truncated');
    expect((error as DataFileError).fileName).toBe('test_batch.bin');
    expect(error.message).toMatch(/^test_batch\.bin: truncated or wrong size: 5000 bytes/);
  });

  it('with a whole fixture test_batch.bin: held-out is its images of the chosen classes, in file order', async () => {
    const testLabels = [2, 1, 0, 5, 0, 1, 9];
    const testFile = makeBatchFile(testLabels, 2);
    const splits = await loadProxySplits(
      config,
      memorySource({ 'data_batch_1.bin': makeBatchFile(labels, 1), 'test_batch.bin': testFile }),
    );
    expect(Array.from(splits.train.labels)).toEqual([0, 1, 0, 1, 1, 0]);
    expect(Array.from(splits.heldOut.labels)).toEqual([1, 0, 0, 1]);
    // Held-out image 0 is test record 1: R, G, B planes interleaved to NHWC.
    const record = 1;
    const start = record * RECORD_BYTES + 1;
    for (const [row, col] of [
      [0, 0],
      [5, 31],
      [31, 7],
    ]) {
      for (let channel = 0; channel < 3; channel++) {
        expect(splits.heldOut.pixels[(row * 32 + col) * 3 + channel]).toBe(
          testFile[start + channel * 1024 + row * 32 + col],
        );
      }
    }
    expect(splits.dataKey).toBe('cifar10|classes=0,1|subset=6');
    expect(splits.classNames).toEqual(['airplane', 'automobile']);
  });
});

describe.skipIf(skipWithout(existsSync(SAMPLE_DIR), `the CIFAR-10 sample in ${SAMPLE_DIR}`))(
  'loadProxySplits on the CIFAR-10 sample in ../shared/data',
  () => {
    it(
      "classes 0,1, subset 300: 300 training images of classes 0/1, held-out = test_batch.bin's " +
        '2000 images of classes 0/1',
      async () => {
        const splits = await loadProxySplits(
          { dataset: 'cifar10', classes: [1, 0], subset: 300, seed: 5 },
          nodeCifarSource(SAMPLE_DIR),
        );
        expect(splits.train.count).toBe(300);
        expect(splits.train.labels.every((l) => l === 0 || l === 1)).toBe(true);
        expect(splits.shortfall).toBeNull();
        expect(splits.heldOut.count).toBe(2000);
        expect(splits.heldOut.labels.filter((l) => l === 0)).toHaveLength(1000);
        expect(splits.heldOut.labels.filter((l) => l === 1)).toHaveLength(1000);
        expect(splits.dataKey).toBe('cifar10|classes=0,1|subset=300');
        expect(splits.classIds).toEqual([0, 1]);
        expect(splits.classNames).toEqual([CIFAR10_CLASS_NAMES[0], CIFAR10_CLASS_NAMES[1]]);

        // Against the raw files: the first 300 records of classes 0/1 of data_batch_1.bin, and every
        // record of classes 0/1 of test_batch.bin, in file order (NHWC pixel = planar byte).
        const check = (raw: Uint8Array, set: ImageSet, count: number) => {
          const records: number[] = [];
          for (let r = 0; r < raw.length / RECORD_BYTES && records.length < count; r++) {
            if (raw[r * RECORD_BYTES] <= 1) records.push(r);
          }
          expect(records).toHaveLength(count);
          expect(Array.from(set.labels)).toEqual(records.map((r) => raw[r * RECORD_BYTES]));
          for (let i = 0; i < count; i += 37) {
            const start = records[i] * RECORD_BYTES + 1;
            for (let p = 0; p < 1024; p += 101) {
              for (let c = 0; c < 3; c++)
                expect(set.pixels[i * IMAGE_BYTES + p * 3 + c]).toBe(raw[start + c * 1024 + p]);
            }
          }
        };
        check(new Uint8Array(readFileSync(join(SAMPLE_DIR, 'data_batch_1.bin'))), splits.train, 300);
        check(new Uint8Array(readFileSync(join(SAMPLE_DIR, 'test_batch.bin'))), splits.heldOut, 2000);
        // Training images come from data_batch_1.bin only here, so none is a held-out image.
        expect(sharedImages(splits.train, splits.heldOut)).toBe(0);
      },
    );

    it('a subset that runs on into test_batch.bin leaves those images out of the held-out split', async () => {
      const source = nodeCifarSource(SAMPLE_DIR);
      const inTrainBatch = (
        await loadProxySplits({ dataset: 'cifar10', classes: [0, 1], subset: 300, seed: 1 }, source)
      ).heldOut.count;
      const raw = new Uint8Array(readFileSync(join(SAMPLE_DIR, 'data_batch_1.bin')));
      let available = 0;
      for (let r = 0; r < raw.length / RECORD_BYTES; r++) if (raw[r * RECORD_BYTES] <= 1) available++;
      const subset = available + 500; // 500 images from test_batch.bin
      const splits = await loadProxySplits({ dataset: 'cifar10', classes: [0, 1], subset, seed: 1 }, source);
      expect(splits.train.count).toBe(subset);
      expect(splits.train.name).toContain('test_batch.bin');
      expect(splits.heldOut.count).toBe(inTrainBatch - 500);
      expect(sharedImages(splits.train, splits.heldOut)).toBe(0);
      // All of test_batch.bin's images of these classes in training: nothing is left to hold out.
      await expect(
        loadProxySplits({ dataset: 'cifar10', classes: [0, 1], subset: available + inTrainBatch, seed: 1 }, source),
      ).rejects.toThrow(/none held out/);
    });
  },
);

describe('effectiveEvaluationSize', () => {
  const splits = (train: number, heldOut: number) => ({ train: fakeSet(train), heldOut: fakeSet(heldOut) });

  it('is N when both splits hold N images', () => {
    expect(effectiveEvaluationSize(500, splits(5000, 2000))).toBe(500);
    expect(effectiveEvaluationSize(2000, splits(2000, 2000))).toBe(2000);
  });

  it('is capped by the training split and by the held-out split', () => {
    expect(effectiveEvaluationSize(500, splits(300, 2000))).toBe(300);
    expect(effectiveEvaluationSize(500, splits(5000, 200))).toBe(200);
    expect(effectiveEvaluationSize(10000, splits(700, 600))).toBe(600);
  });

  it('never goes below 4', () => {
    expect(effectiveEvaluationSize(2, splits(5000, 2000))).toBe(4);
    expect(effectiveEvaluationSize(0, splits(5000, 2000))).toBe(4);
    expect(effectiveEvaluationSize(4, splits(5000, 2000))).toBe(4);
    expect(effectiveEvaluationSize(500, splits(3, 2000))).toBe(4);
  });
});

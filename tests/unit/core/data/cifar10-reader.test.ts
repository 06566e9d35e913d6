import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { skipWithout } from '../../../prerequisite';
import {
  CIFAR10_CLASS_NAMES,
  DataFileError,
  cifarBatchToImageSet,
  parseCifarBatch,
  readCifarFile,
  selectCifarSubset,
  type CifarBatch,
} from '../../../../src/core/data/cifar10-reader';
import {
  META_TXT,
  RECORD_BYTES,
  fixtureByte,
  makeBatchFile,
  makeTar,
  makeTarGz,
} from '../../../fixtures/cifar-fixtures';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SAMPLE_DIR = resolve(REPO_ROOT, '..', 'shared', 'data', 'cifar-10-batches-bin');

/** The DataFileError `action` throws (fails the test when it throws anything else, or nothing). */
function dataFileError(action: () => unknown): DataFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError, but nothing was thrown');
}

/** NHWC byte of image `image` at (row, col, channel) in a set of 32x32x3 images. */
function nhwc(pixels: Uint8Array, image: number, row: number, col: number, channel: number): number {
  return pixels[image * 3072 + (row * 32 + col) * 3 + channel];
}

describe('parseCifarBatch', () => {
  it('reads labels and converts planar RGB records to NHWC', () => {
    const labels = [6, 9, 9, 4, 1];
    const batch = parseCifarBatch(makeBatchFile(labels, 3), 'data_batch_1.bin');
    expect(batch.count).toBe(5);
    const set = cifarBatchToImageSet(batch);
    expect(Array.from(set.labels)).toEqual(labels);
    expect(set.pixels.length).toBe(5 * 3072);
    expect(set.classNames).toEqual(CIFAR10_CLASS_NAMES);
    for (const [image, row, col, channel] of [
      [0, 0, 0, 0],
      [1, 0, 1, 1],
      [2, 31, 0, 2],
      [4, 17, 29, 1],
      [3, 31, 31, 2],
    ]) {
      expect(nhwc(set.pixels, image, row, col, channel)).toBe(fixtureByte(3, image, channel, row, col));
    }
  });

  it('accepts any whole number of records, not only 10000', () => {
    expect(parseCifarBatch(makeBatchFile([0]), 'test_batch.bin').count).toBe(1);
    expect(parseCifarBatch(makeBatchFile(new Array(37).fill(2)), 'test_batch.bin').count).toBe(37);
  });

  it('accepts an ArrayBuffer and a view into a larger buffer', () => {
    const file = makeBatchFile([1, 2]);
    expect(parseCifarBatch(file.buffer as ArrayBuffer, 'data_batch_2.bin').count).toBe(2);
    const padded = new Uint8Array(file.length + 10);
    padded.set(file, 7);
    const batch = parseCifarBatch(padded.subarray(7, 7 + file.length), 'data_batch_2.bin');
    expect(Array.from(cifarBatchToImageSet(batch).labels)).toEqual([1, 2]);
  });

  it('rejects an empty file', () => {
    const error = dataFileError(() => parseCifarBatch(new Uint8Array(0), 'data_batch_3.bin'));
    expect(error.problem).toBe('empty');
    expect(error.message).toBe('data_batch_3.bin: file is empty (0 bytes)');
  });

  it('rejects a truncated official-size file, naming its size and whole records', () => {
    const truncated = new Uint8Array(30_730_000 - 1);
    const error = dataFileError(() => parseCifarBatch(truncated, 'data_batch_1.bin'));
    expect(error.problem).toBe('truncated');
    expect(error.fileName).toBe('data_batch_1.bin');
    expect(error.message).toMatch(/^data_batch_1\.bin: truncated/);
    expect(error.message).toContain('30729999 bytes');
    expect(error.message).toContain('9999 whole records plus 3072 bytes');
  });

  it('rejects a file with bytes beyond its last whole record', () => {
    const file = new Uint8Array(2 * RECORD_BYTES + 5);
    const error = dataFileError(() => parseCifarBatch(file, 'test_batch.bin'));
    expect(error.problem).toBe('truncated');
    expect(error.message).toContain(`${2 * RECORD_BYTES + 5} bytes`);
    expect(error.message).toContain('2 whole records plus 5 bytes');
  });

  it.each([10, 200, 255])('rejects label byte %i, naming the record and the byte value', (badLabel) => {
    const file = makeBatchFile([0, 9, 2, 3]);
    file[2 * RECORD_BYTES] = badLabel;
    const error = dataFileError(() => parseCifarBatch(file, 'data_batch_4.bin'));
    expect(error.problem).toBe('bad-label');
    expect(error.message).toMatch(new RegExp(`^data_batch_4\\.bin: record 2 .*label byte ${badLabel}`));
  });
});

describe('readCifarFile', () => {
  it('rejects unknown file names', () => {
    for (const name of ['data_batch_6.bin', 'cifar.bin', 'data_batch_1.bin.bak']) {
      const error = dataFileError(() => readCifarFile(makeBatchFile([1]), name));
      expect(error.problem).toBe('unknown-name');
      expect(error.message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}: unknown file name`));
    }
  });

  it('reads batch files given with a directory in the name', () => {
    const [batch] = readCifarFile(makeBatchFile([7, 8]), 'cifar-10-batches-bin/data_batch_5.bin');
    expect(batch.count).toBe(2);
  });

  it('unpacks the tar.gz archive and returns its batches in canonical order', () => {
    const archive = makeTarGz([
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: META_TXT },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: makeBatchFile([9, 9, 9], 2) },
      { name: 'cifar-10-batches-bin/data_batch_2.bin', data: makeBatchFile([5], 1) },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: makeBatchFile([0, 1], 0) },
    ]);
    const batches = readCifarFile(archive, 'cifar-10-binary.tar.gz');
    expect(batches.map((b) => b.fileName)).toEqual([
      'cifar-10-binary.tar.gz:cifar-10-batches-bin/data_batch_1.bin',
      'cifar-10-binary.tar.gz:cifar-10-batches-bin/data_batch_2.bin',
      'cifar-10-binary.tar.gz:cifar-10-batches-bin/test_batch.bin',
    ]);
    expect(batches.map((b) => b.count)).toEqual([2, 1, 3]);
    const testSet = cifarBatchToImageSet(batches[2]);
    expect(nhwc(testSet.pixels, 2, 5, 6, 1)).toBe(fixtureByte(2, 2, 1, 5, 6));
  });

  it('accepts an already decompressed tar (servers that send Content-Encoding: gzip)', () => {
    const tar = makeTar([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: makeBatchFile([3, 4]) }]);
    const batches = readCifarFile(tar, 'cifar-10-binary.tar.gz');
    expect(batches).toHaveLength(1);
    expect(batches[0].count).toBe(2);
    // The same tar as a view into a larger buffer (as a Node Buffer from the pool may be).
    const padded = new Uint8Array(tar.length + 1024);
    padded.set(tar, 512);
    const fromView = readCifarFile(padded.subarray(512, 512 + tar.length), 'cifar-10-binary.tar');
    expect(Array.from(cifarBatchToImageSet(fromView[0]).labels)).toEqual([3, 4]);
  });

  it('rejects an archive without batch files, listing what it holds', () => {
    const archive = makeTarGz([
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: META_TXT },
      { name: 'cifar-10-batches-bin/readme.html', data: '<p>hi</p>' },
    ]);
    const error = dataFileError(() => readCifarFile(archive, 'cifar-10-binary.tar.gz'));
    expect(error.problem).toBe('no-batches-in-archive');
    expect(error.message).toMatch(/^cifar-10-binary\.tar\.gz: archive holds no CIFAR-10 batch files/);
    expect(error.message).toContain('cifar-10-batches-bin/readme.html');
  });

  it('points at the binary version when given the Python archive', () => {
    const archive = makeTarGz([{ name: 'cifar-10-batches-py/data_batch_1', data: 'pickle' }]);
    const error = dataFileError(() => readCifarFile(archive, 'cifar-10-python.tar.gz'));
    expect(error.problem).toBe('no-batches-in-archive');
    expect(error.message).toContain('Python');
  });

  it('names the archive and the inner file when a batch inside is damaged', () => {
    const bad = makeBatchFile([1, 2, 3]);
    bad[RECORD_BYTES] = 42;
    const archive = makeTarGz([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: bad }]);
    const error = dataFileError(() => readCifarFile(archive, 'cifar-10-binary.tar.gz'));
    expect(error.problem).toBe('bad-label');
    expect(error.message).toMatch(
      /^cifar-10-binary\.tar\.gz:cifar-10-batches-bin\/data_batch_1\.bin: record 1 .*label byte 42/,
    );
  });

  it('rejects a truncated gzip stream', () => {
    const archive = makeTarGz([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: makeBatchFile([1, 2, 3, 4]) }]);
    const error = dataFileError(() =>
      readCifarFile(archive.subarray(0, archive.length >> 1), 'cifar-10-binary.tar.gz'),
    );
    expect(error.problem).toBe('corrupt-gzip');
    expect(error.message).toMatch(/^cifar-10-binary\.tar\.gz: corrupt gzip data/);
  });

  it('rejects a file that is not gzip at all', () => {
    const error = dataFileError(() =>
      readCifarFile(new TextEncoder().encode('<html>not found</html>'), 'cifar-10-binary.tar.gz'),
    );
    expect(error.problem).toBe('corrupt-gzip');
    expect(error.message).toContain('not a gzip file');
  });

  it('rejects gzip data that does not hold a tar', () => {
    const error = dataFileError(() =>
      readCifarFile(gzipSync(new TextEncoder().encode('plain text')), 'cifar-10-binary.tar.gz'),
    );
    expect(error.problem).toBe('corrupt-tar');
  });
});

describe('selectCifarSubset', () => {
  // Three files whose labels make the file order visible.
  const files: CifarBatch[] = [
    parseCifarBatch(makeBatchFile([0, 3, 5, 3, 1], 10), 'data_batch_1.bin'),
    parseCifarBatch(makeBatchFile([5, 5, 2, 3], 20), 'data_batch_2.bin'),
    parseCifarBatch(makeBatchFile([3, 9, 5], 30), 'test_batch.bin'),
  ];
  // (file seed offset, record) of every image with label 3 or 5, in file order.
  const matching: [number, number, number][] = [
    [10, 1, 3],
    [10, 2, 5],
    [10, 3, 3],
    [20, 0, 5],
    [20, 1, 5],
    [20, 3, 3],
    [30, 0, 3],
    [30, 2, 5],
  ];

  it('takes the first images of the chosen classes in file order', () => {
    const { set, shortfall, requested } = selectCifarSubset(files, [5, 3], 6);
    expect(shortfall).toBeNull();
    expect(requested).toBe(6);
    expect(set.count).toBe(6);
    expect(Array.from(set.labels)).toEqual(matching.slice(0, 6).map(([, , label]) => label));
    matching.slice(0, 6).forEach(([seedOffset, record], image) => {
      expect(nhwc(set.pixels, image, 0, 0, 0)).toBe(fixtureByte(seedOffset, record, 0, 0, 0));
      expect(nhwc(set.pixels, image, 9, 30, 2)).toBe(fixtureByte(seedOffset, record, 2, 9, 30));
    });
  });

  it('returns all matching images and says so when fewer than asked exist', () => {
    const { set, shortfall } = selectCifarSubset(files, [3, 5], 100);
    expect(set.count).toBe(matching.length);
    expect(shortfall).toContain(`only ${matching.length} CIFAR-10 images of classes 3,5`);
    expect(shortfall).toContain('instead of 100');
  });

  it('filters by a single class', () => {
    const { set } = selectCifarSubset(files, [9], 5);
    expect(Array.from(set.labels)).toEqual([9]);
    expect(nhwc(set.pixels, 0, 31, 31, 1)).toBe(fixtureByte(30, 1, 1, 31, 31));
  });

  it('names the files it used in the set name', () => {
    expect(selectCifarSubset(files, [3, 5], 3).set.name).toBe('CIFAR-10 classes 3,5, 3 images from data_batch_1.bin');
    expect(selectCifarSubset(files, [2, 9], 5).set.name).toBe(
      'CIFAR-10 classes 2,9, 2 images from data_batch_2.bin, test_batch.bin',
    );
  });

  it('refuses to build an empty set when no image has the chosen classes', () => {
    const error = dataFileError(() => selectCifarSubset(files, [4, 6], 5));
    expect(error.problem).toBe('no-matching-images');
    expect(error.message).toBe('data_batch_1.bin, data_batch_2.bin, test_batch.bin: no CIFAR-10 images of classes 4,6');
  });

  it('rejects empty or out-of-range classes and a non-positive subset', () => {
    expect(() => selectCifarSubset(files, [], 5)).toThrow(RangeError);
    expect(() => selectCifarSubset(files, [10], 5)).toThrow(/class id 10/);
    expect(() => selectCifarSubset(files, [1], 0)).toThrow(RangeError);
  });
});

describe.skipIf(skipWithout(existsSync(SAMPLE_DIR), `the CIFAR-10 sample in ${SAMPLE_DIR}`))(
  'the CIFAR-10 sample in ../shared/data',
  () => {
    const files = ['data_batch_1.bin', 'test_batch.bin'].map((name) => ({
      name,
      raw: new Uint8Array(readFileSync(join(SAMPLE_DIR, name))),
    }));

    it.each(files)('$name has 10000 records, 1000 per class, and NHWC pixels match raw offsets', ({ name, raw }) => {
      const [batch] = readCifarFile(raw, name);
      expect(batch.count).toBe(10000);
      const set = cifarBatchToImageSet(batch);
      const perClass = new Array<number>(10).fill(0);
      for (const label of set.labels) perClass[label]++;
      expect(perClass).toEqual(new Array(10).fill(1000));

      for (const [record, row, col, channel] of [
        [0, 0, 0, 0],
        [0, 0, 1, 2],
        [1, 5, 7, 1],
        [4321, 16, 16, 0],
        [9999, 31, 31, 2],
      ]) {
        const rawOffset = record * 3073 + 1 + channel * 1024 + row * 32 + col;
        expect(nhwc(set.pixels, record, row, col, channel)).toBe(raw[rawOffset]);
        expect(set.labels[record]).toBe(raw[record * 3073]);
      }
    });

    it('looks like natural images: CIFAR-10 channel means and smooth rows', () => {
      const set = cifarBatchToImageSet(readCifarFile(files[0].raw, files[0].name)[0]);
      const sums = [0, 0, 0];
      let neighbourDiff = 0;
      let farDiff = 0;
      for (let i = 0; i < set.pixels.length; i += 3) {
        for (let c = 0; c < 3; c++) sums[c] += set.pixels[i + c];
      }
      // Horizontal neighbours differ far less than pixels 16 columns apart, only if rows are intact.
      for (let image = 0; image < 500; image++) {
        for (let row = 0; row < 32; row++) {
          for (let col = 0; col < 15; col++) {
            neighbourDiff += Math.abs(nhwc(set.pixels, image, row, col, 1) - nhwc(set.pixels, image, row, col + 1, 1));
            farDiff += Math.abs(nhwc(set.pixels, image, row, col, 1) - nhwc(set.pixels, image, row, col + 16, 1));
          }
        }
      }
      const means = sums.map((s) => s / (set.count * 1024));
      // Published CIFAR-10 training means: R 125.3, G 123.0, B 113.9 (blue clearly lowest).
      expect(means[0]).toBeGreaterThan(121);
      expect(means[0]).toBeLessThan(130);
      expect(means[1]).toBeGreaterThan(119);
      expect(means[1]).toBeLessThan(127);
      expect(means[2]).toBeGreaterThan(109);
      expect(means[2]).toBeLessThan(118);
      expect(neighbourDiff * 2.5).toBeLessThan(farDiff);
    });

    it('selects a subset across both sample files in file order', () => {
      const batches = files.flatMap(({ name, raw }) => readCifarFile(raw, name));
      const { set, shortfall } = selectCifarSubset(batches, [3], 1500);
      expect(shortfall).toBeNull();
      expect(set.count).toBe(1500);
      expect(set.labels.every((label) => label === 3)).toBe(true);
      // Image 1000 is the first cat of test_batch.bin.
      const testRaw = files[1].raw;
      let firstCat = 0;
      while (testRaw[firstCat * 3073] !== 3) firstCat++;
      expect(nhwc(set.pixels, 1000, 10, 20, 1)).toBe(testRaw[firstCat * 3073 + 1 + 1024 + 10 * 32 + 20]);
    });
  },
);

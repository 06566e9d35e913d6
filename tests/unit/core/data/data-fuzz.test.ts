// Property-based fuzzing of the data files a person can drop on the page (CIFAR-10 batch files and
// the archive) and of serialized proxy nets, with fast-check. A truncated, oversized or random file
// is refused with a DataFileError naming it (never another exception, never a hang), a refused drop
// leaves the loaded data set in place, and a damaged proxy-net file is an Error with a message.
//
// A failure prints fast-check's seed and path; rerun it with FUZZ_SEED=<seed> (FUZZ_RUNS=<n>
// changes the number of runs per property, default 2000).
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig } from '../../../../src/core/config/schema';
import {
  CIFAR10_ARCHIVE_NAME,
  CIFAR10_BATCH_FILES,
  DataFileError,
  crc32,
  readCifarFile,
  type CifarBatch,
} from '../../../../src/core/data/cifar10-reader';
import { droppedFilesSource, loadDataset } from '../../../../src/core/data/load-dataset';
import type { ImageSet } from '../../../../src/core/data/types';
import { ProxyNet } from '../../../../src/core/proxy/proxy-net';
import { recipeKey, TINY_RECIPE } from '../../../../src/core/proxy/proxy-recipe';
import { DatasetCache } from '../../../../src/worker/dataset-cache';
import { RECORD_BYTES, makeBatchFile, makeTar, makeTarGz } from '../../../fixtures/cifar-fixtures';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PARAMS = { numRuns: NUM_RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };
/** No single file may take longer than this to accept or refuse (the files here are at most ~60 kB). */
const MAX_MS_PER_FILE = 2000;

const ACCEPTED_NAMES = [...CIFAR10_BATCH_FILES, CIFAR10_ARCHIVE_NAME];
const BATCH_NAMES = [...CIFAR10_BATCH_FILES, ...CIFAR10_BATCH_FILES.map((n) => `cifar-10-batches-bin/${n}`)];
const ARCHIVE_NAMES = [CIFAR10_ARCHIVE_NAME, 'cifar-10-binary (1).tar.gz', 'cifar.tgz', 'cifar.tar'];
const anyName = fc.constantFrom(
  ...ACCEPTED_NAMES,
  ...BATCH_NAMES,
  ...ARCHIVE_NAMES,
  'readme.txt',
  'data_batch_6.bin',
  'batches.meta.txt',
);

// ---------------------------------------------------------------------------------------------
// Byte arbitraries. Large arrays come from a seeded generator (fast to build, shrinks by seed and
// length) rather than element by element.

function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 255;
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const bytesUpTo = (max: number): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.tuple(fc.integer({ min: 0, max }), fc.integer()).map(([n, seed]) => randomBytes(n, seed)),
    // Whole numbers of records (so the size check passes) with random labels.
    fc
      .tuple(fc.integer({ min: 1, max: Math.max(1, Math.floor(max / RECORD_BYTES)) }), fc.integer())
      .map(([n, seed]) => randomBytes(n * RECORD_BYTES, seed)),
  );

const labels = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 8 });
const validBatch = fc.tuple(labels, fc.integer({ min: 0, max: 50 })).map(([l, seed]) => makeBatchFile(l, seed));

/** A valid batch file cut at a random length short of its end. */
const truncatedBatch = validBatch.chain((file) =>
  fc.integer({ min: 0, max: file.length - 1 }).map((n) => file.slice(0, n)),
);
/** A valid batch file with 1 to ~2 records' worth of random bytes after it. */
const oversizedBatch = fc
  .tuple(
    validBatch,
    fc.oneof(fc.integer({ min: 1, max: 2 * RECORD_BYTES + 10 }), fc.constantFrom(RECORD_BYTES, 2 * RECORD_BYTES)),
    fc.integer(),
  )
  .map(([file, extra, seed]) => concat(file, randomBytes(extra, seed)));
/** A valid batch file with one record's label byte set to 10-255. */
const badLabelBatch = validBatch.chain((file) =>
  fc
    .tuple(fc.integer({ min: 0, max: file.length / RECORD_BYTES - 1 }), fc.integer({ min: 10, max: 255 }))
    .map(([record, label]) => {
      const copy = file.slice();
      copy[record * RECORD_BYTES] = label;
      return copy;
    }),
);
/** Starts with the gzip signature, then anything. */
const gzipGarbage = fc
  .tuple(
    fc.oneof(
      fc.constant(new Uint8Array(0)),
      fc.constantFrom(new Uint8Array([8]), new Uint8Array([8, 0, 0, 0, 0, 0, 0, 3])),
    ),
    bytesUpTo(20_000),
  )
  .map(([header, rest]) => concat(new Uint8Array([0x1f, 0x8b]), header, rest));

const ARCHIVE_ENTRIES = [
  { name: 'cifar-10-batches-bin/batches.meta.txt', data: 'airplane\nautomobile\n' },
  { name: 'cifar-10-batches-bin/data_batch_1.bin', data: makeBatchFile([0, 1, 2, 3], 1) },
  { name: 'cifar-10-batches-bin/test_batch.bin', data: makeBatchFile([9, 8], 2) },
];
const VALID_ARCHIVE = makeTarGz(ARCHIVE_ENTRIES);
const VALID_TAR = makeTar(ARCHIVE_ENTRIES);

function flipBits(bytes: Uint8Array, positions: readonly number[]): Uint8Array {
  const copy = bytes.slice();
  for (const p of positions) copy[Math.floor(p / 8) % copy.length] ^= 1 << (p % 8);
  return copy;
}

/**
 * A valid archive truncated, bit-flipped, or with bytes appended: `checked` when the damage is in
 * gzip data (whose CRC-32 and size must catch it), not when it is in a plain tar (which has no
 * checksum over the file data, so a flipped data bit is a different, valid file).
 */
const damagedArchive: fc.Arbitrary<{ bytes: Uint8Array; checked: boolean }> = fc
  .constantFrom(VALID_ARCHIVE, VALID_TAR)
  .chain((archive) => {
    const checked = archive === VALID_ARCHIVE;
    return fc.oneof(
      fc.integer({ min: 0, max: archive.length - 1 }).map((n) => ({ bytes: archive.slice(0, n), checked })),
      fc
        .array(fc.nat(archive.length * 8 - 1), { minLength: 1, maxLength: 4 })
        .map((bits) => ({ bytes: flipBits(archive, bits), checked })),
      fc
        .tuple(fc.integer({ min: 1, max: 5000 }), fc.integer())
        .map(([n, seed]) => ({ bytes: concat(archive, randomBytes(n, seed)), checked })),
      // Valid gzip around a damaged tar, so the damage reaches the tar reader.
      fc
        .integer({ min: 0, max: VALID_TAR.length - 1 })
        .map((n) => ({ bytes: gzipSync(VALID_TAR.slice(0, n)), checked: false })),
      fc
        .array(fc.nat(VALID_TAR.length * 8 - 1), { minLength: 1, maxLength: 4 })
        .map((bits) => ({ bytes: gzipSync(flipBits(VALID_TAR, bits)), checked: false })),
    );
  });

// ---------------------------------------------------------------------------------------------
// The oracle.

/** A batch file is valid when it is whole records (at least one) with label bytes 0-9. */
function isValidBatchFile(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.length % RECORD_BYTES !== 0) return false;
  for (let i = 0; i < bytes.length; i += RECORD_BYTES) if (bytes[i] > 9) return false;
  return true;
}

function assertValidBatches(batches: readonly CifarBatch[], name: string): void {
  expect(batches.length).toBeGreaterThan(0);
  for (const batch of batches) {
    expect(batch.fileName.startsWith(name)).toBe(true);
    expect(batch.count).toBeGreaterThan(0);
    expect(batch.records.length).toBe(batch.count * RECORD_BYTES);
    expect(isValidBatchFile(batch.records)).toBe(true);
  }
}

/**
 * Reads `bytes` as the file `name`: returns the batches when it is accepted, or the DataFileError
 * when it is refused; any other exception, a message that does not name the file, or a slow read
 * fails the test.
 */
function readOrRefuse(bytes: Uint8Array, name: string): CifarBatch[] | DataFileError {
  const start = performance.now();
  let result: CifarBatch[] | DataFileError;
  try {
    result = readCifarFile(bytes, name);
  } catch (error) {
    if (!(error instanceof DataFileError)) {
      throw new Error(
        `${name} (${bytes.length} bytes) threw ` +
          `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}, not a DataFileError`,
        { cause: error },
      );
    }
    expect(error.message.startsWith(`${name}`), error.message).toBe(true);
    expect(error.fileName.startsWith(name)).toBe(true);
    expect(error.message.length).toBeGreaterThan(name.length + 5);
    result = error;
  }
  expect(performance.now() - start).toBeLessThan(MAX_MS_PER_FILE);
  if (!(result instanceof DataFileError)) assertValidBatches(result, name);
  return result;
}

/** The file must be refused when it is not a valid batch file, and accepted when it is. */
function checkBatchFile(bytes: Uint8Array, name: string): CifarBatch[] | DataFileError {
  const result = readOrRefuse(bytes, name);
  if (isValidBatchFile(bytes)) {
    expect(result).not.toBeInstanceOf(DataFileError);
    expect((result as CifarBatch[])[0].records).toEqual(bytes);
  } else {
    expect(result).toBeInstanceOf(DataFileError);
  }
  return result;
}

function sameBatches(a: readonly CifarBatch[], b: readonly CifarBatch[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (batch, i) =>
        batch.fileName === b[i].fileName &&
        batch.count === b[i].count &&
        batch.records.every((v, k) => v === b[i].records[k]),
    )
  );
}

// ---------------------------------------------------------------------------------------------

describe('data file fuzzing', () => {
  it(
    'random bytes under every accepted name are refused with a DataFileError naming the file, or ' + 'are really valid',
    () => {
      fc.assert(
        fc.property(bytesUpTo(40_000), anyName, (bytes, name) => {
          const result = readOrRefuse(bytes, name);
          if (BATCH_NAMES.includes(name)) checkBatchFile(bytes, name);
          else if (!ACCEPTED_NAMES.includes(name) && !ARCHIVE_NAMES.includes(name))
            expect(result).toBeInstanceOf(DataFileError);
        }),
        PARAMS,
      );
    },
  );

  it('a truncated batch file is refused unless it is cut at a record boundary', () => {
    fc.assert(
      fc.property(truncatedBatch, fc.constantFrom(...BATCH_NAMES), (bytes, name) => {
        const result = checkBatchFile(bytes, name);
        if (result instanceof DataFileError) expect(result.problem).toBe(bytes.length === 0 ? 'empty' : 'truncated');
      }),
      PARAMS,
    );
  });

  it('an oversized batch file (random bytes appended) is refused unless the extra bytes are valid records', () => {
    fc.assert(
      fc.property(oversizedBatch, fc.constantFrom(...BATCH_NAMES), (bytes, name) => {
        checkBatchFile(bytes, name);
      }),
      PARAMS,
    );
  });

  it('a label byte above 9 is refused, naming the record', () => {
    fc.assert(
      fc.property(badLabelBatch, fc.constantFrom(...BATCH_NAMES), (bytes, name) => {
        const result = checkBatchFile(bytes, name);
        expect(result).toBeInstanceOf(DataFileError);
        expect((result as DataFileError).problem).toBe('bad-label');
        expect((result as DataFileError).message).toMatch(/record \d+ .*label byte \d+/);
      }),
      PARAMS,
    );
  });

  it('gzip-looking garbage is refused under every name', () => {
    fc.assert(
      fc.property(gzipGarbage, anyName, (bytes, name) => {
        expect(readOrRefuse(bytes, name)).toBeInstanceOf(DataFileError);
      }),
      PARAMS,
    );
  });

  it('a damaged archive is refused, or read with exactly the original batch files', () => {
    const original = readCifarFile(VALID_ARCHIVE, CIFAR10_ARCHIVE_NAME);
    expect(original.map((b) => b.count)).toEqual([4, 2]);
    let refused = 0;
    fc.assert(
      fc.property(damagedArchive, fc.constantFrom(...ARCHIVE_NAMES), ({ bytes, checked }, name) => {
        const result = readOrRefuse(bytes, name);
        if (result instanceof DataFileError) {
          refused++;
          return;
        }
        // Accepted damaged gzip: only when the damage missed the data (e.g. a flipped bit in the
        // gzip header's time stamp); readOrRefuse checked that any accepted batch is well formed.
        if (checked) {
          const renamed = original.map((b) => ({ ...b, fileName: b.fileName.replace(CIFAR10_ARCHIVE_NAME, name) }));
          expect(
            sameBatches(result, renamed),
            `accepted damaged archive with other contents (${bytes.length} bytes)`,
          ).toBe(true);
        }
      }),
      PARAMS,
    );
    expect(refused).toBeGreaterThan(NUM_RUNS / 4);
  });

  it('crc32 agrees with the bitwise definition', () => {
    const reference = (bytes: Uint8Array): number => {
      let crc = 0xffffffff;
      for (const byte of bytes) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(7), (bytes, offset) => {
        expect(crc32(bytes.subarray(Math.min(offset, bytes.length)))).toBe(
          reference(bytes.subarray(Math.min(offset, bytes.length))),
        );
      }),
      PARAMS,
    );
  });
});

// ---------------------------------------------------------------------------------------------

/** A valid drop: 40 images, labels 0-9 four times, as data_batch_1.bin. */
const GOOD_FILE = makeBatchFile(
  Array.from({ length: 40 }, (_, i) => i % 10),
  7,
);

function fileOf(bytes: Uint8Array, name: string): File {
  return new File([bytes as Uint8Array<ArrayBuffer>], name);
}

function expectSameImages(a: ImageSet, b: ImageSet): void {
  expect(a.count).toBe(b.count);
  expect(Buffer.from(a.labels).equals(Buffer.from(b.labels))).toBe(true);
  expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
}

const badFile: fc.Arbitrary<{ bytes: Uint8Array; name: string }> = fc.oneof(
  fc.tuple(bytesUpTo(40_000), fc.constantFrom(...ACCEPTED_NAMES)).map(([bytes, name]) => ({ bytes, name })),
  fc.tuple(truncatedBatch, fc.constantFrom(...CIFAR10_BATCH_FILES)).map(([bytes, name]) => ({ bytes, name })),
  fc.tuple(oversizedBatch, fc.constantFrom(...CIFAR10_BATCH_FILES)).map(([bytes, name]) => ({ bytes, name })),
  fc.tuple(badLabelBatch, fc.constantFrom(...CIFAR10_BATCH_FILES)).map(([bytes, name]) => ({ bytes, name })),
  fc.tuple(gzipGarbage, fc.constantFrom(...ACCEPTED_NAMES)).map(([bytes, name]) => ({ bytes, name })),
  damagedArchive.filter((d) => d.checked).map(({ bytes }) => ({ bytes, name: CIFAR10_ARCHIVE_NAME })),
  fc.constantFrom({ bytes: GOOD_FILE, name: 'readme.txt' }, { bytes: new Uint8Array(0), name: 'test_batch.bin' }),
);

describe('a refused drop keeps the loaded data set', () => {
  it('DatasetCache keeps serving the accepted files after any bad drop', async () => {
    const cache = new DatasetCache();
    const summary = await cache.addDroppedFiles([fileOf(GOOD_FILE, 'data_batch_1.bin')]);
    expect(summary.count).toBe(40);
    const generation = cache.uploadGeneration;
    const config: GanConfig = { ...defaultConfig(), dataset: 'cifar10', classes: [0, 3, 9], subset: 10 };
    const first = (await cache.load(config, () => {})).set as ImageSet;
    expect(first.count).toBe(10);
    const goodSource = droppedFilesSource([fileOf(GOOD_FILE, 'data_batch_1.bin')]);

    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        badFile,
        // Sometimes a valid file travels in the same drop: the whole drop is refused all the same.
        fc.boolean(),
        fc.subarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { minLength: 1 }),
        fc.integer({ min: 1, max: 50 }),
        async (bad, withGood, classes, subset) => {
          if (bad.name.endsWith('.bin') && isValidBatchFile(bad.bytes)) return; // not bad after all
          const drop = withGood
            ? [fileOf(makeBatchFile([5, 5, 5], 3), 'test_batch.bin'), fileOf(bad.bytes, bad.name)]
            : [fileOf(bad.bytes, bad.name)];
          let error: unknown = null;
          try {
            await cache.addDroppedFiles(drop);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(DataFileError);
          expect((error as DataFileError).message.startsWith(bad.name)).toBe(true);
          refused++;
          expect(cache.uploadGeneration).toBe(generation);
          // The same config still gives the same images...
          expectSameImages((await cache.load(config, () => {})).set as ImageSet, first);
          // ...and any other selection is read from the accepted file, not the refused one.
          const other: GanConfig = { ...config, classes, subset };
          const expected = (await loadDataset(other, goodSource)).set as ImageSet;
          expectSameImages((await cache.load(other, () => {})).set as ImageSet, expected);
        },
      ),
      { ...PARAMS, timeout: 5000 },
    );
    expect(refused).toBeGreaterThan(NUM_RUNS / 2);
  });
});

// ---------------------------------------------------------------------------------------------

describe('ProxyNet.deserialize fuzzing', () => {
  let net: ProxyNet;
  let serialized: Uint8Array;
  let weightsStart: number;
  const IMAGE_COUNT = 2;
  const images = Float32Array.from(randomBytes(IMAGE_COUNT * 3072, 99), (b) => b / 127.5 - 1);
  let reference: { features: Float32Array; probabilities: Float32Array };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    net = ProxyNet.create(TINY_RECIPE, 10);
    serialized = new Uint8Array(await net.serialize());
    const headerLength = new DataView(serialized.buffer).getUint32(8, true);
    weightsStart = Math.ceil((12 + headerLength) / 4) * 4;
    reference = await net.featuresAndProbabilities(images, IMAGE_COUNT);
  });

  afterAll(() => net?.dispose());

  /**
   * Deserializes `bytes`: returns the net (the caller disposes it) or null when it was refused with
   * an Error that has a message; anything else thrown fails the test.
   */
  function deserializeOrRefuse(bytes: Uint8Array): ProxyNet | null {
    const start = performance.now();
    try {
      return ProxyNet.deserialize(bytes);
    } catch (error) {
      if (!(error instanceof Error))
        throw new Error(`deserialize threw a non-Error: ${String(error)}`, { cause: error });
      expect(error.message.length).toBeGreaterThan(10);
      return null;
    } finally {
      expect(performance.now() - start).toBeLessThan(MAX_MS_PER_FILE);
    }
  }

  async function expectSameOutputs(copy: ProxyNet): Promise<void> {
    const outputs = await copy.featuresAndProbabilities(images, IMAGE_COUNT);
    expect(Buffer.from(outputs.features.buffer).equals(Buffer.from(reference.features.buffer))).toBe(true);
    expect(Buffer.from(outputs.probabilities.buffer).equals(Buffer.from(reference.probabilities.buffer))).toBe(true);
  }

  it('the real file deserializes to a net with the same outputs', async () => {
    const copy = ProxyNet.deserialize(serialized);
    await expectSameOutputs(copy);
    copy.dispose();
  });

  it('random bytes (with or without the magic preamble) are refused with an Error', () => {
    const tensorsBefore = tf.memory().numTensors;
    const magic = serialized.slice(0, 12);
    fc.assert(
      fc.property(bytesUpTo(40_000), fc.constantFrom('none', 'magic', 'preamble'), (bytes, prefix) => {
        const data = prefix === 'none' ? bytes : concat(prefix === 'magic' ? magic.subarray(0, 8) : magic, bytes);
        const copy = deserializeOrRefuse(data);
        copy?.dispose();
        expect(copy).toBeNull();
      }),
      PARAMS,
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('a truncated file is refused with an Error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: serialized.length - 1 }), (length) => {
        const copy = deserializeOrRefuse(serialized.slice(0, length));
        copy?.dispose();
        expect(copy).toBeNull();
      }),
      PARAMS,
    );
  });

  it(
    'a file with flipped bits is refused with an Error, or gives a net (with the same outputs when ' +
      'no weight changed)',
    async () => {
      const tensorsBefore = tf.memory().numTensors;
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.nat(weightsStart * 8 - 1), fc.nat(serialized.length * 8 - 1)), {
            minLength: 1,
            maxLength: 3,
          }),
          async (bits) => {
            const copy = deserializeOrRefuse(flipBits(serialized, bits));
            if (copy === null) return;
            accepted++;
            try {
              // The format has no checksum: a flipped bit in a weight is a different (valid) net.
              if (bits.every((bit) => Math.floor(bit / 8) < weightsStart)) await expectSameOutputs(copy);
              else expect(copy.parameterCount()).toBe(net.parameterCount());
            } finally {
              copy.dispose();
            }
          },
        ),
        { ...PARAMS, timeout: 5000 },
      );
      expect(accepted).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    },
  );
  /** `serialized` with its JSON header replaced by `edit(header)` (header length and padding redone). */
  function withHeader(edit: (header: Record<string, unknown>) => void): Uint8Array {
    const length = new DataView(serialized.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(serialized.subarray(12, 12 + length))) as Record<
      string,
      unknown
    >;
    edit(header);
    const headerBytes = new TextEncoder().encode(JSON.stringify(header));
    const start = Math.ceil((12 + headerBytes.length) / 4) * 4;
    const out = new Uint8Array(start + serialized.length - weightsStart);
    out.set(serialized.subarray(0, 8));
    new DataView(out.buffer).setUint32(8, headerBytes.length, true);
    out.set(headerBytes, 12);
    out.set(serialized.subarray(weightsStart), start);
    return out;
  }

  const HEADER_PATHS: ReadonlyArray<readonly (string | number)[]> = [
    ['recipe'],
    ['recipe', 'convs'],
    ['recipe', 'convs', 0],
    ['recipe', 'convs', 0, 'channels'],
    ['recipe', 'convs', 2, 'stride'],
    ['recipe', 'featureDimension'],
    ['recipe', 'activation'],
    ['recipe', 'leakySlope'],
    ['recipe', 'seed'],
    ['recipe', 'epochs'],
    ['recipe', 'name'],
    ['classCount'],
    ['classIds'],
    ['classIds', 3],
    ['classNames'],
    ['seed'],
    ['dataKey'],
    ['key'],
    ['accuracy'],
    ['tensors'],
    ['tensors', 0],
    ['tensors', 0, 'shape'],
    ['tensors', 6, 'shape', 1],
    ['tensors', 9, 'name'],
    ['format'],
    ['formatVersion'],
  ];
  const hostileJson = fc.oneof(
    fc.constantFrom<unknown>(
      null,
      -1,
      0,
      1,
      2,
      2.5,
      255,
      256,
      4000,
      1e6,
      2 ** 31,
      2 ** 32,
      1e308,
      '',
      'relu',
      'leaky-relu',
      'tiny',
      [],
      {},
      [null],
      [1, 2],
      [3, 3, 3, 8],
    ),
    fc.constant<unknown>([
      { channels: 2000, stride: 2 },
      { channels: 2000, stride: 2 },
    ]),
    fc.jsonValue({ maxDepth: 2 }),
  );

  // An edit that changes the recipe without changing any tensor shape (a stride, the activation, the
  // learning rate...) gives another valid net: its recipe key differs, so the page and headless runs,
  // which compare keys, refuse it. Only a net that still claims the original recipe must compute the same.
  it(
    'a header with hostile fields is refused with an Error, quickly, or keeps its recipe and its ' +
      'outputs, or names another recipe',
    async () => {
      const tensorsBefore = tf.memory().numTensors;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom(...HEADER_PATHS), hostileJson), { minLength: 1, maxLength: 3 }),
          async (edits) => {
            const bytes = withHeader((header) => {
              for (const [path, value] of edits) {
                let target: unknown = header;
                for (const key of path.slice(0, -1))
                  target =
                    target !== null && typeof target === 'object'
                      ? (target as Record<string | number, unknown>)[key]
                      : undefined;
                if (target !== null && typeof target === 'object')
                  (target as Record<string | number, unknown>)[path[path.length - 1]] = structuredClone(value);
              }
            });
            const copy = deserializeOrRefuse(bytes);
            if (copy === null) return;
            try {
              if (recipeKey(copy.recipe, 'data') === recipeKey(TINY_RECIPE, 'data')) await expectSameOutputs(copy);
            } finally {
              copy.dispose();
            }
          },
        ),
        { ...PARAMS, timeout: 5000 },
      );
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    },
  );
});

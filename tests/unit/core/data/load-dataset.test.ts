import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../../../src/core/data/cifar10-reader';
import {
  CIFAR_NOT_FOUND_MESSAGE,
  droppedFilesSource,
  fetchCifarSource,
  loadDataset,
  type CifarFileSource,
  type DatasetConfig,
} from '../../../../src/core/data/load-dataset';
import { nodeCifarSource } from '../../../../src/core/data/node-cifar-source';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import { RING_OF_8 } from '../../../../src/core/data/toy-modes';
import { isPointSet, type ImageSet, type TrainingSet } from '../../../../src/core/data/types';
import { META_TXT, makeBatchFile, makeTarGz } from '../../../fixtures/cifar-fixtures';

const cifar = (classes: number[], subset: number): DatasetConfig => ({ dataset: 'cifar10', classes, subset, seed: 1 });

/** 20 records per file; labels cycle 0-9, so each file holds 2 images of each class. */
const batchFile = (seedOffset: number): Uint8Array =>
  makeBatchFile(
    Array.from({ length: 20 }, (_, i) => i % 10),
    seedOffset,
  );
const ALL_BATCHES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
  'test_batch.bin',
];

/** An in-memory source that records which files were read. */
function recordingSource(files: Record<string, Uint8Array>): CifarFileSource & { reads: string[] } {
  const reads: string[] = [];
  const inner = droppedFilesSource(
    Object.entries(files).map(([name, data]) => ({ name, arrayBuffer: async () => data.slice().buffer })),
  );
  return { reads, list: () => inner.list(), read: (name) => (reads.push(name), inner.read(name)) };
}

function images(set: TrainingSet): ImageSet {
  if (isPointSet(set)) throw new Error(`expected images, got points (${set.name})`);
  return set;
}

async function rejection(promise: Promise<unknown>): Promise<DataFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError');
}

describe('loadDataset', () => {
  it('draws the built-in shapes without touching any source', async () => {
    const { set, shortfall } = await loadDataset({ dataset: 'shapes', classes: [1, 4], subset: 40, seed: 3 });
    expect(shortfall).toBeNull();
    expect(set.count).toBe(40);
    const expected = makeShapesDataset({ seed: 3, count: 40, classes: [1, 4] }).pixels;
    expect(Buffer.from(images(set).pixels).equals(Buffer.from(expected))).toBe(true);
  });

  it('draws the toy 2-D points without touching any source, the same pool for every seed', async () => {
    const { set, shortfall } = await loadDataset({ dataset: 'ring8', classes: [1], subset: 64, seed: 3 });
    expect(shortfall).toBeNull();
    if (!isPointSet(set)) throw new Error('expected points');
    expect(set.count).toBe(64);
    expect(set.points).toHaveLength(128);
    expect(set.mixture).toBe(RING_OF_8);
    const other = (await loadDataset({ dataset: 'ring8', classes: [0, 2], subset: 64, seed: 9 })).set;
    expect(isPointSet(other) && Array.from(other.points)).toEqual(Array.from(set.points));
  });

  it('reads only as many batch files as the subset needs, in canonical order', async () => {
    // Listed out of order: the order of use must still be data_batch_1..5, then test_batch.
    const source = recordingSource(
      Object.fromEntries([...ALL_BATCHES].reverse().map((name, i) => [name, batchFile(i)])),
    );
    const progress: string[] = [];
    const { set, shortfall } = await loadDataset(cifar([3], 5), source, { onProgress: (m) => progress.push(m) });
    expect(source.reads).toEqual(['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin']);
    expect(progress).toEqual(['reading data_batch_1.bin', 'reading data_batch_2.bin', 'reading data_batch_3.bin']);
    expect(shortfall).toBeNull();
    expect(set.count).toBe(5);
    expect(Array.from(images(set).labels)).toEqual([3, 3, 3, 3, 3]);
  });

  it('falls through to test_batch and reports a shortfall when all files are not enough', async () => {
    const source = recordingSource(Object.fromEntries(ALL_BATCHES.map((name, i) => [name, batchFile(i)])));
    const { set, shortfall } = await loadDataset(cifar([0, 9], 100), source);
    expect(source.reads).toEqual(ALL_BATCHES);
    expect(set.count).toBe(24);
    expect(shortfall).toContain('only 24');
  });

  it('uses the archive when there are no separate batch files', async () => {
    const archive = makeTarGz([
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: META_TXT },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: batchFile(0) },
    ]);
    const source = recordingSource({ 'cifar-10-binary.tar.gz': archive, 'notes.txt': new Uint8Array(3) });
    const { set } = await loadDataset(cifar([7], 2), source);
    expect(source.reads).toEqual(['cifar-10-binary.tar.gz']);
    expect(Array.from(images(set).labels)).toEqual([7, 7]);
  });

  it('says CIFAR-10 is missing when a source holds nothing', async () => {
    const error = await rejection(loadDataset(cifar([1], 10), recordingSource({})));
    expect(error.problem).toBe('not-found');
    expect(error.message).toContain(CIFAR_NOT_FOUND_MESSAGE);
    const noSource = await rejection(loadDataset(cifar([1], 10)));
    expect(noSource.message).toContain(CIFAR_NOT_FOUND_MESSAGE);
  });

  it('names a dropped file that is not CIFAR-10', async () => {
    const error = await rejection(loadDataset(cifar([1], 10), recordingSource({ 'cat.png': new Uint8Array(10) })));
    expect(error.problem).toBe('unknown-name');
    expect(error.message).toMatch(/^cat\.png: not a CIFAR-10 file/);
  });

  it('passes on a damaged batch file as a DataFileError naming it', async () => {
    const source = recordingSource({ 'data_batch_1.bin': batchFile(0).subarray(0, 3073 * 2 + 10) });
    const error = await rejection(loadDataset(cifar([1], 10), source));
    expect(error.problem).toBe('truncated');
    expect(error.fileName).toBe('data_batch_1.bin');
  });
});

describe('nodeCifarSource', () => {
  it('lists and reads batch files and the archive next to the batch directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cifar-node-'));
    const batchDir = join(root, 'cifar-10-batches-bin');
    mkdirSync(batchDir);
    writeFileSync(join(batchDir, 'test_batch.bin'), batchFile(5));
    writeFileSync(join(batchDir, 'batches.meta.txt'), META_TXT);
    writeFileSync(join(root, 'cifar-10-binary.tar.gz'), new Uint8Array([1, 2, 3]));
    const source = nodeCifarSource(batchDir);
    expect(await source.list()).toEqual(['test_batch.bin', 'cifar-10-binary.tar.gz']);
    expect(Array.from(await source.read('cifar-10-binary.tar.gz'))).toEqual([1, 2, 3]);
    const { set } = await loadDataset(cifar([2], 2), source);
    expect(Array.from(images(set).labels)).toEqual([2, 2]);
    await expect(source.read('../secret.bin')).rejects.toThrow(DataFileError);
  });

  it('lists nothing for a missing directory', async () => {
    const source = nodeCifarSource(join(tmpdir(), 'no-such-cifar-dir', 'cifar-10-batches-bin'));
    expect(await source.list()).toEqual([]);
    const error = await rejection(loadDataset(cifar([1], 10), source));
    expect(error.message).toContain(CIFAR_NOT_FOUND_MESSAGE);
  });
});

describe('fetchCifarSource against a local HTTP server', () => {
  // Mimics Vite's single-page-app fallback: a missing file is answered with index.html and 200,
  // unless the request asks for something other than HTML.
  let server: Server;
  let origin = '';
  const served: Record<string, Uint8Array> = {
    '/data/cifar-10-batches-bin/data_batch_1.bin': batchFile(1),
    '/data/cifar-10-batches-bin/test_batch.bin': batchFile(2),
  };
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const body = served[req.url ?? ''];
      if (body) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      const accept = req.headers.accept ?? '';
      if (accept === '' || accept.includes('text/html') || accept.includes('*/*')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>app</title>');
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lists only the files that exist and loads a subset over HTTP', async () => {
    const source = fetchCifarSource(`${origin}/data/cifar-10-batches-bin/`);
    expect(await source.list()).toEqual(['data_batch_1.bin', 'test_batch.bin']);
    requests.length = 0;
    const { set } = await loadDataset(cifar([4], 3), source);
    expect(Array.from(images(set).labels)).toEqual([4, 4, 4]);
    expect(requests.filter((r) => r.startsWith('GET'))).toEqual([
      'GET /data/cifar-10-batches-bin/data_batch_1.bin',
      'GET /data/cifar-10-batches-bin/test_batch.bin',
    ]);
  });

  it('looks for the archive next to the batch directory', async () => {
    requests.length = 0;
    await fetchCifarSource(`${origin}/data/cifar-10-batches-bin`).list();
    expect(requests).toContain('HEAD /data/cifar-10-binary.tar.gz');
  });

  it('says CIFAR-10 is not found when every file is missing', async () => {
    const source = fetchCifarSource(`${origin}/elsewhere/cifar-10-batches-bin`);
    expect(await source.list()).toEqual([]);
    const error = await rejection(loadDataset(cifar([1], 10), source));
    expect(error.problem).toBe('not-found');
    expect(error.message).toContain('CIFAR-10 not found; run npm run data:cifar10 or drop the files into the page');
  });

  it('treats an HTML answer as a missing file, not as data', async () => {
    const html = fetchCifarSource(`${origin}/elsewhere`, {
      fetchImpl: (input) => fetch(input, { headers: { accept: 'text/html' } }),
    });
    const error = await rejection(html.read('data_batch_1.bin'));
    expect(error.problem).toBe('not-found');
    expect(error.message).toContain('HTML page');
  });

  it('reports an unreachable server as unreadable', async () => {
    const source = fetchCifarSource('http://127.0.0.1:9/data/cifar-10-batches-bin');
    const error = await rejection(source.list());
    expect(error.problem).toBe('unreadable');
  });
});

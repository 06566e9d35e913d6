// The run file (.sgrun, src/core/runs/run-file.ts): a real checkpoint of a tiny trainer goes through
// it bit for bit (every typed array, the NaN gradient norms of the series), the restored trainer
// goes on exactly as the original, and whatever is not a whole run file of this version is refused
// with a message a person can act on, never a crash.
import * as tf from '@tensorflow/tfjs';
import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig, encodeConfig } from '../../../../src/core/config/url-codec';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import type { ImageSet } from '../../../../src/core/data/types';
import { SeededRandom } from '../../../../src/core/data/seeded-random';
import {
  decodeRunFile,
  encodeRunFile,
  RUN_FILE_FORMAT,
  RUN_FILE_VERSION,
  type RunFileInput,
} from '../../../../src/core/runs/run-file';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';
import type { MetricsPoint } from '../../../../src/core/train/types';

// Persistent state of several methods (SN's u, dynamic SR's history and basis, BSSN's two vectors).
const QUERY =
  'dataset=shapes&arch=cnn&ch=4&gch=4&zdim=8&batch=4&subset=64&every=1&norm=sn&srevery=1&schedule=1:sr-dynamic,2:bssn';

let data: ImageSet;
let trainer: GanTrainer;
let run: RunFileInput;

async function trainFor(t: GanTrainer, iterations: number): Promise<MetricsPoint[]> {
  const points: MetricsPoint[] = [];
  for (let i = 0; i < iterations; i++) {
    t.trainIteration(true);
    points.push(await t.readMetrics(0));
  }
  return points;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = makeShapesDataset({ seed: 1, count: 64, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  const { config, errors } = decodeConfig(QUERY);
  expect(errors).toEqual([]);
  trainer = GanTrainer.create(config, data);
  const fresh = await trainer.readMetrics(0); // before any D update: NaN gradient norms
  const history = [fresh, ...(await trainFor(trainer, 3))];
  const odd: MetricsPoint = { ...history[3], iteration: 3, dLoss: Infinity, gLoss: -0, seconds: 1e-300 };
  run = {
    exportedAt: new Date('2025-01-02T03:04:05.678Z'),
    checkpoint: await trainer.checkpoint(),
    history: [...history.slice(0, 3), odd],
    coverageHistory: [],
    spectra: [],
    alarms: [{ iteration: 2, layerIndex: 0, layer: 'D.conv0', value: 0.1, peak: 0.5, peakIteration: 1 }],
    proxies: [
      {
        iteration: 2,
        isProxy: 1.5,
        marginalEntropy: 2,
        meanConditionalEntropy: 0.5,
        fidProxy: NaN,
        kidMean: 0.01,
        kidStd: 0.002,
        classesCovered: 3,
        classCount: 10,
      },
    ],
  };
}, 120_000); // a few iterations of SR on the cpu backend, on a busy 2-core machine

afterAll(() => trainer.dispose());

/** Every typed array under `value`, with its path. */
function typedArraysOf(
  value: unknown,
  path = '$',
  found: [string, ArrayBufferView][] = [],
): [string, ArrayBufferView][] {
  if (ArrayBuffer.isView(value)) found.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => typedArraysOf(item, `${path}[${i}]`, found));
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) typedArraysOf(item, `${path}.${key}`, found);
  return found;
}

const bytesOf = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

/** The file's JSON, edited by `edit`, packed again (a run file as another program could write it). */
function repacked(file: Uint8Array, edit: (json: Record<string, unknown>) => unknown): Uint8Array {
  const json = JSON.parse(strFromU8(gunzipSync(file))) as Record<string, unknown>;
  return gzipSync(strToU8(JSON.stringify(edit(json))));
}

describe('run file round trip', () => {
  it('gives back the run bit for bit: every typed array, NaN, Infinity and -0', () => {
    const file = encodeRunFile(run);
    const back = decodeRunFile(file);
    expect(back.format).toBe(RUN_FILE_FORMAT);
    expect(back.version).toBe(RUN_FILE_VERSION);
    expect(back.exportedAt).toBe('2025-01-02T03:04:05.678Z');
    expect(back.query).toBe(encodeConfig(run.checkpoint.config));
    expect(back.query).toMatch(/(^|&)v=\d/);

    const original = typedArraysOf(run.checkpoint);
    const restored = typedArraysOf(back.checkpoint);
    expect(original.length).toBeGreaterThan(20); // weights, Adam moments, normalizer states
    expect(restored.map(([path]) => path)).toEqual(original.map(([path]) => path));
    // SR's nested SN state and BSSN's vectors are among them.
    expect(original.some(([path]) => path.includes('normalizers.sr-dynamic'))).toBe(true);
    expect(original.some(([path]) => path.includes('normalizers.bssn'))).toBe(true);
    original.forEach(([path, view], i) => {
      const [, copy] = restored[i];
      expect(copy.constructor, path).toBe(view.constructor);
      expect(bytesOf(copy).equals(bytesOf(view)), path).toBe(true);
    });
    expect(back.checkpoint).toEqual(run.checkpoint);

    expect(back.history).toEqual(run.history);
    expect(back.history[0].gradNorms.every(Number.isNaN)).toBe(true);
    expect(back.history[3].dLoss).toBe(Infinity);
    expect(Object.is(back.history[3].gLoss, -0)).toBe(true);
    expect(back.alarms).toEqual(run.alarms);
    expect(back.proxies).toEqual(run.proxies);
  });

  it('restores a trainer that goes on exactly as the original', async () => {
    const back = decodeRunFile(encodeRunFile(run));
    const restored = await GanTrainer.restore(data, back.checkpoint);
    try {
      const twin = await GanTrainer.restore(data, run.checkpoint);
      try {
        expect(restored.iteration).toBe(run.checkpoint.iteration);
        expect(await trainFor(restored, 1)).toEqual(await trainFor(twin, 1));
      } finally {
        twin.dispose();
      }
    } finally {
      restored.dispose();
    }
  });
});

describe('run file refusals', () => {
  /** The message decodeRunFile refuses `bytes` with (a test failure if it accepts them or throws a non-Error). */
  function refusal(bytes: Uint8Array): string {
    try {
      decodeRunFile(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      return (error as Error).message;
    }
    throw new Error(`${bytes.byteLength} bytes were accepted`);
  }

  it('refuses a file cut off anywhere', () => {
    const file = encodeRunFile(run);
    const lengths = new Set([
      0,
      1,
      2,
      3,
      9,
      10,
      11,
      17,
      18,
      100,
      file.length - 9,
      file.length - 8,
      file.length - 4,
      file.length - 1,
    ]);
    for (let k = 1; k < 40; k++) lengths.add(Math.floor((file.length * k) / 40));
    for (const length of lengths) {
      const message = refusal(file.slice(0, length));
      expect(message, `cut at ${length}`).toMatch(length === 0 ? /empty/ : /incomplete or damaged|not a run file/);
    }
  });

  it('refuses a damaged file (one byte changed) and random bytes', () => {
    const file = encodeRunFile(run);
    const damaged = file.slice();
    damaged[Math.floor(file.length / 2)] ^= 0x10;
    expect(refusal(damaged)).toMatch(/incomplete or damaged/);
    const random = new SeededRandom(7);
    for (const size of [1, 20, 5000]) {
      const bytes = Uint8Array.from({ length: size }, () => random.nextUint32() & 255);
      expect(refusal(bytes)).toMatch(/not a run file/);
      if (size < 2) continue;
      bytes[0] = 0x1f;
      bytes[1] = 0x8b; // looks like gzip, is not
      expect(refusal(bytes)).toMatch(/incomplete or damaged/);
    }
  });

  it('names another format, packed or not', () => {
    const metrics = { format: 'spectral-gan-metrics', version: 1, history: [] };
    expect(refusal(gzipSync(strToU8(JSON.stringify(metrics))))).toMatch(
      /"format" is "spectral-gan-metrics", expected "spectral-gan-run"/,
    );
    expect(refusal(strToU8(JSON.stringify(metrics)))).toMatch(
      /JSON file \(format "spectral-gan-metrics"\).*Export run/,
    );
    expect(refusal(gzipSync(strToU8('[1, 2]')))).toMatch(/"format" is missing/);
    expect(refusal(gzipSync(strToU8('{"format": ')))).toMatch(/unpacks, but not to a run/);
  });

  it('says a file of a newer version was made by a newer playground', () => {
    const newer = repacked(encodeRunFile(run), (json) => ({ ...json, version: RUN_FILE_VERSION + 1 }));
    expect(refusal(newer)).toMatch(
      /made by a newer version of the playground \(run file version 2; this page reads version 1\): reload/,
    );
    expect(refusal(repacked(encodeRunFile(run), (json) => ({ ...json, version: 'one' })))).toMatch(/version "one"/);
  });

  it('refuses a malformed checkpoint, bad settings or bad series with what is wrong', () => {
    const file = encodeRunFile(run);
    const withCheckpoint = (edit: (checkpoint: Record<string, unknown>) => unknown) =>
      repacked(file, (json) => ({ ...json, checkpoint: edit(json.checkpoint as Record<string, unknown>) }));
    expect(refusal(withCheckpoint(() => null))).toMatch(/checkpoint cannot be used: not a training checkpoint/);
    expect(refusal(withCheckpoint((c) => ({ ...c, iteration: -1 })))).toMatch(/checkpoint cannot be used: .*iteration/);
    expect(refusal(withCheckpoint((c) => ({ ...c, version: 7 })))).toMatch(/checkpoint version 7 is not supported/);
    expect(refusal(withCheckpoint((c) => ({ ...c, config: { ...(c.config as object), lr: 'fast' } })))).toMatch(
      /settings are not valid here: lr=/,
    );
    expect(refusal(repacked(file, (json) => ({ ...json, history: { points: 1 } })))).toMatch(/"history" is not a list/);
    expect(
      refusal(repacked(file, (json) => ({ ...json, history: [...(json.history as unknown[]), { iteration: 9 }] }))),
    ).toMatch(/entry 4 of its "history" is malformed/);
    expect(refusal(withCheckpoint((c) => ({ ...c, generator: [{ $typed: 'BigInt64Array', base64: '' }] })))).toMatch(
      /unknown array type "BigInt64Array"/,
    );
    expect(refusal(withCheckpoint((c) => ({ ...c, generator: [{ $typed: 'Float32Array', base64: 'AAA' }] })))).toMatch(
      /Float32Array of 2 bytes/,
    );
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig } from '../../../../src/core/config/schema';
import { makeToyDataset } from '../../../../src/core/data/toy-dataset';
import {
  calibrateBackends,
  calibrationKey,
  describeCalibration,
  timeTrainer,
  unavailableNotice,
  type BackendTiming,
} from '../../../../src/core/train/backend-calibration';
import type { BackendName } from '../../../../src/core/train/select-backend';
import { chooseAutoBackend } from '../../../../src/worker/auto-backend';

const TOY: GanConfig = {
  ...defaultConfig(),
  dataset: 'ring8',
  arch: 'mlp',
  ch: 4,
  gch: 4,
  zdim: 4,
  batch: 8,
  norm: 'sn',
};
const data = makeToyDataset('ring8', 64);

/** A fake timing per backend (ms per iteration), or 'missing' / an Error. */
function fakeMachine(figures: Record<BackendName, number | 'missing' | Error>) {
  let active: BackendName | null = null;
  const activated: BackendName[] = [];
  return {
    activated,
    active: () => active,
    activate: async (name: BackendName) => {
      activated.push(name);
      if (figures[name] === 'missing') return false;
      active = name;
      return true;
    },
    time: async (): Promise<Omit<BackendTiming, 'backend'>> => {
      const figure = figures[active!];
      if (figure instanceof Error) throw figure;
      return { firstMs: 10 * (figure as number), msPerIteration: figure as number, iterations: 3 };
    },
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('calibrateBackends', () => {
  it('leaves the fastest candidate active and reports every figure', async () => {
    const machine = fakeMachine({ webgpu: 900, webgl: 120, cpu: 38 });
    const result = await calibrateBackends(['webgpu', 'webgl', 'cpu'], machine.activate, machine.time);
    expect(result.backend).toBe('cpu');
    expect(machine.active()).toBe('cpu');
    expect(result.timings.map((t) => t.msPerIteration)).toEqual([900, 120, 38]);
    expect(describeCalibration(result)).toBe(
      'backend=auto picked cpu for this model (timed just now): webgpu 900 ms/iteration, ' +
        'webgl 120 ms/iteration, cpu 38 ms/iteration',
    );
    expect(unavailableNotice(result)).toBeNull();
  });

  it('re-activates the winner when a slower candidate was timed last', async () => {
    const machine = fakeMachine({ webgpu: 5, webgl: 'missing', cpu: 40 });
    const result = await calibrateBackends(['webgpu', 'webgl', 'cpu'], machine.activate, machine.time);
    expect(result.backend).toBe('webgpu');
    expect(machine.activated).toEqual(['webgpu', 'webgl', 'cpu', 'webgpu']);
    expect(machine.active()).toBe('webgpu');
    expect(unavailableNotice(result)).toBe('WebGL is not available in this browser; backend=auto timed the others');
  });

  it('gives a tie to the earlier candidate, and reports a candidate that failed', async () => {
    const machine = fakeMachine({ webgpu: new Error('out of memory'), webgl: 50, cpu: 50 });
    const result = await calibrateBackends(['webgpu', 'webgl', 'cpu'], machine.activate, machine.time);
    expect(result.backend).toBe('webgl');
    expect(result.timings[0]).toMatchObject({ backend: 'webgpu', msPerIteration: null, error: 'out of memory' });
    expect(describeCalibration(result)).toContain('webgpu: out of memory');
  });

  it('throws with every reason when no candidate can train', async () => {
    const machine = fakeMachine({ webgpu: 'missing', webgl: 'missing', cpu: new Error('boom') });
    await expect(calibrateBackends(['webgpu', 'webgl', 'cpu'], machine.activate, machine.time)).rejects.toThrow(
      'no backend could train this model (webgpu: not available here, webgl: not available here, cpu: boom)',
    );
  });
});

describe('timeTrainer', () => {
  it('times a fresh trainer within the budget and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const timing = await timeTrainer(TOY, data, { warmups: 2, iterations: 3, budgetMs: 60_000 });
    expect(timing.iterations).toBe(3);
    expect(timing.msPerIteration).toBeGreaterThan(0);
    expect(timing.firstMs).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    // A budget smaller than one iteration still times one.
    const clock = { t: 0 };
    const slow = await timeTrainer(TOY, data, { warmups: 1, iterations: 3, budgetMs: 1 }, () => (clock.t += 5));
    expect(slow.iterations).toBe(1);
    expect(slow.msPerIteration).toBe(5);
  });
});

describe('calibrationKey', () => {
  it('differs by model shape and device, not by settings that leave the cost alone', () => {
    const key = calibrationKey(TOY, data, 'device A');
    expect(calibrationKey({ ...TOY, lr: 0.01, seed: 9 }, data, 'device A')).toBe(key);
    expect(calibrationKey({ ...TOY, ch: 8 }, data, 'device A')).not.toBe(key);
    expect(calibrationKey(TOY, data, 'device B')).not.toBe(key);
  });
});

describe('chooseAutoBackend', () => {
  it('times the backends Node has (cpu only), then answers from the cache', async () => {
    const cache = new Map();
    const store = {
      get: async (k: string) => cache.get(k),
      set: async (k: string, v: unknown) => void cache.set(k, v),
    };
    const first = await chooseAutoBackend(TOY, data, null, store);
    expect(first.backend).toBe('cpu');
    expect(first.fromCache).toBe(false);
    expect(first.timings.map((t) => [t.backend, t.error ?? 'timed'])).toEqual([
      ['webgpu', 'not available here'],
      ['webgl', 'not available here'],
      ['cpu', 'timed'],
    ]);
    const second = await chooseAutoBackend(TOY, data, null, store);
    expect(second).toEqual({ ...first, fromCache: true });
    expect(describeCalibration(second)).toContain('(timed earlier on this device)');
  });
});

import { describe, expect, it } from 'vitest';
import { makeYield, yieldKind, yieldToEvents } from '../../../src/core/yield-to-events';

/**
 * Median ms per yield over `count` consecutive (nested) yields: the median, not the mean, so one pause
 * of the process (a GC, the other test files on a busy machine) does not decide the comparison.
 */
async function msPerYield(yieldOnce: () => Promise<void>, count: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await yieldOnce();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(count / 2)];
}

describe('yieldToEvents', () => {
  it('picks setImmediate in Node, postTask where a scheduler has it, MessageChannel in a worker without both', () => {
    expect(yieldKind()).toBe('setImmediate');
    const postTask = () => undefined;
    expect(yieldKind({ scheduler: { postTask } } as unknown as typeof globalThis)).toBe('postTask');
    expect(yieldKind({ MessageChannel } as unknown as typeof globalThis)).toBe('messageChannel');
    expect(yieldKind({} as unknown as typeof globalThis)).toBe('setTimeout');
  });

  it('the unclamped yields cost far less than a nested setTimeout(0)', async () => {
    const timeout = await msPerYield(makeYield('setTimeout'), 50);
    const channel = await msPerYield(makeYield('messageChannel'), 200);
    const immediate = await msPerYield(yieldToEvents, 200);
    // Node clamps setTimeout(0) to 1 ms (browsers to 4 ms once nested); the others are tasks.
    expect(timeout).toBeGreaterThan(0.9);
    expect(channel).toBeLessThan(timeout / 4);
    expect(immediate).toBeLessThan(timeout / 4);
  });
});

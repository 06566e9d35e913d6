// The task lock (src/core/task-lock.ts): tasks run one at a time in call order, each caller gets its
// own task's result or error, and a failed task does not block the ones queued after it.
import { describe, expect, it } from 'vitest';
import { createTaskLock } from '../../../src/core/task-lock';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('createTaskLock', () => {
  it('runs tasks one at a time, in call order', async () => {
    const withLock = createTaskLock();
    const events: string[] = [];
    const task = (name: string, waits: number) => async () => {
      events.push(`start ${name}`);
      for (let i = 0; i < waits; i++) await tick();
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([withLock(task('a', 3)), withLock(task('b', 0)), withLock(task('c', 1))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('does not start a task before the call returns a promise', async () => {
    const withLock = createTaskLock();
    let started = false;
    const pending = withLock(async () => {
      started = true;
    });
    expect(started).toBe(false);
    await pending;
    expect(started).toBe(true);
  });

  it('rejects only the failing task, and later tasks still run', async () => {
    const withLock = createTaskLock();
    const failing = withLock(async () => {
      throw new Error('boom');
    });
    const after = withLock(async () => 42);
    await expect(failing).rejects.toThrow('boom');
    await expect(after).resolves.toBe(42);
  });

  it('keeps separate locks independent', async () => {
    const first = createTaskLock();
    const second = createTaskLock();
    const events: string[] = [];
    let release!: () => void;
    const blocked = first(() => new Promise<void>((resolve) => (release = resolve)));
    await second(async () => {
      events.push('second ran');
    });
    expect(events).toEqual(['second ran']);
    release();
    await blocked;
  });
});

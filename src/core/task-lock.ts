// A serializer for async work that must not interleave (a worker's messages each touch shared state).

/** Runs a task after every task queued before it; its promise settles as the task's does. */
export type TaskLock = <T>(task: () => Promise<T>) => Promise<T>;

/** A new lock: tasks run one at a time in call order, and a failure does not block later tasks. */
export function createTaskLock(): TaskLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  };
}

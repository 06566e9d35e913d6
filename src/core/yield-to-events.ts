// Yielding to the event loop between training iterations, so pause, step and setup messages land.
// setTimeout(0) is clamped to 4 ms once timers nest (HTML spec: after 5 levels), which a loop that
// yields after every iteration hits at once: 4 ms per iteration is 10-15% of a 2-D toy iteration on
// the cpu backend. A MessageChannel message is a task with no clamp; scheduler.postTask, where the
// browser has it, is the same without a channel to keep.

interface PostTaskScheduler {
  postTask(callback: () => void, options?: { priority?: 'user-blocking' | 'user-visible' | 'background' }): unknown;
}

export type YieldKind = 'postTask' | 'setImmediate' | 'messageChannel' | 'setTimeout';

/** What `yieldToEvents` uses here: the first of postTask, setImmediate, MessageChannel and setTimeout. */
export function yieldKind(scope: typeof globalThis = globalThis): YieldKind {
  const scheduler = (scope as { scheduler?: Partial<PostTaskScheduler> }).scheduler;
  if (typeof scheduler?.postTask === 'function') return 'postTask';
  if (typeof scope.setImmediate === 'function') return 'setImmediate';
  if (typeof scope.MessageChannel === 'function') return 'messageChannel';
  return 'setTimeout';
}

/** A yield function of the given kind (tests and the benchmark compare them side by side). */
export function makeYield(kind: YieldKind, scope: typeof globalThis = globalThis): () => Promise<void> {
  switch (kind) {
    case 'postTask': {
      const scheduler = (scope as unknown as { scheduler: PostTaskScheduler }).scheduler;
      return () => new Promise<void>((resolve) => void scheduler.postTask(resolve, { priority: 'user-visible' }));
    }
    case 'setImmediate':
      return () => new Promise<void>((resolve) => scope.setImmediate(resolve));
    case 'messageChannel': {
      // One channel for the loop's life; each message resolves the oldest waiting yield.
      const channel = new scope.MessageChannel();
      const waiting: (() => void)[] = [];
      channel.port1.onmessage = () => waiting.shift()?.();
      return () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          channel.port2.postMessage(null);
        });
    }
    case 'setTimeout':
      return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

let chosen: (() => Promise<void>) | null = null;

/** Lets queued events (messages, timers) run, then resumes, without the nested-timer clamp. */
export function yieldToEvents(): Promise<void> {
  chosen ??= makeYield(yieldKind()); // made on first use: a channel is opened only when needed
  return chosen();
}

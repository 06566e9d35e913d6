// The queue's shared parts: what a job carries and returns, where a sweep's plan is kept, and the
// connection to Redis (with a timeout, so a wrong URL is one clear message, not a hang).
import { Queue } from 'bullmq';
import type { SweepPlan, SweepRun } from './sweep-grid';
import type { RunStatus } from './sweep-summary';

export const DEFAULT_QUEUE = 'spectral-gan';
export const DEFAULT_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONNECT_TIMEOUT_MS = 10_000;

/** What a job carries. */
export interface RunJobData {
  sweepId: string;
  run: SweepRun;
  iterations: number;
}

/** What a completed job returns (stored by BullMQ in Redis as the job's return value). */
export interface RunJobResult {
  worker: string;
  host: string;
  status: Extract<RunStatus, 'ok' | 'stopped'>;
  detail: string;
  wallSeconds: number;
  /** The run's headless JSON. */
  result: Record<string, unknown>;
}

/** The plan of a sweep, stored beside its jobs. */
export interface SweepMeta {
  id: string;
  created: string;
  plan: SweepPlan;
}

export interface JobProgress {
  worker?: string;
  iteration?: number;
}

export function jobIdOf(sweepId: string, run: SweepRun): string {
  return `${sweepId}-${run.index}`;
}

export function metaKey(queue: Queue, sweepId: string): string {
  return `${queue.qualifiedName}:sweep:${sweepId}`;
}

/** The URL without its password, for summaries and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

export async function openQueue(name: string, url: string): Promise<Queue> {
  const queue = new Queue(name, { connection: { url } });
  queue.on('error', () => {}); // reported below through the timeout
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cannot reach Redis at ${redactedUrl(url)} within ${CONNECT_TIMEOUT_MS / 1000} s`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([queue.waitUntilReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return queue;
}

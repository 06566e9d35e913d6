// One headless run as a child process (`src/cli/headless.ts` under tsx's loader, in a process of its
// own so runs are isolated: own tfjs backend, own GPU device, a crash takes down only that run).
// Shared by `npm run sweep`, the queue worker and the experiment runner. The child reports its
// progress as structured messages over an IPC channel (sendProgress); its stderr is for people.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errorText } from '../core/error-text';

const HEADLESS_SCRIPT = fileURLToPath(new URL('./headless.ts', import.meta.url));
/** tsx's loader (its package's main export), so `node --import <loader> headless.ts` is one process. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const TAIL_CHARS = 4000;

export interface HeadlessChildOptions {
  query: string;
  iterations: number;
  /** Where the headless CLI writes its JSON (removed first if it exists). */
  out: string;
  /** CIFAR-10 folder (`--data`); the headless CLI's default when absent. */
  data?: string;
  /** The headless CLI's `--proxy-file` (a trained proxy net shared by the runs), when given. */
  proxyFile?: string;
  /** Aborting kills the child (SIGTERM). */
  signal?: AbortSignal;
  /** Each line the child writes to stderr (for people: progress is in onProgress). */
  onStderrLine?: (line: string) => void;
  /** Each progress report of the child (at its read-backs). */
  onProgress?: (progress: HeadlessProgress) => void;
}

/** What a headless child sends its parent at each read-back. */
export interface HeadlessProgress {
  type: 'headless-progress';
  /** G iterations done. */
  iteration: number;
  /** The run's length (--iterations). */
  iterations: number;
}

function isHeadlessProgress(message: unknown): message is HeadlessProgress {
  const m = message as Partial<HeadlessProgress> | null;
  return typeof m === 'object' && m !== null && m.type === 'headless-progress' && typeof m.iteration === 'number';
}

/** In the child: tells runHeadlessChild's caller how far the run is; a no-op without an IPC channel (a run by hand). */
export function sendProgress(iteration: number, iterations: number): void {
  if (!process.send || !process.connected) return;
  const progress: HeadlessProgress = { type: 'headless-progress', iteration, iterations };
  process.send(progress, undefined, undefined, () => {}); // best effort: a closed channel is not an error
}

export interface HeadlessChildOutcome {
  exitCode: number | null;
  /** The signal that ended the child, if one did. */
  exitSignal: string | null;
  wallSeconds: number;
  /** The last few thousand characters of the child's stderr. */
  stderrTail: string;
  /** The parsed JSON the child wrote, or null when it wrote none (or none readable). */
  result: Record<string, unknown> | null;
  /** Why the JSON could not be read, when the child wrote a file that does not parse. */
  readError: string | null;
}

export function runHeadlessChild(options: HeadlessChildOptions): Promise<HeadlessChildOutcome> {
  rmSync(options.out, { force: true });
  const args = [
    '--import',
    TSX_LOADER,
    HEADLESS_SCRIPT,
    '--config',
    options.query,
    '--iterations',
    String(options.iterations),
    '--out',
    options.out,
  ];
  if (options.data) args.push('--data', options.data);
  if (options.proxyFile) args.push('--proxy-file', options.proxyFile);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.on('message', (message) => {
      if (isHeadlessProgress(message)) options.onProgress?.(message);
    });
    let tail = '';
    let partial = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-TAIL_CHARS);
      if (!options.onStderrLine) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine(line);
    });
    const abort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', abort, { once: true });
    let finished = false;
    const finish = (exitCode: number | null, exitSignal: string | null, spawnError?: Error) => {
      if (finished) return;
      finished = true;
      options.signal?.removeEventListener('abort', abort);
      let result: Record<string, unknown> | null = null;
      let readError: string | null = null;
      if (existsSync(options.out)) {
        try {
          const parsed: unknown = JSON.parse(readFileSync(options.out, 'utf8'));
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
            result = parsed as Record<string, unknown>;
          else readError = 'the run file is not a JSON object';
        } catch (error) {
          readError = `the run file does not parse: ${errorText(error)}`;
        }
      }
      resolve({
        exitCode,
        exitSignal,
        wallSeconds: (performance.now() - started) / 1000,
        stderrTail: spawnError ? `${tail}\n${spawnError.message}` : tail,
        result,
        readError,
      });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** The headless CLI's progress lines: left out of a failure's tail (they say nothing about why). */
const PROGRESS_LINE = /^(training \S+ on \S+ for \d+ iterations|it \d+(\/\d+)? .*)$/;

/** The last `lines` non-empty lines of a stderr tail, progress lines left out, joined by " / " (for one table cell). */
export function lastLines(text: string, lines = 3, maxChars = 400): string {
  const kept = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !PROGRESS_LINE.test(line))
    .slice(-lines)
    .join(' / ');
  return kept.length > maxChars ? `…${kept.slice(-maxChars)}` : kept;
}

// Runs one part of `npm run bench` as its own process (a browser part ends with process.exit, and
// a crash or a hung GPU must not take the suite down), and reads the rows it wrote with --json.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartResult, SummaryRow } from './bench-summary';
import type { SuitePart } from './suite-parts';

/** Lines of the part's stderr kept to explain a failure. */
const KEPT_STDERR_LINES = 20;

interface Finished {
  code: number | null;
  timedOut: boolean;
  stderrTail: string[];
}

function runProcess(part: SuitePart, extraArgs: string[], jsonFile: string): Promise<Finished> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout also ends the Chromium a browser part started.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', part.script, ...part.args, ...extraArgs, '--json', jsonFile],
      {
        stdio: ['ignore', 'inherit', 'pipe'],
        detached: true,
      },
    );
    const stderrTail: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line.trim()),
      );
      stderrTail.splice(0, Math.max(0, stderrTail.length - KEPT_STDERR_LINES));
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, part.timeoutMinutes * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, stderrTail });
    });
  });
}

/** Why a part gave no figures, from what it left behind: the last error line it printed. */
export function failureReason(finished: Finished, timeoutMinutes: number): string {
  if (finished.timedOut) return `stopped after ${timeoutMinutes} min`;
  const errorLine = [...finished.stderrTail].reverse().find((line) => /error|fail|no webgpu|not available/i.test(line));
  const last = errorLine ?? finished.stderrTail[finished.stderrTail.length - 1] ?? '(no message)';
  return `exit ${finished.code}: ${last.trim()}`;
}

export async function runPart(part: SuitePart, extraArgs: string[] = []): Promise<PartResult> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${part.name}-`));
  const jsonFile = join(dir, 'rows.json');
  const started = performance.now();
  try {
    const finished = await runProcess(part, extraArgs, jsonFile);
    const seconds = (performance.now() - started) / 1000;
    if (finished.code === 0 && existsSync(jsonFile)) {
      const { rows } = JSON.parse(readFileSync(jsonFile, 'utf8')) as { rows: SummaryRow[] };
      return { part: part.name, ok: true, seconds, rows };
    }
    const reason =
      finished.code === 0 ? 'finished without writing its figures' : failureReason(finished, part.timeoutMinutes);
    return { part: part.name, ok: false, seconds, reason };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

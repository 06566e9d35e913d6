// Runs the project's Node CLIs as child processes the way `npm run` does (tsx), without npx:
// `node --import tsx <script> ...`, one process, so signals reach the CLI itself.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(
  script: string,
  args: string[],
): ChildProcessWithoutNullStreams & { output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return Object.assign(child, { output: () => ({ stdout, stderr }) });
}

/** Resolves when the child exits (or rejects after timeoutMs, killing it). */
export function exitOf(child: ReturnType<typeof startCli>, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, ...child.output() });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${child.spawnargs.slice(3, 5).join(' ')} did not exit within ${timeoutMs} ms\n${child.output().stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...child.output() });
    });
  });
}

export function runCli(script: string, args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return exitOf(startCli(script, args), timeoutMs);
}

/** Resolves once the child's stdout holds `text` (rejects on exit or timeout). */
export function waitForOutput(child: ReturnType<typeof startCli>, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (child.output().stdout.includes(text)) {
        cleanup();
        resolve();
      }
    };
    const onClose = () => {
      cleanup();
      reject(new Error(`exited before printing "${text}"\n${child.output().stderr}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no "${text}" within ${timeoutMs} ms\n${child.output().stderr}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('close', onClose);
    };
    child.stdout.on('data', check);
    child.once('close', onClose);
    check();
  });
}

// `npm run data:cifar10`: downloads the official CIFAR-10 binary archive, checks its MD5, and
// unpacks it into public/data/cifar-10-batches-bin/ (the tarball stays in public/data/ too, so the
// page can also read it). Options: --timeout-ms N, --url URL, --dest DIR, --md5 HEX, --help.
// Also imported by scripts/start.ts, which calls downloadCifar10() directly.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CIFAR10_ARCHIVE_NAME,
  extractArchiveFiles,
  isCifarBatchName,
  noBatchesError,
  parseCifarBatch,
} from '../src/core/data/cifar10-reader';

export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
export const BATCH_DIR_NAME = 'cifar-10-batches-bin';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DEST = join(REPO_ROOT, 'public', 'data');
const DEFAULT_TIMEOUT_MS = 30_000;

export interface DownloadOptions {
  url: string;
  /** Directory for the tarball; batch files go to DEST/cifar-10-batches-bin/. */
  destDir: string;
  md5: string;
  /** Give up when no connection, or no new bytes, arrive for this long. */
  timeoutMs: number;
  /** Where progress and status lines go (stdout by default). */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface DownloadResult {
  archivePath: string;
  batchDir: string;
  /** Names of the files written into batchDir. */
  files: string[];
  downloaded: boolean;
}

/** A failure the CLI reports as one clear message and a non-zero exit. */
export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

const MB = 1024 * 1024;

async function md5OfFile(path: string): Promise<string> {
  return createHash('md5')
    .update(await readFile(path))
    .digest('hex');
}

/** One progress line, rewritten in place on a terminal and printed every 10% elsewhere. */
function progressReporter(out: NodeJS.WritableStream & { isTTY?: boolean }, name: string, total: number | null) {
  let lastDraw = 0;
  let lastTenth = -1;
  const text = (received: number): string => {
    const mb = (received / MB).toFixed(1);
    return total
      ? `Downloading ${name}: ${((100 * received) / total).toFixed(1).padStart(5)}% (${mb} / ` +
          `${(total / MB).toFixed(1)} MB)`
      : `Downloading ${name}: ${mb} MB`;
  };
  return {
    update(received: number): void {
      if (out.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        out.write(`\r${text(received)}\x1b[K`);
        return;
      }
      const tenth = total ? Math.floor((10 * received) / total) : Math.floor(received / (16 * MB));
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        out.write(`${text(received)}\n`);
      }
    },
    finish(received: number): void {
      out.write(out.isTTY ? `\r${text(received)}\x1b[K\n` : `${text(received)} done\n`);
    },
  };
}

/** The network error's code (ENOTFOUND, ECONNREFUSED, ...) which undici hides in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Streams `url` to `path`, hashing as it goes; aborts when nothing arrives for `timeoutMs`. */
async function fetchToFile(options: DownloadOptions, path: string): Promise<string> {
  const out = options.out ?? process.stdout;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const stillAlive = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), options.timeoutMs);
  };
  const timeoutMessage = (): string =>
    `no connection or no progress from ${options.url} for ${options.timeoutMs} ms; giving up (offline?)`;

  let response: Response;
  try {
    response = await fetch(options.url, { signal: controller.signal });
  } catch (error) {
    clearTimeout(timer);
    if (controller.signal.aborted) throw new DownloadError(timeoutMessage());
    throw new DownloadError(`could not reach ${options.url} (${networkReason(error)}); are you offline?`);
  }
  if (!response.ok || !response.body) {
    clearTimeout(timer);
    await response.body?.cancel();
    throw new DownloadError(`${options.url} answered HTTP ${response.status} ${response.statusText}`.trim());
  }
  stillAlive();

  // Created only once the server answers, so an offline attempt leaves nothing behind.
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, 'w');
  try {
    const lengthHeader = Number(response.headers.get('content-length'));
    const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : null;
    const progress = progressReporter(out, basename(path).replace(/\.part$/, ''), total);
    const hash = createHash('md5');
    const reader = response.body.getReader();
    let received = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (controller.signal.aborted) throw new DownloadError(timeoutMessage());
        throw new DownloadError(
          `download from ${options.url} broke off after ${received} bytes (${networkReason(error)})`,
        );
      }
      if (chunk.done) break;
      stillAlive();
      hash.update(chunk.value);
      await file.write(chunk.value);
      received += chunk.value.byteLength;
      progress.update(received);
    }
    progress.finish(received);
    if (total !== null && received !== total) {
      throw new DownloadError(`download from ${options.url} ended after ${received} of ${total} bytes`);
    }
    return hash.digest('hex');
  } finally {
    clearTimeout(timer);
    await file.close();
  }
}

/** Writes every file of the archive's batch directory into `batchDir`, validating batch files first. */
async function unpack(archivePath: string, batchDir: string): Promise<string[]> {
  const files = extractArchiveFiles(await readFile(archivePath), basename(archivePath));
  const batchFiles = files.filter((f) => isCifarBatchName(f.name));
  if (batchFiles.length === 0)
    throw noBatchesError(
      basename(archivePath),
      files.map((f) => f.name),
    );
  for (const f of batchFiles) parseCifarBatch(f.data, `${basename(archivePath)}:${f.name}`);

  await mkdir(batchDir, { recursive: true });
  const written: string[] = [];
  for (const f of files) {
    // Base names only, so an entry like "../x" can never land outside batchDir.
    const name = basename(f.name);
    if (name === '' || name === '.' || name === '..') continue;
    await writeFile(join(batchDir, name), f.data);
    written.push(name);
  }
  return written.sort();
}

export async function downloadCifar10(options: DownloadOptions): Promise<DownloadResult> {
  const out = options.out ?? process.stdout;
  const expectedMd5 = options.md5.toLowerCase();
  const archivePath = join(options.destDir, CIFAR10_ARCHIVE_NAME);
  const batchDir = join(options.destDir, BATCH_DIR_NAME);

  let downloaded = false;
  const existingMd5 = existsSync(archivePath) ? await md5OfFile(archivePath) : null;
  if (existingMd5 === expectedMd5) {
    out.write(`${archivePath} is already here (MD5 ok); unpacking it again.\n`);
  } else {
    if (existingMd5 !== null) {
      out.write(`${archivePath} has the wrong MD5 (${existingMd5}); deleting it and downloading again.\n`);
      await rm(archivePath, { force: true });
    }
    const partPath = `${archivePath}.part`;
    try {
      const actualMd5 = await fetchToFile(options, partPath);
      if (actualMd5 !== expectedMd5) {
        throw new DownloadError(
          `MD5 mismatch for ${CIFAR10_ARCHIVE_NAME} from ${options.url}: expected ${expectedMd5}, got ${actualMd5}; ` +
            'the file was deleted. Try again, or check --url.',
        );
      }
      await rename(partPath, archivePath);
      downloaded = true;
    } finally {
      // A partial or rejected download must never be mistaken for the real file later.
      await rm(partPath, { force: true });
    }
  }

  const files = await unpack(archivePath, batchDir);
  out.write(`Unpacked ${files.length} files into ${batchDir}\n`);
  return { archivePath, batchDir, files, downloaded };
}

const USAGE = `Usage: npm run data:cifar10 -- [--timeout-ms N] [--url URL] [--dest DIR] [--md5 HEX]
  --timeout-ms N  give up when no connection or no progress for N ms (default ${DEFAULT_TIMEOUT_MS})
  --url URL       download from URL instead of ${CIFAR10_URL}
  --dest DIR      put the tarball in DIR and the batch files in DIR/${BATCH_DIR_NAME} (default public/data)
  --md5 HEX       expected MD5 of the tarball (default ${CIFAR10_MD5})
  --help, -h      print this and exit`;

const OPTIONS = {
  'timeout-ms': { type: 'string' },
  url: { type: 'string', default: CIFAR10_URL },
  dest: { type: 'string' },
  md5: { type: 'string', default: CIFAR10_MD5 },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** parseArgs's own errors, in this CLI's words (and with the usage where it helps). */
function argumentError(error: unknown): DownloadError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const named = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new DownloadError(`unknown option ${named}\n${USAGE}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /argument missing/.test(message))
    return new DownloadError(`${named} needs a value\n${USAGE}`);
  return new DownloadError(`${message}\n${USAGE}`);
}

function parseValues(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw argumentError(error);
  }
}

/** Parses CLI arguments (`--name value` or `--name=value`); throws DownloadError on bad input. */
export function parseCommandLine(argv: readonly string[]): { help: boolean; options: DownloadOptions } {
  const values = parseValues(argv);
  const options: DownloadOptions = {
    url: values.url,
    destDir: values.dest === undefined ? DEFAULT_DEST : resolve(values.dest),
    md5: values.md5,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  };
  if (values.help) return { help: true, options };
  if (values['timeout-ms'] !== undefined) {
    const ms = Number(values['timeout-ms']);
    if (!Number.isInteger(ms) || ms <= 0)
      throw new DownloadError(`--timeout-ms must be a positive integer, got ${values['timeout-ms']}`);
    options.timeoutMs = ms;
  }
  if (!/^[0-9a-fA-F]{32}$/.test(options.md5))
    throw new DownloadError(`--md5 must be 32 hex digits, got ${options.md5}`);
  return { help: false, options };
}

/** The download options of a command line (`--help` aside). */
export function parseDownloadArgs(argv: readonly string[]): DownloadOptions {
  return parseCommandLine(argv).options;
}

async function main(): Promise<void> {
  let parsed: { help: boolean; options: DownloadOptions };
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    await downloadCifar10(parsed.options);
  } catch (error) {
    process.stderr.write(
      `CIFAR-10 download failed: ${error instanceof Error ? error.message : String(error)}\n` +
        'The app still works without it, on its built-in shapes data set.\n',
    );
    process.exit(1);
  }
}

// Run only as a script, not when start.ts imports downloadCifar10().
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}

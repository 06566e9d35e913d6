// `npm start`: fetch CIFAR-10 once if it is missing (giving up quickly when offline), then start
// the Vite dev server. The app works without CIFAR-10 (built-in shapes), so a failed download
// is one line of notice, never a stop.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import { BATCH_DIR_NAME, CIFAR10_MD5, CIFAR10_URL, DEFAULT_DEST, downloadCifar10 } from './download-cifar10';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 10_000;

const USAGE = `usage: npm start [-- --help]
  downloads CIFAR-10 into public/data/ when it is missing (giving up within ${START_TIMEOUT_MS / 1000} s offline),
  then starts the Vite dev server; \`npm run dev\` starts it without the download
  --help, -h  print this and exit`;

async function ensureCifar10(): Promise<void> {
  if (existsSync(join(DEFAULT_DEST, BATCH_DIR_NAME, 'data_batch_1.bin'))) return;
  console.log('Downloading CIFAR-10 into public/data (about 163 MB); to skip it, Ctrl-C and `npm run dev` instead.');
  try {
    await downloadCifar10({ url: CIFAR10_URL, destDir: DEFAULT_DEST, md5: CIFAR10_MD5, timeoutMs: START_TIMEOUT_MS });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.log(`CIFAR-10 was not downloaded (${reason}); the app uses the built-in shapes data set.`);
  }
}

async function startVite(): Promise<void> {
  const server = await createServer({ root: REPO_ROOT });
  await server.listen();
  server.printUrls();
  const url = server.resolvedUrls?.local[0];
  if (url) console.log(`Spectral GAN Playground: open ${url}`);
}

// Not strict: other arguments were always ignored here, and still are.
const { values } = parseArgs({ strict: false, options: { help: { type: 'boolean', short: 'h', default: false } } });
if (values.help) {
  console.log(USAGE);
} else {
  await ensureCifar10();
  await startVite();
}

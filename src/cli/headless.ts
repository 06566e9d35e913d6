// `npm run headless -- --config '<query string>' --iterations N --out FILE.json [--data DIR] [--proxy-file PATH]`
// Trains with the same core as the page (WebGPU through Dawn when a GPU or software Vulkan driver is
// there, else the CPU) and writes the config and the metrics history as JSON. On image data, with
// `proxyevery` K > 0 and at least K iterations, it also gets a proxy net (read from --proxy-file when
// that holds this run's proxy, else trained, and saved there when the file does not exist yet) and
// writes the sample-quality proxies of N = `proxyn` generated images every K iterations from 0.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeConfig, decodeConfig } from '../core/config/url-codec';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { selectBackend } from '../core/train/select-backend';
import { runHeadless } from './run-headless';
import { sendProgress } from './headless-child';
import { errorText } from '../core/error-text';
import { iterationRate, progressPrefix, type ProgressMark } from './headless-progress';

const USAGE = `usage: npm run headless -- --config '<query string>' --iterations N --out FILE.json [--data DIR] \
[--proxy-file PATH]
  --config QUERY     the run's configuration, as in the page's URL (default: every field at its default)
  --iterations N     G iterations to train (default 10)
  --out FILE.json    where the config and the metrics history go (required)
  --data DIR         CIFAR-10 batch files (default public/data/cifar-10-batches-bin)
  --proxy-file PATH  a trained proxy net to reuse; written there when the file does not exist yet
  --help, -h         print this and exit`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: '' },
      iterations: { type: 'string', default: '10' },
      out: { type: 'string' },
      data: { type: 'string', default: 'public/data/cifar-10-batches-bin' },
      'proxy-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const iterations = Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1) {
    console.error(`--iterations must be a positive integer, got ${values.iterations}\n${USAGE}`);
    return 2;
  }
  if (!values.out) {
    console.error(`--out is required\n${USAGE}`);
    return 2;
  }
  const { config, errors } = decodeConfig(values.config ?? '');
  for (const message of errors) console.error(`config: ${message}`);

  if (config.backend === 'auto' || config.backend === 'webgpu') await initNodeWebGPU();
  const selection = await selectBackend(config.backend);
  if (selection.notice) console.error(`backend: ${selection.notice}`);
  console.error(`training ${encodeConfig(config)} on ${selection.backend} for ${iterations} iterations`);

  let firstMark: ProgressMark | null = null;
  const result = await runHeadless(
    config,
    iterations,
    values.data ?? '',
    (point) => {
      const mark = { iteration: point.iteration, seconds: performance.now() / 1000 };
      const rate = iterationRate(firstMark, mark);
      firstMark ??= mark;
      const losses = `D ${point.dLoss.toFixed(4)}  G ${point.gLoss.toFixed(4)}`;
      console.error(
        `${progressPrefix(point.iteration, iterations, rate)}  ${losses}  ` +
          `sigma ${point.sigmas.map((s) => s.toFixed(3)).join(' ')}`,
      );
      sendProgress(point.iteration, iterations);
    },
    { proxyFile: values['proxy-file'] },
  );
  writeFileSync(values.out, JSON.stringify({ ...result, configWarnings: errors, backend: selection.backend }, null, 2));
  console.error(`wrote ${values.out}${result.stoppedBecause ? ` (stopped: ${result.stoppedBecause})` : ''}`);
  releaseNodeWebGPU();
  return result.stoppedBecause ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    process.exit(1);
  },
);

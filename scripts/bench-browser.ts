// `npm run bench:browser -- [--config '<query>'] [--repeats N] [--json FILE]`: builds nothing itself
// (the npm script builds first), serves dist/ with `vite preview`, opens bench.html in Debian's
// Chromium with software WebGPU, and prints the side-by-side result. Part of `npm run bench`.
import { parseArgs } from 'node:util';
import { JSON_OUTPUT_OPTION, writePartRows } from '../src/bench/part-output';
import { runInPreviewBrowser } from './preview-browser';

const USAGE = `usage: npm run bench:browser -- [--config '<query>'] [--repeats N] [--timeout-s S] [--json FILE]
  --config QUERY  the GAN to time (default ch=4&gch=4&zdim=16&batch=4)
  --repeats N     timed repeats per case (default 5)
  --timeout-s S   give up after S seconds (default 1200)
  --json FILE     write the rows for \`npm run bench\` to FILE
  --help, -h      print this and exit`;

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'ch=4&gch=4&zdim=16&batch=4' },
    repeats: { type: 'string', default: '5' },
    'timeout-s': { type: 'string', default: '1200' },
    help: { type: 'boolean', short: 'h', default: false },
    ...JSON_OUTPUT_OPTION,
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

await runInPreviewBrowser(4329, async (page, origin) => {
  await page.goto(`${origin}/bench.html?${values.config}&repeats=${values.repeats}`);
  await page.waitForFunction(() => window.benchResult || window.benchError, undefined, {
    timeout: Number(values['timeout-s']) * 1000,
    polling: 1000,
  });
  const error = await page.evaluate(() => window.benchError);
  if (error) throw new Error(error);
  const result = await page.evaluate(() => window.benchResult);
  writePartRows(values.json, result?.rows ?? []);
  console.log(result?.report);
  console.log(
    `RESULT webgpu/webgl iteration ${result?.webgpuOverWebgl.toFixed(3)}; sn/none D step on webgpu ` +
      `${result?.snOverNoneOnWebgpu.toFixed(3)}`,
  );
});

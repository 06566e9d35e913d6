// `npm run bench:browser -- [--config '<query>'] [--repeats N]`: builds nothing itself (the npm
// script builds first), serves dist/ with `vite preview`, opens bench.html in Debian's Chromium with
// software WebGPU, and prints the side-by-side result.
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { CHROMIUM_PATH, QUIET_FLAGS, WEBGPU_FLAGS } from './chromium';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'ch=4&gch=4&zdim=16&batch=4' },
    repeats: { type: 'string', default: '5' },
    'timeout-s': { type: 'string', default: '1200' },
  },
});

const server = await preview({ preview: { port: 4329, strictPort: true, host: '127.0.0.1' } });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...WEBGPU_FLAGS, ...QUIET_FLAGS] });
let exitCode = 0;
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`page: ${m.text()}`);
  });
  await page.goto(`http://127.0.0.1:4329/bench.html?${values.config}&repeats=${values.repeats}`);
  await page.waitForFunction(() => window.benchResult || window.benchError, undefined, {
    timeout: Number(values['timeout-s']) * 1000,
    polling: 1000,
  });
  const error = await page.evaluate(() => window.benchError);
  if (error) throw new Error(error);
  const result = await page.evaluate(() => window.benchResult);
  console.log(result?.report);
  console.log(
    `RESULT webgpu/webgl iteration ${result?.webgpuOverWebgl.toFixed(3)}; sn/none D step on webgpu ${result?.snOverNoneOnWebgpu.toFixed(3)}`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  exitCode = 1;
} finally {
  await browser.close();
  server.httpServer.close();
}
process.exit(exitCode);

// `npm run bench:first-curve -- [--config '<query>'] [--seconds 10] [--json FILE]`: how long a person
// waits. Serves dist/ (the npm script builds first), opens the app in Debian's Chromium with software
// WebGPU in a fresh profile, and measures: page open to ready (backend choice, backend=auto's timing,
// data, model), Train to the first drawn loss point (shader compilation included), then iterations
// per second over the next seconds. Part of `npm run bench`.
import { parseArgs } from 'node:util';
import { JSON_OUTPUT_OPTION, writePartRows } from '../src/bench/part-output';
import { runInPreviewBrowser } from './preview-browser';

const USAGE = `usage: npm run bench:first-curve -- [--config '<query>'] [--seconds 10] [--wait 0] [--json FILE]
  --config QUERY  the run (default ch=4&gch=4&zdim=16&batch=4&every=1&subset=64&backend=webgpu)
  --seconds S     how long to count iterations after the first curve (default 10)
  --wait S        seconds between ready and the Train click, as a person reading the page (default 0)
  --json FILE     write the rows for \`npm run bench\` to FILE
  --help, -h      print this and exit`;

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'ch=4&gch=4&zdim=16&batch=4&every=1&subset=64&backend=webgpu' },
    seconds: { type: 'string', default: '10' },
    wait: { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h', default: false },
    ...JSON_OUTPUT_OPTION,
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const seconds = Number(values.seconds);
const config = values.config ?? '';

await runInPreviewBrowser(4332, async (page, origin, browser) => {
  const opened = Date.now();
  await page.goto(`${origin}/?${config}`);
  await page.getByTestId('phase').filter({ hasText: 'Paused' }).waitFor({ timeout: 600_000 });
  const readyMs = Date.now() - opened;
  const backend = await page.getByTestId('backend').textContent();
  const calibration = await page
    .getByTestId('backend-calibration')
    .textContent({ timeout: 1000 })
    .catch(() => null);
  await page.waitForTimeout(Number(values.wait) * 1000);
  const clicked = Date.now();
  await page.getByTestId('train-toggle').click();
  // The first drawn loss point: a vertex of a loss line (the untrained read-back at iteration 0 has none).
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="chart-loss"] path.chart-line')].some((path) =>
        (path.getAttribute('d') ?? '').startsWith('M'),
      ),
    undefined,
    { timeout: 600_000, polling: 50 },
  );
  const firstCurveMs = Date.now() - clicked;
  const startIteration = Number(await page.getByTestId('iteration').textContent());
  await page.waitForTimeout(seconds * 1000);
  const perSecond = (Number(await page.getByTestId('iteration').textContent()) - startIteration) / seconds;
  await page.getByTestId('train-toggle').click();
  const where = `Chromium ${browser.version()}, the app page, backend ${backend}`;
  console.log(`config ${config}; ${where}; Train clicked ${values.wait} s after ready`);
  if (calibration) console.log(`  ${calibration}`);
  console.log(`  page open to ready ${(readyMs / 1000).toFixed(1)} s`);
  console.log(`  Train to the first drawn loss point ${(firstCurveMs / 1000).toFixed(1)} s`);
  console.log(`  ${perSecond.toFixed(1)} iterations per second over the next ${seconds} s`);
  console.log(
    `RESULT first curve ${(firstCurveMs / 1000).toFixed(1)} s after Train; ready ${(readyMs / 1000).toFixed(1)} s; ` +
      `${perSecond.toFixed(1)} it/s on ${backend}`,
  );
  writePartRows(values.json, [
    {
      figure: 'Train to the first drawn loss point, over page open to ready',
      configuration: config,
      where: `${where}; then ${perSecond.toFixed(1)} iterations per second`,
      numerator: { label: 'Train to first curve', value: firstCurveMs, unit: 'ms' },
      denominator: { label: 'open to ready', value: readyMs, unit: 'ms' },
    },
  ]);
});

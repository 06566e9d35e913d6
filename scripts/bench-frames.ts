// `npm run bench:frames -- [--config '<query>'] [--seconds 20] [--json FILE]`: how smooth the page stays while
// training with every panel open. Serves dist/ (the npm script builds first), opens the app in
// Debian's Chromium with software WebGPU, records requestAnimationFrame intervals for a while when
// idle and then while training, and prints the 50th/95th percentiles and the worst frame of each.
// Part of `npm run bench`.
import { parseArgs } from 'node:util';
import { JSON_OUTPUT_OPTION, writePartRows } from '../src/bench/part-output';
import { recordFrames, percentile } from './frame-timing';
import { runInPreviewBrowser } from './preview-browser';

const USAGE = `usage: npm run bench:frames -- [--config '<query>'] [--seconds 20] [--json FILE]
  --config QUERY  the run the page trains (default ch=4&gch=4&zdim=16&batch=4&every=1&spectra=2&subset=64)
  --seconds S     how long to record frames, idle and then training (default 20)
  --json FILE     write the rows for \`npm run bench\` to FILE
  --help, -h      print this and exit`;

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'ch=4&gch=4&zdim=16&batch=4&every=1&spectra=2&subset=64' },
    seconds: { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h', default: false },
    ...JSON_OUTPUT_OPTION,
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const seconds = Number(values.seconds);

function describe(label: string, intervals: number[]): string {
  return (
    `${label.padEnd(10)} ${intervals.length} frames: p50 ` +
    `${percentile(intervals, 50).toFixed(1)} ms, p95 ${percentile(intervals, 95).toFixed(1)} ms, ` +
    `worst ${Math.max(...intervals).toFixed(1)} ms`
  );
}

await runInPreviewBrowser(4331, async (page, origin, browser) => {
  await page.goto(`${origin}/?${values.config}`);
  await page.getByTestId('phase').filter({ hasText: 'Paused' }).waitFor({ timeout: 120_000 });
  const idle = await recordFrames(page, seconds * 1000);
  await page.getByTestId('train-toggle').click();
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="iteration"]')?.textContent) >= 2,
    undefined,
    {
      timeout: 300_000,
    },
  );
  const startIteration = Number(await page.getByTestId('iteration').textContent());
  const training = await recordFrames(page, seconds * 1000);
  const endIteration = Number(await page.getByTestId('iteration').textContent());
  const snapshots = await page.getByTestId('chart-spectrum').getAttribute('data-points');
  await page.getByTestId('train-toggle').click();
  console.log(`config ${values.config}; ${seconds} s each, Chromium ${browser.version()} on software WebGPU`);
  console.log(describe('idle', idle));
  console.log(describe('training', training));
  console.log(
    `  ${endIteration - startIteration} iterations during the training window; ${snapshots} ` +
      `spectrum snapshots on the page`,
  );
  console.log(
    `RESULT frame interval p95 while training ${percentile(training, 95).toFixed(1)} ms (idle ` +
      `${percentile(idle, 95).toFixed(1)} ms)`,
  );
  writePartRows(values.json, [
    {
      figure: 'main-thread frame interval p95, training over idle (all panels)',
      configuration: values.config ?? '',
      where:
        `Chromium ${browser.version()}, the app page (${endIteration - startIteration} ` +
        `iterations in ${seconds} s)`,
      numerator: { label: 'p95 while training', value: percentile(training, 95), unit: 'ms' },
      denominator: { label: 'p95 idle', value: percentile(idle, 95), unit: 'ms' },
    },
  ]);
});

// `npm run bench:proxy -- [--config '<query>'] [--evaluations 3] [--json FILE]`: the cost of sample quality in
// the page. Serves dist/ (the npm script builds first), opens the app in Debian's Chromium with
// software WebGPU, trains the proxy net in its worker (recording frame intervals meanwhile), then
// trains the GAN and reads the page's own cost line for each evaluation of N generated images: the
// read-back of G's weights in the training worker, generation and scoring in the proxy worker.
// Part of `npm run bench`: each cost over the training time of the iterations between evaluations.
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { JSON_OUTPUT_OPTION, writePartRows } from '../src/bench/part-output';
import { proxyRows, type EvaluationCost } from './bench-proxy-rows';
import { recordFrames, percentile } from './frame-timing';
import { runInPreviewBrowser } from './preview-browser';

const DEFAULT_CONFIG =
  'dataset=shapes&subset=1000&proxy=tiny&proxyn=500&proxyevery=5&ch=4&gch=4&zdim=16&batch=4&every=5&spectra=0';
const USAGE = `usage: npm run bench:proxy -- [--config '<query>'] [--evaluations 3] [--json FILE]
  --config QUERY   the run the page trains (default ${DEFAULT_CONFIG})
  --evaluations N  proxy evaluations to time (default 3)
  --json FILE      write the rows for \`npm run bench\` to FILE
  --help, -h       print this and exit`;

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: DEFAULT_CONFIG },
    evaluations: { type: 'string', default: '3' },
    help: { type: 'boolean', short: 'h', default: false },
    ...JSON_OUTPUT_OPTION,
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const wanted = Number(values.evaluations);

async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

await runInPreviewBrowser(4332, async (page, origin, browser) => {
  await page.goto(`${origin}/?${values.config}`);
  await page.getByTestId('phase').filter({ hasText: 'Paused' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('proxy-train').waitFor({ timeout: 120_000 });
  const idleFrames = await recordFrames(page, 5000);
  const started = Date.now();
  await page.getByTestId('proxy-train').click();
  const frames = await recordFrames(page, 5000);
  await page.getByTestId('proxy-accuracy').waitFor({ timeout: 3_600_000 });
  const readySeconds = (Date.now() - started) / 1000;
  console.log(`config ${values.config}; Chromium ${browser.version()} on software WebGPU`);
  console.log(`proxy: ${await text(page, 'proxy-accuracy')}`);
  console.log(`  ready (trained, measured, references) ${readySeconds.toFixed(1)} s after the click`);
  console.log(
    `  frames while it trained: p50 ${percentile(frames, 50).toFixed(1)} ms, p95 ` +
      `${percentile(frames, 95).toFixed(1)} ms, worst ${Math.max(...frames).toFixed(1)} ms`,
  );
  console.log(`reference: ${await text(page, 'proxy-reference')}`);

  await page.getByTestId('train-toggle').click();
  const costs: EvaluationCost[] = [];
  let lastIteration = -1;
  while (costs.length < wanted) {
    // A new evaluation is a new iteration in the cost line (the line also changes when one is skipped).
    await page.waitForFunction(
      (previous) => {
        const line = document.querySelector('[data-testid="proxy-cost"]')?.textContent ?? '';
        const at = /at iteration (\d+)/.exec(line);
        return at !== null && Number(at[1]) > previous;
      },
      lastIteration,
      { timeout: 1_800_000 },
    );
    const line = await text(page, 'proxy-cost');
    const match = /at iteration (\d+): G read-back ([\d.]+) s .* generation ([\d.]+) s \+ scoring ([\d.]+) s/.exec(
      line,
    );
    if (!match) throw new Error(`unexpected cost line: ${line}`);
    lastIteration = Number(match[1]);
    costs.push({
      iteration: lastIteration,
      seenAtMs: Date.now(),
      readBack: Number(match[2]),
      generation: Number(match[3]),
      scoring: Number(match[4]),
    });
    console.log(`  ${line}`);
  }
  await page.getByTestId('train-toggle').click();
  const median = (pick: (c: (typeof costs)[number]) => number) => percentile(costs.map(pick), 50);
  console.log(
    `median of ${costs.length} evaluations: G read-back ${median((c) => c.readBack).toFixed(3)} s (training worker); ` +
      `generation ${median((c) => c.generation).toFixed(2)} s + scoring ` +
      `${median((c) => c.scoring).toFixed(2)} s (proxy worker)`,
  );
  console.log(`last: ${await text(page, 'proxy-class-coverage')}`);
  writePartRows(
    values.json,
    proxyRows(values.config ?? '', `Chromium ${browser.version()}, the app page`, costs, {
      idle: idleFrames,
      proxyTraining: frames,
    }),
  );
});

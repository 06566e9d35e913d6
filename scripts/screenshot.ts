// `npm run screenshot -- [--out docs/screenshot.png]`: the README's picture of the page, made from the
// page itself so it stays current. Serves dist/ (the npm script builds first), opens the app in
// Debian's Chromium at 1440x900 on a fixed tiny run (the 2-D toy MLP on ring8, cpu backend, so it
// takes seconds on any machine), clicks Train, waits for the iteration counter to reach ITERATIONS
// and writes a screenshot of the first screen, still training.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { runInPreviewBrowser } from './preview-browser';

/** The run in the picture: the toy ring8 set-up, a read-back every 5 iterations, spectra every 50. */
const CONFIG =
  'dataset=ring8&arch=mlp&ch=8&gch=16&zdim=16&batch=64&loss=ns&lr=0.002&beta1=0.5&beta2=0.9&ndis=1' +
  '&norm=sn&every=5&spectra=50&backend=cpu';
const ITERATIONS = 300;
const VIEWPORT = { width: 1440, height: 900 };

const USAGE = `usage: npm run screenshot -- [--out docs/screenshot.png]
  builds, opens the app in Chromium (${VIEWPORT.width}x${VIEWPORT.height}) on a fixed tiny run, trains it to
  iteration ${ITERATIONS} and writes a screenshot of the first screen
  --out PATH  where to write the PNG (default docs/screenshot.png)
  --help, -h  print this and exit`;

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/screenshot.png' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const out = values.out ?? 'docs/screenshot.png';

await runInPreviewBrowser(4333, async (page, origin) => {
  await page.setViewportSize(VIEWPORT);
  await page.goto(`${origin}/?${CONFIG}`);
  await page.getByTestId('phase').filter({ hasText: 'Paused' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('train-toggle').click();
  await page.waitForFunction(
    (target) => Number(document.querySelector('[data-testid="iteration"]')?.textContent) >= target,
    ITERATIONS,
    { timeout: 300_000 },
  );
  const iteration = await page.getByTestId('iteration').textContent();
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, animations: 'disabled' });
  console.log(`wrote ${out}: ${VIEWPORT.width}x${VIEWPORT.height}, iteration ${iteration}`);
});

// The run's files on real WebGPU (SwiftShader): a paused run is exported as one .sgrun file and
// imported in another browser (a new context: empty IndexedDB, other settings in its URL), where it
// goes on at the same iteration with the same curves; a cut-off copy is refused by name and the run
// stays. The metrics CSV/JSON and the samples PNG hold what the page shows.
import { expect, test, type Page } from '@playwright/test';
import { queryOf, showTab, TINY_RUN, trainThenPause, waitForIteration, waitUntilReady } from './helpers';

// The Files bar is on the Runs tab: the hash opens it (the query stays the run's).
const RUN = `${TINY_RUN}&spectra=0&proxyevery=0#tab=runs`;

/** Clicks `testId` and returns the file the browser downloads. */
async function downloaded(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const file = await download;
  const chunks = await (await file.createReadStream()).toArray();
  return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

const text = async (page: Page, testId: string) => (await downloaded(page, testId)).bytes.toString('utf8');
/** The loss chart's points, read on its (Training) tab: a hidden panel catches up only when shown. */
async function lossPoints(page: Page): Promise<number> {
  await showTab(page, 'overview');
  const points = Number(await page.getByTestId('chart-loss').getAttribute('data-points'));
  await showTab(page, 'runs');
  return points;
}

test('a run exported as one file continues in another browser; metrics and samples export', async ({
  page,
  browser,
}) => {
  await page.goto(RUN);
  await waitUntilReady(page);
  // (Right after setup the worker's first read-back brings an iteration-0 checkpoint and sample grid,
  // so the buttons' disabled state before them cannot be caught reliably here.)
  const iteration = await trainThenPause(page, 3);
  await expect(page.getByTestId('export-run')).toHaveText(`Export run (iteration ${iteration})`);
  await expect(page.getByTestId('export-run-hint')).toHaveCount(0);

  // Metrics CSV: a header and one row per read-back the loss chart holds (read together: paused, so stable).
  await expect
    .poll(async () => {
      const lines = (await text(page, 'export-metrics-csv')).trimEnd().split('\n');
      return lines.length - 1 === (await lossPoints(page)) ? lines[0] : `${lines.length - 1} rows`;
    })
    // D's input-gradient readings (chart-lipschitz) come last: this run reads back every iteration.
    .toMatch(
      new RegExp(
        '^iteration,seconds,dLoss,gLoss,sigma .*gradNorm .*,gradNormTotal,' +
          'lipschitz realMean,lipschitz realMax,lipschitz fakeMean,lipschitz fakeMax,lipschitz sigmaProduct$',
      ),
    );
  const points = await lossPoints(page);
  expect(points).toBeGreaterThanOrEqual(3);

  const metrics = JSON.parse(await text(page, 'export-metrics-json')) as Record<string, unknown>;
  expect(metrics).toMatchObject({ format: 'spectral-gan-metrics', version: 1, source: 'page', iterations: iteration });
  expect(metrics.history).toHaveLength(points);
  expect(String(metrics.query)).toMatch(/(^|&)v=\d/);

  // Samples PNG: the PNG signature, and the IHDR size of the canvas.
  const canvas = page.getByTestId('samples');
  await expect(page.getByTestId('export-samples-png')).toBeEnabled();
  const png = (await downloaded(page, 'export-samples-png')).bytes;
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  const size = await canvas.evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(size);

  // The loss chart's CSV button is on the Training tab, the Files bar on the Runs tab.
  await showTab(page, 'overview');
  const curve = await text(page, 'csv-loss');
  await showTab(page, 'runs');
  const run = await downloaded(page, 'export-run');
  expect(run.name).toBe(`spectral-gan-shapes-sn-it${iteration}.sgrun`);
  expect([...run.bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]);

  // Another browser: no autosave, other settings in its URL.
  const other = await browser.newContext();
  try {
    const there = await other.newPage();
    await there.goto(`${TINY_RUN}&norm=wn&spectra=0&proxyevery=0#tab=runs`);
    await waitUntilReady(there);
    await expect(there.getByTestId('resume-offer')).toHaveCount(0);
    await there
      .getByTestId('import-run')
      .setInputFiles({ name: run.name, mimeType: 'application/gzip', buffer: run.bytes });
    await expect(there.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${iteration}`);
    await expect(there.getByTestId('iteration')).toHaveText(String(iteration));
    expect(queryOf(there).get('norm')).toBe('sn'); // the run's settings came with it
    await expect.poll(() => lossPoints(there)).toBe(points);
    await showTab(there, 'overview');
    expect(await text(there, 'csv-loss')).toBe(curve); // the same curves, value for value
    await showTab(there, 'runs');
    await expect(there.getByTestId('export-run')).toHaveText(`Export run (iteration ${iteration})`);

    // A cut-off copy is refused by name; the imported run stays.
    const cut = run.bytes.subarray(0, Math.floor(run.bytes.length / 2));
    await there
      .getByTestId('import-run')
      .setInputFiles({ name: 'half.sgrun', mimeType: 'application/gzip', buffer: cut });
    await expect(there.getByTestId('error-banner')).toContainText(
      /half\.sgrun could not be imported: the file is incomplete or damaged/,
    );
    await expect(there.getByTestId('iteration')).toHaveText(String(iteration));
    expect(await lossPoints(there)).toBe(points);

    // And it trains on from there.
    await there.getByTestId('step-button').click();
    await waitForIteration(there, iteration + 1);
    await expect.poll(() => lossPoints(there)).toBeGreaterThan(points);
  } finally {
    await other.close();
  }
});

// Runs that last: on real WebGPU (SwiftShader), a paused run is autosaved to IndexedDB; after a
// reload the page offers it, and resuming continues the same run (same iteration, same curves) and
// trains on from there.
import { expect, test, type Page } from '@playwright/test';
import { TINY_RUN, trainThenPause, waitForIteration, waitUntilReady } from './helpers';

const RUN = `${TINY_RUN}&spectra=0&proxyevery=0`;

/** The loss chart's CSV (its raw rows): the curve, value for value. */
async function lossCsv(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByTestId('csv-loss').click();
  const file = await download;
  return (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
}

test('a paused run is autosaved and resumes after a reload at the same iteration with its curves', async ({ page }) => {
  await page.goto(RUN);
  await waitUntilReady(page);
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  const iteration = await trainThenPause(page, 3);
  await expect(page.getByTestId('autosave-status')).toContainText(`autosaved at iteration ${iteration}`);
  const lossChart = page.getByTestId('chart-loss');
  const points = Number(await lossChart.getAttribute('data-points'));
  expect(points).toBeGreaterThanOrEqual(3);
  const curve = await lossCsv(page);
  expect(curve.trim().split('\n').length).toBeGreaterThanOrEqual(4);

  await page.reload();
  await waitUntilReady(page);
  await expect(page.getByTestId('resume-offer')).toContainText(`iteration ${iteration}`);
  await page.getByTestId('resume-button').click();
  await expect(page.getByTestId('iteration')).toHaveText(String(iteration));
  await expect(page.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${iteration}`);
  await expect.poll(() => lossChart.getAttribute('data-points').then(Number)).toBe(points);
  expect(await lossCsv(page)).toBe(curve); // the same curves, value for value

  // It trains on from there.
  await page.getByTestId('step-button').click();
  await waitForIteration(page, iteration + 1);
  await expect.poll(() => lossChart.getAttribute('data-points').then(Number)).toBeGreaterThan(points);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

// (a) The main path on real WebGPU (SwiftShader): train a tiny GAN, see charts, samples and a URL
// that still holds the configuration.
import { expect, test } from '@playwright/test';
import { TINY_RUN, canvasVariance, drawnLineVertices, queryOf, waitForIteration, waitUntilReady } from './helpers';

test('trains on WebGPU and draws losses, sigmas and samples', async ({ page }) => {
  await page.goto(TINY_RUN);
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
  await expect(page.getByTestId('backend-notice')).toHaveCount(0);
  await waitUntilReady(page);

  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
  await waitForIteration(page, 3);

  // Losses: a D and a G line, each through at least two read-backs (iteration 0 has no loss yet).
  await expect
    .poll(() => drawnLineVertices(page.getByTestId('chart-loss')))
    .toEqual([expect.any(Number), expect.any(Number)]);
  for (const vertices of await drawnLineVertices(page.getByTestId('chart-loss')))
    expect(vertices).toBeGreaterThanOrEqual(2);

  // Sigmas: one line per D layer, each drawn through at least three read-backs.
  const sigmaLines = await drawnLineVertices(page.getByTestId('chart-sigma'));
  expect(sigmaLines.length).toBeGreaterThanOrEqual(2);
  for (const vertices of sigmaLines) expect(vertices).toBeGreaterThanOrEqual(3);
  expect(Number(await page.getByTestId('chart-sigma').getAttribute('data-points'))).toBeGreaterThanOrEqual(3);

  // The grid was redrawn after training started, and it is not a blank canvas.
  await expect
    .poll(async () => Number(await page.getByTestId('samples').getAttribute('data-iteration')))
    .toBeGreaterThanOrEqual(1);
  await expect.poll(() => canvasVariance(page.getByTestId('samples'))).toBeGreaterThan(0);
  await expect(page.getByTestId('iterations-per-second')).toHaveText(/^\d/);

  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('phase')).toHaveText('Paused');

  const query = queryOf(page);
  expect(
    Object.fromEntries(
      ['dataset', 'arch', 'ch', 'gch', 'zdim', 'batch', 'norm', 'every', 'subset'].map((k) => [k, query.get(k)]),
    ),
  ).toEqual({
    dataset: 'shapes',
    arch: 'cnn',
    ch: '4',
    gch: '4',
    zdim: '16',
    batch: '4',
    norm: 'sn',
    every: '1',
    subset: '64',
  });
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('a control change rewrites the URL in place and restarts the run when it must', async ({ page }) => {
  await page.goto(TINY_RUN);
  await waitUntilReady(page);
  const historyLength = await page.evaluate(() => history.length);

  await page.getByTestId('step-button').click();
  await waitForIteration(page, 1);

  // norm applies live: the iteration count goes on.
  await page.getByTestId('norm-select').selectOption('none');
  await expect.poll(() => queryOf(page).get('norm')).toBe('none');
  await expect(page.getByTestId('run-notice')).toContainText('applied live');
  expect(Number(await page.getByTestId('iteration').textContent())).toBeGreaterThanOrEqual(1);

  // batch needs a new model: back to iteration 0, and the page says so.
  await page.getByTestId('field-batch').fill('2');
  await page.getByTestId('field-batch').press('Enter');
  await expect.poll(() => queryOf(page).get('batch')).toBe('2');
  await expect(page.getByTestId('run-notice')).toContainText('batch changed');
  await expect(page.getByTestId('iteration')).toHaveText('0');

  expect(await page.evaluate(() => history.length)).toBe(historyLength);
});

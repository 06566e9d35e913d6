// (a) The main path on real WebGPU (SwiftShader): train a tiny GAN, see charts, samples and a URL
// that still holds the configuration.
import { expect, test } from '@playwright/test';
import { TINY_RUN, canvasVariance, drawnLineVertices, queryOf, waitForIteration, waitUntilReady } from './helpers';

test('trains on WebGPU and draws losses, sigmas and samples', async ({ page }) => {
  await page.goto(TINY_RUN);
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
  await expect(page.getByTestId('backend-notice')).toHaveCount(0);
  // This machine's WebGPU is SwiftShader: the page says it is a software adapter.
  await expect(page.getByTestId('backend-adapter')).toContainText('software adapter');
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

test('backend=auto times each backend on the model and trains on the fastest', async ({ page }) => {
  const toy = 'dataset=ring8&arch=mlp&ch=8&gch=16&zdim=16&batch=64&loss=ns&norm=sn&every=10&spectra=0&subset=1000';
  await page.goto(`/?${toy}`);
  const calibration = page.getByTestId('backend-calibration');
  await expect(calibration).toContainText('backend=auto picked', { timeout: 120_000 });
  const text = (await calibration.textContent()) ?? '';
  const figures = Object.fromEntries(
    [...text.matchAll(/(webgpu|webgl|cpu) ([\d,.]+) ms\/iteration/g)].map((m) => [
      m[1],
      Number(m[2].replace(/,/g, '')),
    ]),
  );
  // All three run in this browser (SwiftShader WebGPU, WebGL, cpu), and the badge shows the fastest.
  expect(Object.keys(figures).sort()).toEqual(['cpu', 'webgl', 'webgpu']);
  const fastest = Object.entries(figures).reduce((best, entry) => (entry[1] < best[1] ? entry : best))[0];
  expect(text).toContain(`picked ${fastest} `);
  await expect(page.getByTestId('backend')).toHaveText(fastest);
  await waitUntilReady(page);
  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 20);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  // The same model on the same device is not timed again: the choice comes from IndexedDB.
  await page.reload();
  await expect(calibration).toContainText('timed earlier on this device', { timeout: 60_000 });
  await expect(page.getByTestId('backend')).toHaveText(fastest);
});

// The 2-D toy data on real WebGPU (SwiftShader): a ring8 run draws real against generated points
// in the scatter and counts modes at every read-back; the data panel speaks of points, not classes.
import { expect, test } from '@playwright/test';
import { canvasVariance, drawnLineVertices, showTab, waitForIteration, waitUntilReady } from './helpers';

/** The toy MLP at preset scale (D 32, G 64 units): cheap even on software WebGPU. */
// backend=webgpu: this file is about the WebGPU path (backend=auto would pick the cpu for this model).
const TOY_RUN = '/?dataset=ring8&norm=sn&every=1&spectra=0&ch=8&gch=16&zdim=16&batch=64&subset=1000&backend=webgpu';

test('ring8 trains and fills the scatter and the mode chart', async ({ page }) => {
  await page.goto(TOY_RUN);
  await waitUntilReady(page);
  await expect(page.getByTestId('data-summary')).toContainText('8 Gaussians on a ring of radius 2, std 0.02');
  await expect(page.getByTestId('data-summary')).toContainText('points');
  await expect(page.getByTestId('samples')).toHaveCount(0);

  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 3);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('phase')).toHaveText('Paused');

  const scatter = page.getByTestId('toy-scatter');
  await expect.poll(() => scatter.getAttribute('data-iteration').then(Number)).toBeGreaterThanOrEqual(3);
  expect(await canvasVariance(scatter)).toBeGreaterThan(0);

  // The mode chart is on the Sample quality tab (a hidden tab's charts are not drawn).
  await showTab(page, 'quality');
  const modes = page.getByTestId('chart-modes');
  await expect.poll(() => modes.getAttribute('data-points').then(Number)).toBeGreaterThanOrEqual(3);
  const lines = await drawnLineVertices(modes);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  for (const vertices of lines) expect(vertices).toBeGreaterThanOrEqual(2);
  await expect(modes).toContainText('3 std');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test.describe('on a high-density screen', () => {
  test.use({ deviceScaleFactor: 2 });

  test('the scatter and the heat map have twice the pixels of their CSS size', async ({ page }) => {
    await page.goto(TOY_RUN.replace('backend=webgpu', 'backend=cpu'));
    for (const id of ['toy-scatter', 'toy-heatmap']) {
      const canvas = page.getByTestId(id);
      await expect(canvas).toHaveAttribute('width', '640');
      await expect(canvas).toHaveAttribute('height', '640');
      expect(await canvas.evaluate((element) => element.getBoundingClientRect().width)).toBeLessThanOrEqual(322);
    }
  });
});

// (b) Chromium launched WITHOUT the WebGPU flags (the `no-webgpu` project in playwright.config.ts
// starts its own browser): requestAdapter() returns null, the page falls back to WebGL, says so,
// and still trains.
import { expect, test } from '@playwright/test';
import { TINY_RUN, waitForIteration, waitUntilReady } from './helpers';

test('falls back to WebGL with a visible notice and still trains', async ({ page }) => {
  const hasAdapter = await page.evaluate(async () => Boolean(navigator.gpu && (await navigator.gpu.requestAdapter())));
  expect(hasAdapter, 'this project must run without a WebGPU adapter').toBe(false);

  await page.goto(TINY_RUN);
  await expect(page.getByTestId('backend')).toHaveText('webgl');
  await expect(page.getByTestId('backend-notice')).toBeVisible();
  await expect(page.getByTestId('backend-notice')).toContainText('WebGPU is not available');
  await expect(page.getByTestId('backend-notice')).toContainText('WebGL');
  await waitUntilReady(page);

  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 1);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

// A lost WebGPU device on real parts: crashing Chromium's GPU process (DevTools' Browser.crashGpuProcess) loses every
// WebGPU device of the page's workers. The page says so, starts a new worker (a new backend and
// device) and resumes the run from its last good checkpoint, with its curves.
import { expect, test } from '@playwright/test';
import { iterationOf, TINY_RUN, waitForIteration, waitUntilReady } from './helpers';

test('a lost GPU device is reported and the run resumes from its last checkpoint on a new device', async ({
  page,
  browser,
}) => {
  await page.goto(`${TINY_RUN}&spectra=0&proxyevery=0`);
  await waitUntilReady(page);
  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 3);
  await page.getByTestId('train-toggle').click(); // pause: a checkpoint
  await expect(page.getByTestId('autosave-status')).toContainText('autosaved at iteration');
  const saved = await iterationOf(page);

  // The DevTools protocol's Browser.crashGpuProcess: the same as the GPU process dying under a driver reset.
  const session = await browser.newBrowserCDPSession();
  await session.send('Browser.crashGpuProcess');

  await expect(page.getByTestId('error-banner')).toContainText('GPU device was lost', { timeout: 60_000 });
  await expect(page.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${saved}`, {
    timeout: 120_000,
  });
  await expect(page.getByTestId('iteration')).toHaveText(String(saved));
  await page.getByTestId('step-button').click();
  await waitForIteration(page, saved + 1);
});

// Divergence on real WebGPU: a run whose D weights are pushed to the edge of float32 overflows at its
// next step; the page pauses with a message naming the iteration and rolls back to the last good
// checkpoint on request. The push is done to the run's own autosave (IndexedDB), which the page then
// resumes: the overflow, its detection and the rollback are the page's real code paths.
import { expect, test, type Page } from '@playwright/test';
import { TINY_RUN, trainThenPause, waitUntilReady, autosaveFactory } from './helpers';

// norm=none: a normalization would divide the scale away (W / sigma).
const RUN = `${TINY_RUN.replace('norm=sn', 'norm=none')}&spectra=0&proxyevery=0`;
/**
 * Each D weight kernel times this: three layers in a row pass float32's 3.4e38, while one layer's
 * power iteration (which squares its entries) still stays finite, so the resumed run starts good.
 */
const WEIGHT_SCALE = 1e15;

/** Multiplies every D kernel (not the biases, at most 8ch = 32 values here) of the autosaved checkpoint. */
async function inflateAutosavedWeights(page: Page, scale: number): Promise<number> {
  return page.evaluate(
    ([factor, factory]) => {
      return new Promise<number>((resolve, reject) => {
        const open = factory.open('spectral-gan-autosave');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('runs', 'readwrite').objectStore('runs');
          // This tab's slot: the one run record (`run:<slot>`, docs/files.md) of a fresh browser context.
          const read = store.openCursor(IDBKeyRange.bound('run:', 'run:\uffff'));
          read.onsuccess = () => {
            const key = read.result!.key;
            const saved = read.result!.value as { checkpoint: { discriminator: Float32Array[] } };
            let scaled = 0;
            for (const values of saved.checkpoint.discriminator) {
              if (values.length <= 64) continue;
              for (let i = 0; i < values.length; i++) values[i] *= factor;
              scaled++;
            }
            const write = store.put(saved, key);
            write.onsuccess = () => resolve(scaled);
            write.onerror = () => reject(write.error);
          };
        };
      });
    },
    [scale, await autosaveFactory(page)] as const,
  );
}

test(
  'a run that overflows pauses with a message naming the iteration and rolls back to the last ' + 'good checkpoint',
  async ({ page }) => {
    await page.goto(RUN);
    await waitUntilReady(page);
    const saved = await trainThenPause(page, 2);
    await expect(page.getByTestId('autosave-status')).toContainText(`autosaved at iteration ${saved}`);
    expect(await inflateAutosavedWeights(page, WEIGHT_SCALE)).toBeGreaterThanOrEqual(3);

    await page.reload();
    await waitUntilReady(page);
    await page.getByTestId('resume-button').click();
    await expect(page.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${saved}`);
    const lossChart = page.getByTestId('chart-loss');
    const pointsAtCheckpoint = Number(await lossChart.getAttribute('data-points'));

    // The next step overflows: training pauses with a message naming that iteration.
    await page.getByTestId('step-button').click();
    const banner = page.getByTestId('error-banner');
    await expect(banner).toContainText(`at iteration ${saved + 1}`);
    await expect(banner).toContainText(/became (NaN|infinite|non-finite)/);
    await expect(banner).toContainText(`Roll back to iteration ${saved}`);
    await expect(page.getByTestId('phase')).toHaveText('Paused');
    const rollback = page.getByTestId('rollback-button');
    await expect(rollback).toHaveText(`Roll back to iteration ${saved}`);

    // Rolling back returns to the checkpoint with its curves; nothing before it is lost.
    await rollback.click();
    await expect(page.getByTestId('iteration')).toHaveText(String(saved));
    await expect(rollback).toHaveCount(0);
    await expect(page.getByTestId('run-notice')).toContainText(`Rolled back to iteration ${saved}`);
    await expect(banner).toHaveCount(0); // the divergence message went with the abandoned branch
    await expect.poll(() => lossChart.getAttribute('data-points').then(Number)).toBe(pointsAtCheckpoint);
    await expect(page.getByTestId('phase')).toHaveText('Paused');
  },
);

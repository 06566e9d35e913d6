// When the autosave cannot be written: a full storage (Chromium's quota lowered through the DevTools
// protocol) names the iteration not saved and the one kept, and the kept autosave still resumes after
// a reload; damaged records (another format, a run cut short) are refused with a message and an offer
// to discard them, and the page goes on training.
import { expect, test, type Page } from '@playwright/test';
import { TINY_RUN, trainThenPause, waitForIteration, waitUntilReady } from './helpers';

const RUN = `${TINY_RUN}&spectra=0&proxyevery=0`;

/** Runs `write` on the autosave's object store (docs/files.md) inside the page. */
function withAutosaveStore(page: Page, write: string): Promise<void> {
  return page.evaluate(
    (body) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('spectral-gan-autosave');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction('runs', 'readwrite');
          new Function('store', body)(transaction.objectStore('runs'));
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    write,
  );
}

// Not run (fixme): Chromium 156 does not enforce the DevTools quota override on IndexedDB. With
// Storage.overrideQuotaForOrigin at 1,024 bytes, Storage.getUsageAndQuota answers quota 1024 and
// overrideActive true, but the page's navigator.storage.estimate() still reports about 10.7 GB, and
// 100 KB writes to IndexedDB succeed: before a reload, after one, and 5 s later (in Playwright's
// contexts and in a persistent profile alike), so the autosave of 0.4 MB succeeds. Why it passed in
// an earlier session is not known. Until a quota error can be provoked for real, the
// storage-full behaviour is checked by tests/unit/ui/runs/autosave-slots.test.ts (the message) only.
test.fixme('a full storage names the autosave not written, and the previous one stays resumable', async ({ page }) => {
  await page.goto(RUN);
  await waitUntilReady(page);
  const kept = await trainThenPause(page, 2);
  const status = page.getByTestId('autosave-status');
  await expect(status).toContainText(`autosaved at iteration ${kept}`);

  // A quota below what the origin already uses. Chromium applies it to IndexedDB connections opened
  // after it, so the page is reloaded: its run store opens its database under the full storage.
  const origin = new URL(page.url()).origin;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 });
  await page.reload();
  await waitUntilReady(page);
  await expect(page.getByTestId('resume-offer')).toContainText(`iteration ${kept}`);
  // A new run in this tab: its first autosave would replace the kept one, and is refused.
  const lost = await trainThenPause(page, 1);
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText(`The run at iteration ${lost} was not autosaved: the browser's storage is full`);
  await expect(banner).toContainText(`the autosave of iteration ${kept} is kept`);
  await expect(status).toHaveAttribute('data-state', 'failed');
  await expect(status).toContainText(`iteration ${lost} was not autosaved`);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin }); // the browser's own quota again

  await page.reload();
  await waitUntilReady(page);
  await expect(page.getByTestId('saved-run')).toHaveCount(1);
  await expect(page.getByTestId('resume-offer')).toContainText(`iteration ${kept}`);
  await page.getByTestId('resume-button').click();
  await expect(page.getByTestId('iteration')).toHaveText(String(kept));
  await expect(page.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${kept}`);
});

test('damaged autosaves are refused with a message and an offer to discard them; the page trains', async ({ page }) => {
  await page.goto(RUN);
  await waitUntilReady(page);
  const saved = await trainThenPause(page, 1);
  await expect(page.getByTestId('autosave-status')).toContainText(`autosaved at iteration ${saved}`);
  // A summary of another format, and a copy of this tab's run with its first G weight cut in half.
  await withAutosaveStore(
    page,
    `store.put({ format: 'something-else' }, 'summary:foreign');
     store.put('not a run', 'run:foreign');
     const range = IDBKeyRange.bound('run:', 'run:\\uffff');
     store.openCursor(range).onsuccess = (event) => {
       const cursor = event.target.result;
       if (!cursor || cursor.key === 'run:foreign') return cursor?.continue();
       const slot = cursor.key.slice(4);
       const run = cursor.value;
       const first = run.checkpoint.generator[0];
       run.checkpoint.generator[0] = first.slice(0, first.length >> 1);
       store.put({ ...run, slot: 'cut' }, 'run:cut');
       store.get('summary:' + slot).onsuccess = (read) =>
         store.put({ ...read.target.result, slot: 'cut', savedAt: new Date().toISOString() }, 'summary:cut');
     };`,
  );

  await page.reload();
  await waitUntilReady(page);
  const offers = page.getByTestId('saved-run');
  await expect(offers).toHaveCount(3);
  const foreign = offers.and(page.locator('[data-slot="foreign"]'));
  await expect(foreign).toHaveAttribute('data-damaged', 'true');
  await expect(foreign.getByTestId('damaged-autosave')).toContainText('is damaged and cannot be resumed');
  await expect(foreign.getByTestId('resume-button')).toHaveCount(0);

  // The cut copy looks whole until it is read: resuming it is refused, by the numbers it lacks.
  const cut = offers.and(page.locator('[data-slot="cut"]'));
  await cut.getByTestId('resume-button').click();
  await expect(page.getByTestId('error-banner')).toContainText(/The saved run cannot be resumed: it holds \d+ of the/);
  await expect(cut).toHaveAttribute('data-damaged', 'true');
  await expect(page.getByTestId('iteration')).toHaveText('0');

  await foreign.getByTestId('discard-autosave').click();
  await cut.getByTestId('discard-autosave').click();
  await expect(offers).toHaveCount(1); // this tab's own, whole
  await page.reload();
  await waitUntilReady(page);
  await expect(offers).toHaveCount(1);
  await expect(offers).toHaveAttribute('data-damaged', 'false');

  await page.getByTestId('step-button').click();
  await waitForIteration(page, 1);
  await expect(page.getByTestId('phase')).toHaveText('Paused');
});

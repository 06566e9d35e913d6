// When the autosave cannot be written: a full storage (the autosaves' storage bucket, made with a
// small quota and filled up: the browser refuses the write) names the iteration not saved and the one
// kept, and the kept autosave still resumes after a reload; damaged records (another format, a run
// cut short) are refused with a message and an offer to discard them, and the page goes on training.
import { expect, test, type Page } from '@playwright/test';
import { TINY_RUN, trainThenPause, waitForIteration, waitUntilReady, autosaveFactory } from './helpers';

const RUN = `${TINY_RUN}&spectra=0&proxyevery=0`;

/** Runs `write` on the autosave's object store (docs/files.md) inside the page. */
async function withAutosaveStore(page: Page, write: string): Promise<void> {
  return page.evaluate(
    ([body, factory]) => {
      return new Promise<void>((resolve, reject) => {
        const open = factory.open('spectral-gan-autosave');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction('runs', 'readwrite');
          new Function('store', body)(transaction.objectStore('runs'));
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        };
      });
    },
    [write, await autosaveFactory(page)] as const,
  );
}

/** The autosaves' storage bucket's quota in this test (docs/files.md): room for a few autosaves of RUN. */
const BUCKET_QUOTA = 8_000_000;

type BucketManager = { open(name: string, options?: { quota?: number }): Promise<{ indexedDB: IDBFactory }> };

/**
 * Fills the autosaves' bucket with a database of random numbers beside the autosave's, written until
 * the browser refuses (in 256 KB, then 16 KB records): its answer and the bytes it took.
 */
async function fillBucket(page: Page): Promise<{ refusal: string; bytes: number }> {
  return page.evaluate(
    async (factory) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = factory.open('test-filler');
        open.onupgradeneeded = () => open.result.createObjectStore('filler');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const put = (doubles: number, key: number) =>
        new Promise<string>((resolve) => {
          const transaction = db.transaction('filler', 'readwrite');
          transaction.objectStore('filler').put(Float64Array.from({ length: doubles }, Math.random), key);
          transaction.oncomplete = () => resolve('written');
          transaction.onabort = () => resolve(transaction.error?.name ?? 'aborted');
        });
      let bytes = 0;
      let refusal = '';
      for (const doubles of [32_768, 2_048])
        for (let key = bytes; (refusal = await put(doubles, key)) === 'written' && key < 1e9; key++)
          bytes += doubles * 8;
      db.close();
      return { refusal, bytes };
    },
    await autosaveFactory(page),
  );
}

async function deleteFiller(page: Page): Promise<void> {
  return page.evaluate(
    async (factory) => {
      await new Promise((resolve, reject) => {
        const request = factory.deleteDatabase('test-filler');
        request.onsuccess = resolve;
        request.onerror = () => reject(request.error);
      });
    },
    await autosaveFactory(page),
  );
}

test('a full storage names the autosave not written, and the previous one stays resumable', async ({ page }) => {
  // The autosaves' bucket, made before the page makes it, with a quota the browser enforces; from a
  // blank page of the same origin, so that no run store opens it first.
  await page.route('**/blank.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
  );
  await page.goto('/blank.html');
  await page.evaluate(
    (quota) =>
      (navigator as unknown as { storageBuckets: BucketManager }).storageBuckets.open('spectral-gan-autosave', {
        quota,
      }),
    BUCKET_QUOTA,
  );
  await page.goto(RUN);
  await waitUntilReady(page);
  const kept = await trainThenPause(page, 2);
  const status = page.getByTestId('autosave-status');
  await expect(status).toContainText(`autosaved at iteration ${kept}`);

  const filled = await fillBucket(page);
  console.log(`bucket of ${BUCKET_QUOTA} bytes filled with ${filled.bytes} bytes more, then: ${filled.refusal}`);
  expect(filled.refusal).toBe('QuotaExceededError');
  await page.reload();
  await waitUntilReady(page);
  await expect(page.getByTestId('resume-offer')).toContainText(`iteration ${kept}`);
  // A new run in this tab: its first autosave would replace the kept one, and is refused.
  const lost = await trainThenPause(page, 1);
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText(`The run at iteration ${lost} was not autosaved: the browser's storage is full`);
  await expect(banner).toContainText(`the autosave of iteration ${kept} is kept`);
  await expect(banner).toContainText('used of 8.0 MB'); // the bucket's usage and quota
  await expect(status).toHaveAttribute('data-state', 'failed');
  await expect(status).toContainText(`iteration ${lost} was not autosaved`);

  await deleteFiller(page); // room again
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

test('autosaves of builds before the storage bucket are moved into it and offered', async ({ page }) => {
  await page.goto(RUN);
  await waitUntilReady(page);
  const saved = await trainThenPause(page, 1);
  await expect(page.getByTestId('autosave-status')).toContainText(`autosaved at iteration ${saved}`);
  // Where an earlier build kept them: the same records in the origin's default storage, and no bucket.
  await page.route('**/blank.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
  );
  await page.goto('/blank.html');
  const moved = await page.evaluate(async () => {
    const buckets = (
      navigator as unknown as { storageBuckets: BucketManager & { delete(name: string): Promise<void> } }
    ).storageBuckets;
    const open = (factory: IDBFactory) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = factory.open('spectral-gan-autosave');
        request.onupgradeneeded = () => request.result.createObjectStore('runs');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const done = (transaction: IDBTransaction) =>
      new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onabort = () => reject(transaction.error);
      });
    const from = await open((await buckets.open('spectral-gan-autosave')).indexedDB);
    const reading = from.transaction('runs', 'readonly').objectStore('runs');
    const [keys, values] = await Promise.all(
      [reading.getAllKeys(), reading.getAll()].map(
        (request) => new Promise<unknown[]>((resolve) => (request.onsuccess = () => resolve(request.result))),
      ),
    );
    from.close();
    const to = await open(indexedDB);
    const writing = to.transaction('runs', 'readwrite');
    keys.forEach((key, i) => writing.objectStore('runs').put(values[i], key as IDBValidKey));
    await done(writing);
    to.close();
    await buckets.delete('spectral-gan-autosave');
    return keys.length;
  });
  expect(moved).toBe(2); // the slot's summary and run records

  await page.goto(RUN);
  await waitUntilReady(page);
  await expect(page.getByTestId('resume-offer')).toContainText(`iteration ${saved}`);
  await expect
    .poll(() => page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name)))
    .not.toContain('spectral-gan-autosave');
  await page.getByTestId('resume-button').click();
  await expect(page.getByTestId('iteration')).toHaveText(String(saved));
});

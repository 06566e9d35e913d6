// Two tabs of one browser train at once: each autosaves in a slot of its own (guarded by a Web Lock
// while the tab is open), neither overwrites the other, a reload of one offers its own run (not the
// other open tab's), and once the other tab is closed its run is offered too.
import { expect, test, type Page } from '@playwright/test';
import { TINY_RUN, trainThenPause, waitUntilReady, autosaveFactory } from './helpers';

const RUN_A = `${TINY_RUN}&spectra=0&proxyevery=0`;
const RUN_B = `${TINY_RUN.replace('norm=sn', 'norm=wn')}&spectra=0&proxyevery=0`;

/** Every run record in the autosave database (docs/files.md): its slot, iteration and method. */
async function savedRuns(page: Page): Promise<{ slot: string; iteration: number; norm: string }[]> {
  const factory = await autosaveFactory(page);
  return page.evaluate((factory) => {
    return new Promise((resolve, reject) => {
      const open = factory.open('spectral-gan-autosave');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const request = open.result
          .transaction('runs', 'readonly')
          .objectStore('runs')
          .getAll(IDBKeyRange.bound('run:', 'run:\uffff'));
        request.onsuccess = () =>
          resolve(
            (request.result as { slot: string; checkpoint: { iteration: number; config: { norm: string } } }[])
              .map((r) => ({ slot: r.slot, iteration: r.checkpoint.iteration, norm: r.checkpoint.config.norm }))
              .sort((x, y) => x.norm.localeCompare(y.norm)),
          );
        request.onerror = () => reject(request.error);
      };
    });
  }, factory);
}

test('two tabs autosave in slots of their own, and a reload offers its own run', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto(RUN_A);
  await b.goto(RUN_B);
  await Promise.all([waitUntilReady(a), waitUntilReady(b)]);

  // Both train at once; each pause autosaves.
  const [atA, atB] = await Promise.all([trainThenPause(a, 2), trainThenPause(b, 3)]);
  await expect(a.getByTestId('autosave-status')).toContainText(`autosaved at iteration ${atA}`);
  await expect(b.getByTestId('autosave-status')).toContainText(`autosaved at iteration ${atB}`);
  const saved = await savedRuns(a);
  expect(saved.map(({ iteration, norm }) => ({ iteration, norm }))).toEqual([
    { iteration: atA, norm: 'sn' },
    { iteration: atB, norm: 'wn' },
  ]);
  expect(saved[0].slot).not.toBe(saved[1].slot);

  // A reload of B offers B's run only: A is open and owns its slot.
  await b.reload();
  await waitUntilReady(b);
  const offers = b.getByTestId('saved-run');
  await expect(offers).toHaveCount(1);
  await expect(offers).toHaveAttribute('data-iteration', String(atB));
  await expect(offers).toContainText('wn');
  await b.getByTestId('resume-button').click();
  await expect(b.getByTestId('iteration')).toHaveText(String(atB));
  await expect(b.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${atB}`);

  // A went on meanwhile: one more step autosaves in A's slot, B's is untouched.
  const nextA = await trainThenPause(a, atA + 1);
  await expect(a.getByTestId('autosave-status')).toContainText(`autosaved at iteration ${nextA}`);
  expect((await savedRuns(b)).map(({ iteration, norm }) => ({ iteration, norm }))).toEqual([
    { iteration: nextA, norm: 'sn' },
    { iteration: atB, norm: 'wn' },
  ]);

  // Once A is closed, its run is offered to B too, newest first.
  await a.close();
  await b.reload();
  await waitUntilReady(b);
  await expect(offers).toHaveCount(2);
  await expect(offers.first()).toHaveAttribute('data-iteration', String(nextA));
  await expect(offers.nth(1)).toHaveAttribute('data-iteration', String(atB));
});

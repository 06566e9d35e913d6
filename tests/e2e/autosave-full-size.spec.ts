// Full-size runs (standard CNN and ResNet at ch=gch=64, weights and both Adam moments) are imported,
// autosaved and exported with the page's thread free: the run store worker decodes, writes and
// encodes them, checkpoints move between threads by transfer, and the page's longest task during
// the autosave (PerformanceObserver 'longtask': the hand-over of the checkpoint, the store's reply and
// whatever the page draws meanwhile) stays at most 50 ms. Prints the sizes and times, and the page's
// other long tasks in the meantime.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { decodeRunFile } from '../../src/core/runs/run-file';
import { checkpointSize } from '../../src/ui/runs/autosave-slots';
import { fullSizeCheckpoint, writeRunFile } from './full-size-fixture';
import { waitUntilReady } from './helpers';

const ITERATION = 1000;
const LONGEST_TASK_LIMIT_MS = 50;
// backend=cpu: restoring and reading back full-size models is quickest there; the file's settings
// are the run's after the import.
const settings = (arch: string, ch: number) =>
  `dataset=shapes&arch=${arch}&ch=${ch}&gch=${ch}&zdim=128&batch=4&norm=sn&subset=64&backend=cpu` +
  '&spectra=0&proxyevery=0';

/** Records every long task of the page (Chromium's 'longtask' entries), from its first script on. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

type LongTask = { start: number; duration: number };
const longTasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks);
const longest = (tasks: LongTask[]) => Math.max(0, ...tasks.map((t) => t.duration));
const overlapping = (tasks: LongTask[], from: number, to: number) =>
  tasks.filter((t) => t.start <= to && t.start + t.duration >= from);

/** Resolves when the page marks the end of the autosave of `iteration` (a mark observer: no polling). */
function autosaveEnd(page: Page, iteration: number): Promise<void> {
  return page.evaluate(
    (iteration) =>
      new Promise<void>((resolve, reject) => {
        setTimeout(() => reject(new Error(`no autosave of iteration ${iteration} ended within 600 s`)), 600_000);
        const ended = () =>
          performance
            .getEntriesByName('autosave-end')
            .some((m) => (m as PerformanceMark).detail?.iteration === iteration);
        new PerformanceObserver((_list, observer) => {
          if (!ended()) return;
          observer.disconnect();
          resolve();
        }).observe({ type: 'mark', buffered: true });
      }),
    iteration,
  );
}

/**
 * The autosave of `iteration` on the page's thread: the task that handed the checkpoint over (it holds
 * the 'autosave-start' mark) and the one that took the store's reply ('autosave-end'), with the
 * hand-over's own time; and the window between them, in which the page goes on with other work.
 */
async function autosaveTasks(page: Page, iteration: number) {
  const { from, to, handoverMs } = await page.evaluate((iteration) => {
    const last = (name: string) =>
      performance
        .getEntriesByName(name)
        .filter((m) => (m as PerformanceMark).detail?.iteration === iteration)
        .at(-1);
    return {
      from: last('autosave-start')?.startTime ?? NaN,
      to: last('autosave-end')?.startTime ?? NaN,
      handoverMs: last('autosave-handover')?.duration ?? NaN,
    };
  }, iteration);
  const inWindow = overlapping(await longTasks(page), from, to);
  const holds = (t: LongTask, at: number) => t.start <= at && at <= t.start + t.duration;
  const own = inWindow.filter((t) => holds(t, from) || holds(t, to));
  return {
    from,
    to,
    handoverMs,
    // Where each long task of the window lies, in ms from the autosave's start (printed for a failure).
    tasks: inWindow.map((t) => `${(t.start - from).toFixed(0)}+${t.duration}`).join(' '),
    ownLongest: longest(own),
    otherLongest: longest(inWindow.filter((t) => !own.includes(t))),
  };
}

for (const arch of ['cnn', 'resnet']) {
  test(`a full-size ${arch} run (ch=gch=64) is imported, autosaved and exported off the page's thread`, async ({
    page,
  }) => {
    test.setTimeout(900_000);
    mkdirSync('test-results/full-size', { recursive: true });
    const path = `test-results/full-size/${arch}-ch64.sgrun`;
    const checkpoint = await fullSizeCheckpoint(settings(arch, 64), ITERATION);
    const { bytes: checkpointBytes } = checkpointSize(checkpoint);
    const fileBytes = writeRunFile(path, checkpoint);

    await watchLongTasks(page);
    await page.goto(`/?${settings(arch, 4)}#tab=runs`); // the Files bar is on the Runs tab
    await waitUntilReady(page);
    const importStarted = await page.evaluate(() => performance.now());
    // The resumed run's first read-back brings a checkpoint, which the run store autosaves. The test
    // waits for the autosave's end mark without polling the page: Playwright's checks of the DOM run on
    // the page's thread, force layouts, and would be counted among the page's tasks in the window.
    const autosaveEnded = autosaveEnd(page, ITERATION);
    await page.getByTestId('import-run').setInputFiles(path);
    await autosaveEnded;
    await expect(page.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${ITERATION}`);
    const importButton = page.getByTestId('import-run-button');
    const importMs = Number(await importButton.getAttribute('data-total-ms'));
    const decodeMs = Number(await importButton.getAttribute('data-decode-ms'));
    const importDone = importStarted + importMs;

    const status = page.getByTestId('autosave-status');
    await expect(status).toHaveAttribute('data-state', 'saved', { timeout: 600_000 });
    await expect(status).toHaveAttribute('data-iteration', String(ITERATION));
    await expect(status).toContainText(`autosaved at iteration ${ITERATION}`);
    const savedBytes = Number(await status.getAttribute('data-bytes'));
    const encodeMs = Number(await status.getAttribute('data-encode-ms'));
    const writeMs = Number(await status.getAttribute('data-write-ms'));
    // The restored trainer adds a little state of its own (normalizer vectors), nothing is dropped.
    expect(savedBytes).toBeGreaterThanOrEqual(checkpointBytes);
    expect(savedBytes).toBeLessThan(checkpointBytes * 1.01);
    const autosave = await autosaveTasks(page, ITERATION);
    expect(autosave.to).toBeGreaterThan(autosave.from);
    const importLongest = longest(overlapping(await longTasks(page), importStarted, importDone));

    // Export: the store encodes the checkpoint it holds; the file holds the same numbers, bit for bit.
    const exportButton = page.getByTestId('export-run');
    await expect(exportButton).toHaveText(`Export run (iteration ${ITERATION})`);
    const exportStarted = await page.evaluate(() => performance.now());
    const download = page.waitForEvent('download', { timeout: 600_000 });
    await exportButton.click();
    const file = await download;
    const exported = readFileSync((await file.path())!);
    const exportDone = await page.evaluate(() => performance.now());
    await expect(exportButton).toHaveAttribute('data-bytes', String(exported.byteLength));
    const exportEncodeMs = Number(await exportButton.getAttribute('data-encode-ms'));
    const exportLongest = longest(overlapping(await longTasks(page), exportStarted, exportDone));
    const run = decodeRunFile(exported);
    expect(run.checkpoint.iteration).toBe(ITERATION);
    expect(run.checkpoint.generator).toEqual(checkpoint.generator);
    // The moments' values in order (their names are the variables' names in each process).
    const moments = (saved: typeof checkpoint) =>
      [...saved.dOptimizer, ...saved.gOptimizer].map(({ shape, values }) => ({ shape, values }));
    expect(moments(run.checkpoint)).toEqual(moments(checkpoint));

    console.log(
      `full size ${arch} ch=gch=64: checkpoint ${checkpointBytes} bytes; import of a ${fileBytes}-byte file ` +
        `${importMs.toFixed(0)} ms (read+decode in the worker ${decodeMs} ms), ` +
        `longest page task ${importLongest} ms; ` +
        `autosave ${savedBytes} bytes: encode ${encodeMs} ms, write ${writeMs} ms, ` +
        `${(autosave.to - autosave.from).toFixed(0)} ms in all; on the page's thread: hand-over ` +
        `${autosave.handoverMs.toFixed(1)} ms, longest task of the autosave ${autosave.ownLongest} ms ` +
        `(0: none over 50 ms), longest other task meanwhile ${autosave.otherLongest} ms (0: none) ` +
        `[${autosave.tasks}]; ` +
        `export ${exported.byteLength} bytes: encode ${exportEncodeMs} ms, ` +
        `${(exportDone - exportStarted).toFixed(0)} ms to the download, longest page task ${exportLongest} ms`,
    );
    // The autosave's own tasks (the hand-over and the reply) and every other task of the page while it
    // runs: the render of the read-back that came with the checkpoint is one of them.
    expect(autosave.ownLongest).toBeLessThanOrEqual(LONGEST_TASK_LIMIT_MS);
    expect(autosave.otherLongest).toBeLessThanOrEqual(LONGEST_TASK_LIMIT_MS);
    expect(autosave.handoverMs).toBeLessThan(LONGEST_TASK_LIMIT_MS);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  });
}

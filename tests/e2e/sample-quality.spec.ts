// Sample quality on real WebGPU (SwiftShader): the proxy net trains in its own worker while the GAN
// trains, is kept in IndexedDB across a reload, is exported and imported as a file (a foreign file is
// refused and the proxy in use stays), and scores N generated images every K iterations against the
// real-data references drawn beside them.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { drawnLineVertices, iterationOf, waitUntilReady } from './helpers';

/**
 * The tiny GAN and the tiny proxy recipe (4 epochs) on 512 shapes, scored every 2 iterations on N = 64
 * images. The same proxy on the cpu backend in Node reaches 52% test accuracy (chance 10%).
 */
const QUALITY_RUN =
  '/?dataset=shapes&arch=cnn&ch=4&gch=4&zdim=16&batch=4&norm=sn&every=1&spectra=0&subset=512&' +
  'proxy=tiny&proxyevery=2&proxyn=64&backend=webgpu#tab=quality'; // the panel's tab (the hash)

async function accuracyPercent(page: Page): Promise<number> {
  const text = (await page.getByTestId('proxy-accuracy').textContent()) ?? '';
  const match = /test accuracy ([\d.]+)%/.exec(text);
  expect(match, `accuracy in "${text}"`).not.toBeNull();
  return Number(match![1]);
}

test('the proxy net trains beside the GAN, scores its samples, survives a reload and travels as a file', async ({
  page,
}) => {
  // Two workers share SwiftShader's threads on a 2-core machine: the proxy's 128 steps take 1-3 minutes.
  test.setTimeout(900_000);
  await page.goto(QUALITY_RUN);
  await waitUntilReady(page);
  const status = page.getByTestId('proxy-status');
  await expect(status).toContainText('not trained yet');
  await expect(page.getByTestId('proxy-caveat')).toContainText('not Inception');

  // Both workers at once: the GAN's iteration counter keeps moving while the proxy trains.
  await page.getByTestId('train-toggle').click();
  await page.getByTestId('proxy-train').click();
  await expect(status).toContainText('training');
  const before = await iterationOf(page);
  // The page stays smooth meanwhile: frame intervals over 2 s of proxy (and GAN) training.
  const frames = await page.evaluate(async () => {
    const intervals: number[] = [];
    let last = performance.now();
    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        intervals.push(now - last);
        last = now;
        if (intervals.length < 120) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    return intervals.sort((a, b) => a - b);
  });
  const median = frames[Math.floor(frames.length / 2)];
  console.log(
    `frame intervals while the proxy trains: median ${median.toFixed(1)} ms, p95 ` +
      `${frames[Math.floor(frames.length * 0.95)].toFixed(1)} ms`,
  );
  expect(median).toBeLessThan(50);
  await expect(page.getByTestId('proxy-accuracy')).toBeVisible({ timeout: 480_000 });
  await expect(status).toContainText('ready');
  // The GAN went on training while the proxy trained.
  expect(await iterationOf(page)).toBeGreaterThan(before);
  const accuracy = await accuracyPercent(page);
  expect(accuracy).toBeGreaterThan(30); // it learned: 3x chance
  expect(accuracy).toBeLessThanOrEqual(100);
  await expect(page.getByTestId('proxy-accuracy')).toContainText('trained in');
  await expect(page.getByTestId('proxy-reference')).toContainText('N=64');

  // Evaluations every 2 iterations once the proxy is ready.
  const chart = page.getByTestId('chart-proxies');
  await expect
    .poll(() => chart.getAttribute('data-points').then(Number), { timeout: 240_000 })
    .toBeGreaterThanOrEqual(2);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('phase')).toHaveText('Paused');
  const lines = await drawnLineVertices(chart);
  expect(lines.filter((vertices) => vertices >= 2).length).toBeGreaterThanOrEqual(4); // IS, FID, KID, classes
  await expect(page.getByTestId('proxy-cost')).toContainText(
    /G read-back [\d.]+ s \(training worker\); generation [\d.]+ s \+ scoring [\d.]+ s \(proxy worker\)/,
  );
  await expect(page.getByTestId('proxy-class-coverage')).toHaveText(/\d+ of 10/);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  // The figures, for the record (the closing note quotes them).
  for (const id of ['proxy-accuracy', 'proxy-reference', 'proxy-cost', 'proxy-class-coverage'])
    console.log(`${id}: ${await page.getByTestId(id).textContent()}`);
  await chart.screenshot({ path: test.info().outputPath('chart-proxies.png') });

  // Export: the file is a serialized proxy net.
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('proxy-export').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^proxy-tiny-shapes.*\.sgproxy$/);
  const exportedPath = await download.path();
  const exported = readFileSync(exportedPath);
  expect(exported.subarray(0, 8).toString('latin1')).toBe('SGANPRXY');

  // A reload finds it in IndexedDB: no training, the same accuracy.
  await page.reload();
  await waitUntilReady(page);
  await expect(page.getByTestId('proxy-accuracy')).toContainText('cache', { timeout: 120_000 });
  expect(await accuracyPercent(page)).toBeCloseTo(accuracy, 1);

  // A file that is not a proxy net is refused with a message; the proxy in use stays.
  await page.getByTestId('proxy-import-input').setInputFiles({
    name: 'bad.sgproxy',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('hello, not a proxy'),
  });
  await expect(page.getByTestId('error-banner')).toContainText('bad.sgproxy was not imported');
  await expect(page.getByTestId('proxy-accuracy')).toContainText('cache');

  // The exported file imports, and is measured again on this page's held-out split.
  await page
    .getByTestId('proxy-import-input')
    .setInputFiles({ name: 'mine.sgproxy', mimeType: 'application/octet-stream', buffer: exported });
  await expect(page.getByTestId('proxy-accuracy')).toContainText('imported');
  expect(await accuracyPercent(page)).toBeCloseTo(accuracy, 1);

  // The untrained generator of the reloaded run, which has not trained, is scored at iteration 0
  // (the proxy was ready): one evaluation, of iteration 0, on a page still at iteration 0.
  await expect.poll(() => chart.getAttribute('data-points').then(Number)).toBe(1);
  await expect(page.getByTestId('proxy-cost')).toContainText('last evaluation at iteration 0:');
  expect(await iterationOf(page)).toBe(0);
});

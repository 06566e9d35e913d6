// Shared checks for the end-to-end tests: they look at what the page really drew (chart paths,
// canvas pixels, the URL), not just at whether elements exist.
import { expect, type JSHandle, type Locator, type Page } from '@playwright/test';

/** A configuration small enough for software WebGPU (about a few seconds per iteration). */
// backend=webgpu: these tests are about the WebGPU path (backend=auto would time every backend first).
export const TINY_RUN = '/?dataset=shapes&arch=cnn&ch=4&gch=4&zdim=16&batch=4&norm=sn&every=1&subset=64&backend=webgpu';

export async function iterationOf(page: Page): Promise<number> {
  return Number(await page.getByTestId('iteration').textContent());
}

/** Waits until the worker has built the model (the phase reads Paused). */
export async function waitUntilReady(page: Page): Promise<void> {
  await expect(page.getByTestId('phase')).toHaveText('Paused');
}

export async function waitForIteration(page: Page, atLeast: number, timeout = 240_000): Promise<void> {
  await expect.poll(() => iterationOf(page), { timeout, intervals: [500] }).toBeGreaterThanOrEqual(atLeast);
}

/**
 * Trains until the counter reaches `atLeast`, pauses, and returns the iteration the run paused at
 * (a pause takes a checkpoint, which the autosave and the run files hold).
 */
export async function trainThenPause(page: Page, atLeast: number): Promise<number> {
  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, atLeast);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('phase')).toHaveText('Paused');
  return iterationOf(page);
}

/** Number of vertices in each drawn line of a chart (a path "M..L..L.." has 1 + #L). */
export async function drawnLineVertices(chart: Locator): Promise<number[]> {
  return chart.locator('path.chart-line').evaluateAll((paths) =>
    paths.map((path) => {
      const d = path.getAttribute('d') ?? '';
      return d.startsWith('M') ? (d.match(/[ML]/g) ?? []).length : 0;
    }),
  );
}

/** Variance of the canvas's RGB values; 0 means a blank (single-colour) canvas. */
export async function canvasVariance(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let sum = 0;
    let sumSquares = 0;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      for (let k = 0; k < 3; k++) {
        sum += data[i + k];
        sumSquares += data[i + k] * data[i + k];
        n++;
      }
    }
    const mean = sum / n;
    return sumSquares / n - mean * mean;
  });
}

export function queryOf(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

/** The 2-D toy MLP on ring8, on the cpu backend (the fastest for it): a scatter instead of the sample grid. */
export const TOY_RUN = '/?dataset=ring8&norm=sn&every=1&spectra=1&ch=8&gch=16&zdim=16&batch=64&subset=1000&backend=cpu';

/** Shows an outputs tab (tabs.ts: overview, spectra, quality, runs); panels on hidden tabs are not drawn. */
export async function showTab(page: Page, tab: 'overview' | 'spectra' | 'quality' | 'runs'): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  await expect(page.getByTestId(`tabpanel-${tab}`)).toBeVisible();
}

/**
 * The IndexedDB that holds the autosaves (docs/files.md), as a handle for page.evaluate: their
 * storage bucket's where the browser has buckets, the origin's default one elsewhere.
 */
export function autosaveFactory(page: Page): Promise<JSHandle<IDBFactory>> {
  return page.evaluateHandle(async () => {
    const buckets = (
      navigator as unknown as { storageBuckets?: { open(name: string): Promise<{ indexedDB: IDBFactory }> } }
    ).storageBuckets;
    return buckets ? (await buckets.open('spectral-gan-autosave')).indexedDB : indexedDB;
  });
}

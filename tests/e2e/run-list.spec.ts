// The run list on real WebGPU (SwiftShader): runs kept from the page are overlaid with the current
// run on the comparison chart and survive a reload; a real sweep's runs.json (written here by
// `npm run sweep` on the cpu backend) opens with its run files, and a missing run file is named.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { drawnLineVertices, TINY_RUN, trainThenPause, waitUntilReady } from './helpers';

// The run list and the comparison chart are on the Runs tab: the hash opens it.
const SN_RUN = `${TINY_RUN}&spectra=0&proxyevery=0#tab=runs`;
const SR_RUN = SN_RUN.replace('norm=sn', 'norm=sr-static');
/** A sweep small enough for a test: 2 runs of an MLP on 16 images, 4 iterations on tfjs' cpu backend. */
const SWEEP_BASE =
  'backend=cpu&dataset=shapes&arch=mlp&ch=2&gch=2&zdim=4&batch=2&subset=16&spectra=0&proxyevery=0&every=1';

/** Lines of the comparison chart that are drawn (at least two vertices). */
async function drawnLines(page: Page): Promise<number> {
  return (await drawnLineVertices(page.getByTestId('chart-compare'))).filter((n) => n >= 2).length;
}

async function trainAndKeep(page: Page, iterations: number): Promise<void> {
  await trainThenPause(page, iterations);
  await page.getByTestId('keep-run').click();
}

test('kept runs (SN, then SR-static) are overlaid with the current run and survive a reload', async ({ page }) => {
  const runs = page.getByTestId('kept-run');
  const compare = page.getByTestId('chart-compare');
  await page.goto(SN_RUN);
  await waitUntilReady(page);
  await expect(page.getByTestId('run-list-empty')).toBeVisible();

  await trainAndKeep(page, 3);
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toHaveAttribute('data-name', /^sn · shapes · it \d+$/);

  // Another method, as a fresh run from its own link; the kept SN run is still there.
  await page.goto(SR_RUN);
  await waitUntilReady(page);
  await expect(runs).toHaveCount(1);
  await trainAndKeep(page, 3);
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(1)).toHaveAttribute('data-name', /^sr-static · shapes · it \d+$/);
  await expect(runs.nth(1).getByTestId('run-query-link')).toHaveAttribute('href', /norm=sr-static/);

  // Both checked: the current run and the two kept ones, each a line with its legend entry.
  const boxes = page.getByTestId('overlay-run');
  await expect(boxes.nth(0)).toBeChecked();
  await expect(boxes.nth(1)).toBeChecked();
  await expect(compare).toHaveAttribute('data-points', '3');
  await expect.poll(() => drawnLines(page)).toBeGreaterThanOrEqual(3);
  const legend = compare.getByTestId('legend-item');
  await expect(legend).toHaveCount(3);
  await expect(legend.nth(0)).toHaveText(/^current run \(sr-static · shapes · it \d+\)$/);
  await expect(legend.nth(1)).toHaveText(/^sn · shapes/);

  await boxes.nth(0).uncheck();
  await expect(compare).toHaveAttribute('data-points', '2');
  await expect.poll(() => drawnLines(page)).toBe(2);
  await boxes.nth(0).check();
  await page.getByTestId('compare-metric').selectOption('sigmaMax');
  await expect(compare).toContainText('largest σ over D layers');
  await expect.poll(() => drawnLines(page)).toBeGreaterThanOrEqual(3);

  const names = await runs.evaluateAll((items) => items.map((item) => item.getAttribute('data-name')));
  await page.reload();
  await waitUntilReady(page);
  await expect(runs).toHaveCount(2);
  expect(await runs.evaluateAll((items) => items.map((item) => item.getAttribute('data-name')))).toEqual(names);
  await expect(boxes.nth(0)).toBeChecked();
  await expect(compare).toHaveAttribute('data-points', '2'); // the new current run has no loss yet
  await expect.poll(() => drawnLines(page)).toBe(2);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test("a sweep's runs.json opens with its run files; a run file not picked is named", async ({ page }) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'run-list-e2e-')), 'sweep');
  await promisify(execFile)(
    'npx',
    [
      'tsx',
      'src/cli/sweep.ts',
      '--grid',
      'norm=sn,sr-static',
      '--base',
      SWEEP_BASE,
      '--iterations',
      '4',
      '--parallel',
      '2',
      '--out',
      dir,
    ],
    {
      timeout: 120_000,
    },
  );
  const runList = join(dir, 'runs.json');
  const snFile = join(dir, 'runs', '01-norm-sn.json');
  const srFile = join(dir, 'runs', '02-norm-sr-static.json');
  const runs = page.getByTestId('kept-run');
  const compare = page.getByTestId('chart-compare');
  await page.goto(SN_RUN);
  await waitUntilReady(page);

  // runs.json with one of its two run files: that run loads, the other is named.
  await page.getByTestId('open-run-list').setInputFiles([runList, snFile]);
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toHaveAttribute('data-name', 'norm=sn');
  await expect(page.getByTestId('error-banner')).toContainText('norm=sr-static (runs/02-norm-sr-static.json)');
  await runs.first().getByTestId('remove-run').click();
  await expect(runs).toHaveCount(0);

  // The whole sweep, and a file that is no metrics file, named with the reason.
  const notes = join(dir, 'notes.json');
  writeFileSync(notes, '{"hello": 1}');
  await page.getByTestId('open-run-list').setInputFiles([runList, snFile, srFile, notes]);
  await expect(runs).toHaveCount(2);
  expect(await runs.evaluateAll((items) => items.map((item) => item.getAttribute('data-name')))).toEqual([
    'norm=sn',
    'norm=sr-static',
  ]);
  await expect(runs.first()).toContainText('headless · 4 read-backs');
  await expect(page.getByTestId('error-banner')).toContainText('notes.json: not a metrics file');
  await expect(compare).toHaveAttribute('data-points', '2'); // the untrained current run has no loss yet
  await expect.poll(() => drawnLines(page)).toBe(2);
  await expect(compare.getByTestId('legend-item')).toHaveText([
    /^current run \(sn · shapes · it 0\)$/,
    'norm=sn',
    'norm=sr-static',
  ]);
  // Its sigmas were read at iteration 0: one value, drawn as a dot beside the two lines.
  await page.getByTestId('compare-metric').selectOption('sigmaMax');
  await expect(compare).toHaveAttribute('data-points', '3');
  await expect.poll(() => drawnLines(page)).toBe(2);
  await expect(compare.locator('.chart-marker')).toHaveCount(1);
});

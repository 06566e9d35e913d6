// The spectral observatory on real WebGPU (SwiftShader): exact spectra taken every iteration of a
// tiny run reach the spectrum, collapse, sigma and variance panels through the spectrum worker;
// gradient norms reach their chart; CSV, legend and log controls work on the drawn charts.
import { expect, test, type Locator } from '@playwright/test';
import { TINY_RUN, canvasVariance, drawnLineVertices, showTab, waitForIteration, waitUntilReady } from './helpers';

const OBSERVED_RUN = `${TINY_RUN}&spectra=1`;

async function pointsOf(chart: Locator): Promise<number> {
  return Number(await chart.getAttribute('data-points'));
}

test('spectra, collapse indicator, gradients and variance fill their panels while training', async ({ page }) => {
  await page.goto(OBSERVED_RUN);
  await waitUntilReady(page);
  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 3);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('phase')).toHaveText('Paused');

  // Snapshots at iterations 0..3 at least, one curve each for the first layer ([3,3,3,4]: 4 values).
  const spectrum = page.getByTestId('chart-spectrum');
  await expect.poll(() => pointsOf(spectrum)).toBeGreaterThanOrEqual(4);
  const curves = await drawnLineVertices(spectrum);
  expect(curves.length).toBeGreaterThanOrEqual(4);
  for (const vertices of curves) expect(vertices).toBe(4);
  await expect.poll(() => canvasVariance(page.getByTestId('spectrum-heatmap'))).toBeGreaterThan(0);

  // All layers at once: one small chart per D layer; the 7 convs draw a curve per snapshot (the
  // dense layer [32, 1] has a single singular value, a point rather than a curve).
  await page.getByTestId('spectrum-layer-select').selectOption('all');
  await expect.poll(async () => (await drawnLineVertices(spectrum)).length).toBeGreaterThanOrEqual(7 * 4);

  // Collapse indicator: a line per layer through every snapshot.
  const collapse = page.getByTestId('chart-collapse');
  const collapseLines = await drawnLineVertices(collapse);
  expect(collapseLines.length).toBe(8);
  for (const vertices of collapseLines) expect(vertices).toBeGreaterThanOrEqual(4);
  await expect(collapse).toContainText('stable rank');

  // Exact s_1 markers beside the power-iteration estimate.
  await expect
    .poll(() => page.getByTestId('chart-sigma').locator('.chart-marker').count())
    .toBeGreaterThanOrEqual(8 * 4);

  // Gradients: per layer plus the total, from iteration 1 on (iteration 0 has no D update yet).
  // Gradients and variance are on their own tab (a hidden tab's charts are not drawn).
  await showTab(page, 'spectra');
  const gradients = page.getByTestId('chart-gradients');
  await expect.poll(async () => (await drawnLineVertices(gradients)).length).toBe(9);
  const gradientLines = await drawnLineVertices(gradients);
  expect(gradientLines.length).toBe(9);
  for (const vertices of gradientLines) expect(vertices).toBeGreaterThanOrEqual(3);

  // A legend entry hides its series, and shows it again.
  const firstLegend = gradients.getByTestId('legend-item').first();
  await firstLegend.click();
  await expect(firstLegend).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await drawnLineVertices(gradients)).length).toBe(8);
  await firstLegend.click();
  await expect.poll(async () => (await drawnLineVertices(gradients)).length).toBe(9);

  // CSV of the raw rows: a header and one row per read-back.
  const download = page.waitForEvent('download');
  await page.getByTestId('csv-gradients').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('chart-gradients.csv');
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const lines = text.trim().split('\n');
  expect(lines[0].split(',')[0]).toBe('iteration');
  expect(lines.length - 1).toBe(await pointsOf(gradients));

  // Variance against the bounds, for every layer at the latest snapshot.
  const variance = page.getByTestId('chart-variance');
  expect(await pointsOf(variance)).toBeGreaterThanOrEqual(4);
  await expect(variance).toContainText('1/max(m, n)');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('a collapse alarm is raised, listed and marked on every time chart', async ({ page }) => {
  // A hair trigger: any 1% drop of a layer's indicator from the snapshot before it alarms, so the
  // path from detector to page shows in a few iterations (the rule itself is unit-tested).
  await page.goto(`${OBSERVED_RUN}&collapsedrop=0.01&collapsewindow=1&collapsepersist=1&lr=0.01`);
  await waitUntilReady(page);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('collapse-alarm')).toBeVisible({ timeout: 240_000 });
  await page.getByTestId('train-toggle').click();
  const banner = page.getByTestId('collapse-alarm');
  await expect(banner).toContainText(/Spectral collapse: .+ at iteration \d+/);
  await waitUntilReady(page);
  // Snapshots already taken may still be in the spectrum worker (on SwiftShader one can take several
  // seconds), so alarms can arrive after the pause. Read the count and every chart's marks together
  // until they agree and the count has held for 3 s.
  // chart-gradients first: the last one read leaves its tab shown, and the collapse chart is measured below.
  const charts = ['chart-gradients', 'chart-loss', 'chart-sigma', 'chart-collapse'];
  const pairs = (locator: Locator) =>
    locator.evaluateAll((elements) =>
      elements.map((element) => `${element.getAttribute('data-iteration')}|${element.getAttribute('data-layer')}`),
    );
  // chart-gradients is on the spectra tab: each chart is read with its tab shown (hidden ones are not drawn).
  const marksOf = async (chart: string) => {
    await showTab(page, chart === 'chart-gradients' ? 'spectra' : 'overview');
    await expect(page.getByTestId(chart).locator('.chart-surface').first()).toBeVisible();
    return pairs(page.getByTestId(chart).locator('[data-testid="alarm-mark"]'));
  };
  await expect
    .poll(
      async () => {
        const before = await banner.getAttribute('data-count');
        await page.waitForTimeout(3000);
        const count = await banner.getAttribute('data-count');
        const lengths: number[] = [];
        for (const chart of charts) lengths.push((await marksOf(chart)).length); // one tab at a time
        return before === count && lengths.every((length) => length === Number(count));
      },
      { timeout: 120_000 },
    )
    .toBe(true);
  // Every alarm of the run (the banner counts them and lists the latest) is one mark on every time
  // chart, at the alarm's iteration and for its layer.
  const count = Number(await banner.getAttribute('data-count'));
  const listed = await pairs(banner.locator('li'));
  expect(listed.length).toBeGreaterThanOrEqual(1);
  for (const chart of charts) {
    const marks = await marksOf(chart);
    expect(marks, chart).toHaveLength(count);
    for (const pair of listed) expect(marks, `${chart} marks ${pair}`).toContain(pair);
    for (const pair of marks) expect(pair, chart).toMatch(/^\d+\|D\.(conv|dense)\d*$/);
  }
  // The collapse chart's marks sit at their iterations: left to right in iteration order.
  const positions = await page
    .getByTestId('chart-collapse')
    .locator('[data-testid="alarm-mark"]')
    .evaluateAll((elements) =>
      elements.map((element) => ({
        iteration: Number(element.getAttribute('data-iteration')),
        x: element.getBoundingClientRect().left,
      })),
    );
  positions.sort((a, b) => a.iteration - b.iteration);
  for (let i = 1; i < positions.length; i++) {
    if (positions[i].iteration > positions[i - 1].iteration) expect(positions[i].x).toBeGreaterThan(positions[i - 1].x);
    else expect(Math.abs(positions[i].x - positions[i - 1].x)).toBeLessThan(1);
  }
});

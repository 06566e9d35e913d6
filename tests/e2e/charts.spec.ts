// The charts' own behaviour (src/ui/charts/ChartPlot.tsx draws them as plain SVG): one path per
// visible series through every read-back, the hovered read-back's exact values in the tooltip (the
// same numbers as the chart's CSV), legend entries that hide and show a series, and a log axis with
// ticks at 1, 2 and 5 times powers of ten.
import { expect, test, type Page } from '@playwright/test';
import { drawnLineVertices, TOY_RUN, trainThenPause } from './helpers';

async function csvRows(page: Page, name: string): Promise<string[][]> {
  const download = page.waitForEvent('download');
  await page.getByTestId(`csv-${name}`).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

test('a chart draws every read-back, shows exact values on hover, hides series and takes a log axis', async ({
  page,
}) => {
  await page.goto(`${TOY_RUN}&spectra=0`);
  const iteration = await trainThenPause(page, 12);
  const chart = page.getByTestId('chart-loss');
  const points = Number(await chart.getAttribute('data-points'));
  expect(points).toBeGreaterThanOrEqual(iteration);
  const rows = await csvRows(page, 'loss');
  expect(rows[0]).toEqual(['iteration', 'D loss', 'G loss']);
  expect(rows.length - 1).toBe(points);

  // D loss and G loss: a smoothed line each over a faint raw one, through every read-back with a loss
  // (the untrained read-back at iteration 0 has none).
  const withLoss = (column: number) => rows.slice(1).filter((row) => row[column] !== '').length;
  const lines = [withLoss(1), withLoss(2)];
  expect(lines[0]).toBeGreaterThanOrEqual(points - 1);
  expect(await drawnLineVertices(chart)).toEqual(lines);
  await expect(chart.locator('path.chart-line-raw')).toHaveCount(2);

  // Hovering the right edge of the plot shows the last read-back; its raw losses are the CSV's.
  const last = rows.at(-1)!;
  const plot = chart.locator('.chart-plot');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width - 18, box.y + box.height / 2);
  const tooltip = chart.locator('.chart-tooltip');
  await expect(tooltip).toContainText(`iteration ${last[0]}`);
  await expect(tooltip).toContainText(`(raw ${Number(last[1]).toPrecision(6)})`);
  await expect(tooltip).toContainText(`(raw ${Number(last[2]).toPrecision(6)})`);
  await page.mouse.move(0, 0);
  await expect(tooltip).toHaveCount(0);

  // The legend hides and shows a series.
  const gLoss = chart.getByTestId('legend-item').filter({ hasText: 'G loss' });
  await gLoss.click();
  await expect(gLoss).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => drawnLineVertices(chart)).toEqual([lines[0]]);
  await gLoss.click();
  await expect.poll(() => drawnLineVertices(chart)).toEqual(lines);

  // Log axis: every y tick is 1, 2 or 5 times a power of ten.
  await page.getByTestId('log-loss').check();
  const ticks = await chart.locator('.chart-tick-y').allTextContents();
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  for (const tick of ticks) {
    const value = Number(tick);
    const mantissa = Number((value / 10 ** Math.floor(Math.log10(value) + 1e-9)).toPrecision(3));
    expect([1, 2, 5], `tick ${tick}`).toContain(mantissa);
  }
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

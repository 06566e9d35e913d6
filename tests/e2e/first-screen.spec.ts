// The first five minutes (issue 16): at 1440x900 the run controls, the samples (or the 2-D scatter),
// the losses, σ, the spectrum and the collapse indicator are all on screen without scrolling, once a
// tiny run has drawn them; a #tab= link opens its tab; a panel's ? opens its note; the dark scheme
// reaches the charts.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { queryOf, TINY_RUN, TOY_RUN, waitForIteration, waitUntilReady } from './helpers';

const WIDTH = 1440;
const HEIGHT = 900;
test.use({ viewport: { width: WIDTH, height: HEIGHT } });

/** The panels the first screen must show, by name, with the element that stands for each. */
function firstScreenPanels(page: Page, pointData: boolean): [string, Locator][] {
  return [
    ['run controls', page.getByRole('region', { name: 'Run' })],
    pointData ? ['scatter', page.getByTestId('toy-scatter-panel')] : ['samples', page.getByTestId('samples')],
    ['losses', page.getByTestId('chart-loss')],
    ['sigma', page.getByTestId('chart-sigma')],
    ['spectrum', page.getByTestId('chart-spectrum')],
    ['collapse indicator', page.getByTestId('chart-collapse')],
  ];
}

/** Trains a step or two and waits until every first-screen chart holds data. */
async function drawFirstScreen(page: Page, iterations: number): Promise<void> {
  await waitUntilReady(page);
  for (let i = 1; i <= iterations; i++) {
    await page.getByTestId('step-button').click();
    await waitForIteration(page, i);
  }
  for (const id of ['chart-loss', 'chart-sigma', 'chart-spectrum', 'chart-collapse']) {
    await expect
      .poll(() => page.getByTestId(id).getAttribute('data-points').then(Number), { message: id })
      .toBeGreaterThan(0);
    await expect(page.getByTestId(id).locator('.chart-surface').first()).toBeVisible();
  }
}

async function expectAllInView(page: Page, pointData: boolean, label: string): Promise<void> {
  const inView: string[] = [];
  for (const [name, panel] of firstScreenPanels(page, pointData)) {
    const box = await panel.boundingBox();
    expect(box, `${name} is laid out`).not.toBeNull();
    const { x, y, width, height } = box!;
    inView.push(`${name}: x ${x.toFixed(0)}, y ${y.toFixed(0)}, ${width.toFixed(0)}x${height.toFixed(0)}`);
    expect(width, `${name} width`).toBeGreaterThan(0);
    expect(height, `${name} height`).toBeGreaterThan(0);
    expect(y, `${name} top`).toBeGreaterThanOrEqual(0);
    expect(y + height, `${name} bottom`).toBeLessThanOrEqual(HEIGHT);
    expect(x, `${name} left`).toBeGreaterThanOrEqual(0);
    expect(x + width, `${name} right`).toBeLessThanOrEqual(WIDTH);
  }
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  console.log(`In view at ${WIDTH}x${HEIGHT} (${label}):\n  ${inView.join('\n  ')}`);
}

test('the image run: controls, samples and the four charts fit the first screen', async ({ page }, testInfo) => {
  await page.goto(`${TINY_RUN}&spectra=1&proxyevery=0`);
  await drawFirstScreen(page, 1);
  await expect.poll(() => page.getByTestId('samples').getAttribute('data-iteration').then(Number)).toBeGreaterThan(0);
  await expectAllInView(page, false, 'shapes, standard CNN');
  await page.screenshot({ path: testInfo.outputPath('first-screen-shapes.png') });
});

test('the toy run: controls, scatter and the four charts fit the first screen', async ({ page }, testInfo) => {
  await page.goto(TOY_RUN);
  await drawFirstScreen(page, 2);
  await expect
    .poll(() => page.getByTestId('toy-scatter').getAttribute('data-iteration').then(Number))
    .toBeGreaterThan(0);
  await expectAllInView(page, true, 'ring8, toy MLP');
  await page.screenshot({ path: testInfo.outputPath('first-screen-ring8.png') });
});

test('a #tab= link opens its tab; choosing a tab rewrites the hash, never the query', async ({ page }) => {
  await page.goto(`${TOY_RUN}#tab=spectra`);
  await waitUntilReady(page);
  await expect(page.getByTestId('tab-spectra')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tabpanel-spectra')).toBeVisible();
  await expect(page.getByTestId('chart-gradients')).toBeVisible();
  await expect(page.getByTestId('tabpanel-overview')).toBeHidden();
  // Panels on hidden tabs stay in the page (tests and devtools can read them).
  await expect(page.getByTestId('chart-loss')).toHaveCount(1);

  const query = queryOf(page).toString();
  await page.getByTestId('tab-quality').click();
  await expect(page.getByTestId('chart-modes')).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#tab=quality');
  expect(queryOf(page).toString()).toBe(query);
  // Arrow keys move between tabs (WAI-ARIA tabs).
  await page.getByTestId('tab-quality').press('ArrowRight');
  await expect(page.getByTestId('tab-runs')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-runs')).toBeFocused();
  await page.getByTestId('tab-overview').click();
  expect(new URL(page.url()).hash).toBe('');
  await expect(page.getByTestId('chart-spectrum')).toBeVisible();
  // A config change keeps the tab's hash out of the query, and the hash survives it.
  await page.getByTestId('tab-spectra').click();
  await page.getByTestId('field-seed').fill('7');
  await page.getByTestId('field-seed').press('Enter');
  await expect.poll(() => queryOf(page).get('seed')).toBe('7');
  expect(new URL(page.url()).hash).toBe('#tab=spectra');
  expect(queryOf(page).has('tab')).toBe(false);
});

test("a panel's ? opens what to look for and the experiment that shows it", async ({ page }) => {
  await page.goto(TOY_RUN);
  await waitUntilReady(page);
  const toggle = page.getByTestId('help-chart-collapse');
  const note = page.getByTestId('help-note-chart-collapse');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(note).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(note).toBeVisible();
  await expect(note).toContainText('spectral collapse');
  const link = note.getByTestId('help-experiment-link');
  await expect(link).toHaveAttribute('data-experiment-id', 'spectral-collapse-sr');
  await expect(link).toHaveAttribute('href', /^\?dataset=grid25&.*norm=sn/);
  await toggle.click();
  await expect(note).toBeHidden();
  // A link to an experiment watching a panel of another tab opens that tab.
  await page.getByTestId('help-chart-sigma').click();
  await expect(page.getByTestId('help-note-chart-sigma').getByTestId('help-experiment-link').first()).toBeVisible();
  await page.getByTestId('tab-spectra').click();
  await page.getByTestId('help-chart-lipschitz').click();
  const lipschitzLink = page.getByTestId('help-note-chart-lipschitz').getByTestId('help-experiment-link');
  await expect(lipschitzLink).toHaveAttribute('href', /#tab=spectra$/);
});

/** Relative luminance (0 black to 1 white) of a CSS rgb() colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => Number(c) / 255);
  const f = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

test('the dark scheme darkens the page and lightens the charts, and follows the system live', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(TOY_RUN);
  await drawFirstScreen(page, 1);
  const pageBackground = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const axisText = () =>
    page
      .getByTestId('chart-loss')
      .locator('.chart-tick')
      .first()
      .evaluate((text) => getComputedStyle(text).fill);
  const panelBackground = () =>
    page.getByTestId('chart-loss').evaluate((panel) => getComputedStyle(panel).backgroundColor);
  expect(luminance(await pageBackground())).toBeLessThan(0.05);
  expect(luminance(await panelBackground())).toBeLessThan(0.05);
  expect(luminance(await axisText())).toBeGreaterThan(0.3);

  await page.emulateMedia({ colorScheme: 'light' });
  expect(luminance(await pageBackground())).toBeGreaterThan(0.8);
  expect(luminance(await axisText())).toBeLessThan(0.2);
});

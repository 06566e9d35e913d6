// Live normalization switching on real WebGPU (SwiftShader): switches made while training, and
// switches planned in the link's schedule, take effect without a reset and are marked on every
// time chart. Also the ResNet, the method parameter controls and the presets.
import { expect, test, type Page } from '@playwright/test';
import { drawnLineVertices, iterationOf, queryOf, waitForIteration, waitUntilReady } from './helpers';

/** Tiny run; srevery=1 so SR really runs at every iteration once it is switched on. */
const TINY = 'dataset=shapes&ch=4&gch=4&zdim=16&batch=4&subset=64&every=1&srevery=1&backend=webgpu';

async function marks(page: Page, chart: string): Promise<{ iteration: number; to: string }[]> {
  return page
    .getByTestId(chart)
    .locator('[data-testid="switch-mark"]')
    .evaluateAll((lines) =>
      lines.map((l) => ({ iteration: Number(l.getAttribute('data-iteration')), to: l.getAttribute('data-to') ?? '' })),
    );
}

test('switching bssn, sr-static, none while training goes on without a reset and marks each switch', async ({
  page,
}) => {
  await page.goto(`/?${TINY}&arch=cnn&norm=sn`);
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
  await waitUntilReady(page);
  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 1);

  const windows: [number, number][] = [];
  for (const norm of ['bssn', 'sr-static', 'none']) {
    const before = await iterationOf(page);
    await page.getByTestId('norm-select').selectOption(norm);
    await expect(page.getByTestId('norm-select')).toHaveValue(norm);
    await expect.poll(() => queryOf(page).get('norm')).toBe(norm);
    await expect(page.getByTestId('run-notice')).toContainText('applied live');
    if (norm === 'bssn') {
      // Its parameter appears and applies live too; SR's are hidden while neither is in use.
      await expect(page.getByTestId('field-bssnc')).toBeVisible();
      await expect(page.getByTestId('field-srfrac')).toHaveCount(0);
      await page.getByTestId('field-bssnc').fill('2');
      await page.getByTestId('field-bssnc').press('Enter');
      await expect.poll(() => queryOf(page).get('bssnc')).toBe('2');
      await expect(page.getByTestId('run-notice')).toContainText('bssnc applied live');
    }
    // At least two more iterations: one whole iteration ran with the new method, no reset.
    await waitForIteration(page, before + 2);
    windows.push([before, await iterationOf(page)]);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  }
  await expect(page.getByTestId('phase')).toHaveText('Training');

  for (const chart of ['chart-loss', 'chart-sigma']) {
    await expect.poll(async () => (await marks(page, chart)).map((m) => m.to)).toEqual(['bssn', 'sr-static', 'none']);
    const at = (await marks(page, chart)).map((m) => m.iteration);
    // Each switch is marked at the iteration it took effect: after it was chosen, before the checks.
    at.forEach((iteration, i) => {
      expect(iteration).toBeGreaterThanOrEqual(windows[i][0]);
      expect(iteration).toBeLessThan(windows[i][1]);
    });
    await expect(page.getByTestId(chart)).toContainText('→ sr-static');
  }
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('a scheduled switch in the link happens at its iteration and is marked there', async ({ page }) => {
  await page.goto(`/?${TINY}&arch=cnn&norm=sn&schedule=3:sr-dynamic`);
  await waitUntilReady(page);
  await expect(page.getByTestId('field-schedule')).toHaveValue('3:sr-dynamic');
  // The scheduled method's parameters are shown beforehand, so they can be set.
  await expect(page.getByTestId('field-srevery')).toBeVisible();
  await expect(page.getByTestId('norm-select')).toHaveValue('sn');

  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 4); // iteration 3 ran with sr-dynamic
  await expect.poll(() => marks(page, 'chart-loss')).toEqual([{ iteration: 3, to: 'sr-dynamic' }]);
  await expect.poll(() => marks(page, 'chart-sigma')).toEqual([{ iteration: 3, to: 'sr-dynamic' }]);
  await expect(page.getByTestId('chart-loss')).toContainText('→ sr-dynamic');
  await expect(page.getByTestId('norm-select')).toHaveValue('sr-dynamic');
  await expect(page.getByTestId('norm-in-use')).toContainText('schedule');
  // The link still starts with sn and replays the switch.
  expect(queryOf(page).get('norm')).toBe('sn');
  expect(queryOf(page).get('schedule')).toBe('3:sr-dynamic');
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  // Picking sn again (the URL's value) still switches back, live.
  const before = await iterationOf(page);
  await page.getByTestId('norm-select').selectOption('sn');
  await page.getByTestId('step-button').click();
  await waitForIteration(page, before + 1);
  await expect.poll(async () => (await marks(page, 'chart-loss')).map((m) => m.to)).toEqual(['sr-dynamic', 'sn']);
  await expect(page.getByTestId('norm-select')).toHaveValue('sn');
});

test('the ResNet trains on WebGPU, with a sigma line for every D weight (1x1 shortcuts included)', async ({ page }) => {
  await page.goto(`/?${TINY}&arch=resnet&norm=sn`);
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
  await waitUntilReady(page);
  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 2);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('phase')).toHaveText('Paused');
  await expect.poll(async () => (await drawnLineVertices(page.getByTestId('chart-sigma'))).length).toBe(11);
  await expect(page.getByTestId('chart-sigma')).toContainText('D.block2.shortcut');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('schedule edits are checked by the URL codec; presets write fields and are recognized', async ({ page }) => {
  await page.goto(`/?${TINY}&arch=cnn&norm=sn`);
  await waitUntilReady(page);

  const schedule = page.getByTestId('field-schedule');
  await schedule.fill('40:bogus');
  await schedule.press('Enter');
  await expect(page.getByTestId('field-schedule-problem')).toContainText('unknown method "bogus"');
  expect(queryOf(page).get('schedule')).toBe('');
  await schedule.fill('40:wn,20:clip');
  await schedule.press('Enter');
  await expect.poll(() => queryOf(page).get('schedule')).toBe('20:clip,40:wn');
  await expect(page.getByTestId('field-clipc')).toBeVisible(); // scheduled method's parameter

  const preset = page.getByTestId('preset-select');
  await expect(preset).toHaveValue('custom');
  await preset.selectOption('sr-512-16');
  await expect
    .poll(() => ['arch', 'ch', 'gch', 'batch', 'lr', 'beta1', 'beta2', 'ndis', 'loss'].map((k) => queryOf(page).get(k)))
    .toEqual(['resnet', '8', '64', '512', '0.0002', '0', '0.9', '5', 'hinge']);
  await expect(preset).toHaveValue('sr-512-16');
  await expect(page.getByTestId('preset-warning')).toContainText('Collapse-prone under SN');
  // Normalization and schedule are the person's, not the preset's.
  expect(queryOf(page).get('norm')).toBe('sn');
  expect(queryOf(page).get('schedule')).toBe('20:clip,40:wn');

  // The resulting link is recognized when opened (the model is not built: too big for software WebGPU).
  await page.goto(`/?${new URL(page.url()).searchParams.toString()}`);
  await expect(page.getByTestId('preset-select')).toHaveValue('sr-512-16');
  await page.getByTestId('optimizer-preset-select').selectOption('D');
  await expect(page.getByTestId('preset-select')).toHaveValue('custom');
});

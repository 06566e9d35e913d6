// axe's audit of the page (tests/e2e runs it with @axe-core/playwright) after a tiny run has drawn its
// charts, on every tab, with the experiments panel and a help note open, in the light and dark schemes.
// Nothing serious or critical may be found; what is found is printed, so a report can quote it.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { TINY_RUN, showTab, waitForIteration, waitUntilReady } from './helpers';

const TABS = ['overview', 'spectra', 'quality', 'runs'] as const;

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds nothing serious or critical in the ${colorScheme} scheme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto(`${TINY_RUN}&spectra=1&proxyevery=0`);
    await waitUntilReady(page);
    await page.getByTestId('step-button').click();
    await waitForIteration(page, 1);
    await expect(page.getByTestId('chart-loss')).not.toHaveAttribute('data-points', '0');
    await page.getByTestId('experiments-toggle').click();
    await page.getByTestId('help-chart-sigma').click();

    const serious: string[] = [];
    for (const tab of TABS) {
      await showTab(page, tab);
      const { violations, incomplete } = await new AxeBuilder({ page }).analyze();
      const summary = (results: typeof violations) =>
        results.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ') || 'none';
      console.log(`${colorScheme} ${tab}: violations ${summary(violations)}; needs review ${summary(incomplete)}`);
      for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        serious.push(`${tab}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
      }
    }
    expect(serious).toEqual([]);
  });
}

// (c) A malformed link never breaks the page: each rejected field is named, its default is used.
// Also: the Share button copies the canonical link.
import { expect, test } from '@playwright/test';
import { decodeConfig } from '../../src/core/config/url-codec';
import { fieldSpec } from '../../src/core/config/schema';
import { TINY_RUN, queryOf, waitUntilReady } from './helpers';

test('a malformed URL names the rejected fields and the controls show the defaults', async ({ page }) => {
  await page.goto('/?lr=abc&batch=99999&norm=bogus');
  const banner = page.getByTestId('error-banner');
  await expect(banner).toBeVisible();
  for (const name of ['lr', 'batch', 'norm']) await expect(banner).toContainText(`${name}=`);

  await expect(page.getByTestId('field-lr')).toHaveValue(String(fieldSpec('lr').default));
  await expect(page.getByTestId('field-batch')).toHaveValue(String(fieldSpec('batch').default));
  await expect(page.getByTestId('norm-select')).toHaveValue(String(fieldSpec('norm').default));

  // The URL was replaced by the canonical one, which decodes without errors.
  await expect.poll(() => queryOf(page).get('lr')).toBe(String(fieldSpec('lr').default));
  expect(decodeConfig(new URL(page.url()).search).errors).toEqual([]);
  await expect(page.getByTestId('backend')).toHaveText(/^(webgpu|webgl|cpu)$/);
});

test('Share copies the link and says so', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(TINY_RUN);
  await waitUntilReady(page);
  await page.getByTestId('share-button').click();
  await expect(page.getByText('Link copied')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
});

test('Share falls back to a selectable link when the clipboard is refused', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await page.goto(TINY_RUN);
  await page.getByTestId('share-button').click();
  await expect(page.getByText('Copy this link:')).toBeVisible();
  await expect(page.getByLabel('Link to this run')).toHaveValue(page.url());
});

test('a field error is tied to its field, and the run phase is a live region', async ({ page }) => {
  await page.goto(TINY_RUN);
  await waitUntilReady(page);
  const lr = page.getByTestId('field-lr');
  await lr.fill('-5');
  await lr.press('Enter');
  await expect(lr).toHaveAttribute('aria-invalid', 'true');
  const describedBy = await lr.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  // What a screen reader reads for the field is the problem text itself.
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveText(/.+/);
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('phase')).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByTestId('phase')).toHaveAttribute('role', 'status');
});

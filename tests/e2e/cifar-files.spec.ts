// (d) CIFAR-10 files picked in the data panel: a truncated file is named in a message and the data
// set in use stays; a well-formed file becomes the data set.
import { expect, test } from '@playwright/test';
import { TINY_RUN, queryOf, waitForIteration, waitUntilReady } from './helpers';

const RECORD_BYTES = 3073; // 1 label byte + 32*32*3 pixel bytes

/** `records` CIFAR-10 records with labels cycling 0-9 and varied pixels. */
function cifarBatch(records: number): Buffer {
  const bytes = Buffer.alloc(records * RECORD_BYTES);
  for (let r = 0; r < records; r++) {
    bytes[r * RECORD_BYTES] = r % 10;
    for (let p = 1; p < RECORD_BYTES; p++) bytes[r * RECORD_BYTES + p] = (p * 7 + r * 31) % 256;
  }
  return bytes;
}

test('a truncated data_batch_1.bin is named and the current data set stays loaded', async ({ page }) => {
  await page.goto(TINY_RUN);
  await waitUntilReady(page);
  const summary = page.getByTestId('data-summary');
  await expect(summary).toContainText('shapes');
  const before = await summary.textContent();

  await page.getByTestId('cifar-file-input').setInputFiles({
    name: 'data_batch_1.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(5000, 3),
  });
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('data_batch_1.bin');
  await expect(banner).toContainText('truncated');

  await expect(summary).toHaveText(before ?? '');
  await expect(page.getByTestId('field-dataset')).toHaveValue('shapes');
  expect(queryOf(page).get('dataset')).toBe('shapes');
  await page.getByTestId('step-button').click();
  await waitForIteration(page, 1);
});

test('a well-formed batch file becomes the data set', async ({ page }) => {
  await page.goto(TINY_RUN);
  await waitUntilReady(page);
  await page.getByTestId('cifar-file-input').setInputFiles({
    name: 'data_batch_1.bin',
    mimeType: 'application/octet-stream',
    buffer: cifarBatch(20),
  });
  await expect(page.getByTestId('data-summary')).toContainText('CIFAR-10');
  await expect(page.getByTestId('field-dataset')).toHaveValue('cifar10');
  expect(queryOf(page).get('dataset')).toBe('cifar10');
  await waitUntilReady(page);
  await page.getByTestId('step-button').click();
  await waitForIteration(page, 1);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('choosing cifar10 with no files on the server says how to get them and keeps the run', async ({
  page,
  context,
}) => {
  // Whatever this checkout holds under public/data, the server has no CIFAR-10 here.
  await context.route('**/data/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(TINY_RUN);
  await waitUntilReady(page);
  await page.getByTestId('field-dataset').selectOption('cifar10');
  await expect(page.getByTestId('error-banner')).toContainText('CIFAR-10 not found');
  await expect(page.getByTestId('field-dataset')).toHaveValue('shapes');
  expect(queryOf(page).get('dataset')).toBe('shapes');
  await expect(page.getByTestId('data-summary')).toContainText('shapes');
  await page.getByTestId('step-button').click();
  await waitForIteration(page, 1);
});

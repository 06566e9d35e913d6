// The Experiments panel on real WebGPU (SwiftShader): opening an experiment's run only sets the
// URL's fields (a fresh run, paused), outlines and scrolls to the watched chart, survives a reload
// (derived from the URL), and after a few read-backs shows a verdict with figures.
import { expect, test } from '@playwright/test';
import { findExperiment } from '../../src/core/experiments/catalogue';
import { TINY_RUN, canvasVariance, iterationOf, queryOf, showTab, waitForIteration, waitUntilReady } from './helpers';

const EXPERIMENT = findExperiment('sn-bounds-sigma')!;

test('an experiment run opens from its link, is watched, survives a reload and reads a live verdict', async ({
  page,
}) => {
  // A tiny run that is no experiment's: the panel starts collapsed, with nothing open.
  await page.goto(TINY_RUN);
  await waitUntilReady(page);
  const panel = page.getByTestId('experiments');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('data-open-experiment', '');
  await panel.getByTestId('experiments-toggle').click();

  const item = panel.locator(`[data-experiment-id="${EXPERIMENT.id}"]`);
  await expect(item).toContainText(EXPERIMENT.title);
  const runLinks = item.getByTestId('experiment-run-link');
  await expect(runLinks).toHaveCount(EXPERIMENT.runs.length);
  // Plain links, so a run can be shared or opened in a new tab.
  await expect(runLinks.first()).toHaveAttribute('href', `?${EXPERIMENT.runs[0].query}`);

  await item.getByTestId('experiment-open').click();
  await expect.poll(() => queryOf(page).get('norm')).toBe('none');
  const query = queryOf(page);
  for (const [key, value] of new URLSearchParams(EXPERIMENT.runs[0].query)) expect(query.get(key), key).toBe(value);
  expect(query.get('dataset')).toBe('ring8');
  // Opening does not train: a fresh run, paused at iteration 0.
  await expect(page.getByTestId('data-summary')).toContainText('points');
  await waitUntilReady(page);
  expect(await iterationOf(page)).toBe(0);

  const watched = page.getByTestId(EXPERIMENT.watch);
  await expect(watched).toHaveClass(/experiment-watch/);
  await expect(watched).toHaveAttribute('data-experiment-watch', EXPERIMENT.id);
  await expect(watched).toBeInViewport();
  await expect(page.locator('[data-experiment-watch]')).toHaveCount(1);

  // The open experiment comes from the URL alone: a reload shows it again, expanded, with its verdict.
  await page.reload();
  await waitUntilReady(page);
  await expect(panel).toHaveAttribute('data-open-experiment', EXPERIMENT.id);
  const verdict = item.getByTestId('experiment-verdict');
  await expect(verdict).toBeVisible();
  await expect(item).toContainText('chart-compare');
  await expect(page.getByTestId(EXPERIMENT.watch)).toHaveClass(/experiment-watch/);

  // Two read-backs after iteration 0 (the run reads back every 20 iterations).
  await page.getByTestId('train-toggle').click();
  await waitForIteration(page, 40);
  await page.getByTestId('train-toggle').click();
  await waitUntilReady(page);

  await expect(verdict).toContainText(/PASS|FAIL|pending/);
  // Only the none run is in the page: its own checks have figures, the verdict waits for the sn run.
  await expect.poll(() => verdict.getAttribute('data-figures').then(Number)).toBeGreaterThanOrEqual(1);
  await expect(verdict).toContainText('none:');
  await expect(verdict).toHaveAttribute('data-status', 'pending');
  await expect(item).toContainText('no data yet');

  // The watched chart drew data: a line with at least two vertices.
  const lipschitz = page.getByTestId('chart-lipschitz');
  await expect
    .poll(() =>
      lipschitz
        .locator('path.chart-line')
        .evaluateAll((paths) =>
          paths.some((path) => ((path.getAttribute('d') ?? '').match(/[ML]/g) ?? []).length >= 2),
        ),
    )
    .toBe(true);
  // The 2-D heat map of D's output drew a field of this run: it is on the Training tab, which a hidden
  // panel catches up with when shown (Tabs.tsx).
  await showTab(page, 'overview');
  const heatmap = page.getByTestId('toy-heatmap');
  await expect
    .poll(() => heatmap.getAttribute('data-field-iteration').then((value) => (value === null ? -1 : Number(value))))
    .toBeGreaterThanOrEqual(0);
  if (await heatmap.evaluate((element) => element instanceof HTMLCanvasElement))
    expect(await canvasVariance(heatmap)).toBeGreaterThan(0);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

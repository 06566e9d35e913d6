// Every number kept, in the browser: a run file holding 5,000 read-backs is imported, the loss chart
// draws at most its bound, and the metrics CSV, the metrics JSON and the run file exported again hold
// all 5,000, value for value. The file is a real export of a tiny run whose series is replaced.
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { showTab, TINY_RUN, trainThenPause, waitUntilReady } from './helpers';

// The files bar is on the Runs tab (the hash opens it); the loss chart on the first.
const RUN = `${TINY_RUN}&spectra=0&proxyevery=0#tab=runs`;
const READBACKS = 5000;
const EVERY = 5;
/** MAX_CHART_POINTS in src/ui/app/training-state.ts. */
const CHART_BOUND = 1000;

type Json = Record<string, unknown>;

async function downloaded(page: Page, testId: string): Promise<{ bytes: Buffer; ms: number }> {
  const download = page.waitForEvent('download');
  const started = Date.now();
  await page.getByTestId(testId).click();
  const file = await download;
  const ms = Date.now() - started;
  const chunks = await (await file.createReadStream()).toArray();
  return { bytes: Buffer.concat(chunks), ms };
}

/** Float32 readings, as the trainer reads them back; the first has no gradient norms yet (NaN). */
function readBack(i: number, layers: number): Json {
  const f = Math.fround;
  const nan = { $number: 'NaN' }; // the run file's tag for NaN (src/core/runs/run-file.ts)
  return {
    iteration: i * EVERY,
    seconds: i * 0.0371,
    dLoss: f(1.3 + Math.sin(i / 40) * 0.2),
    gLoss: f(0.7 + Math.cos(i / 17) * 0.3 + (i % 11) / 1000),
    sigmas: Array.from({ length: layers }, (_, l) => f(1 + l / 3 + i / 1e5)),
    gradNorms: Array.from({ length: layers }, (_, l) => (i === 0 ? nan : f(0.01 * (l + 1) * (1 + (i % 29))))),
    gradNormTotal: i === 0 ? nan : f(0.05 + (i % 29) / 100),
  };
}

const numberOf = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);

test('5,000 read-backs come back whole from the CSV, the JSON and the run file; the chart draws its bound', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto(RUN);
  await waitUntilReady(page);
  const paused = await trainThenPause(page, 2);
  // The pause's checkpoint (with its losses) is the one to export, not the iteration-0 seed.
  await expect(page.getByTestId('export-run')).toHaveText(`Export run (iteration ${paused})`);
  const exported = JSON.parse(gunzipSync((await downloaded(page, 'export-run')).bytes).toString('utf8')) as Json;
  const layers = ((exported.history as Json[])[0].sigmas as number[]).length;
  const history = Array.from({ length: READBACKS }, (_, i) => readBack(i, layers));
  const last = (READBACKS - 1) * EVERY;
  const big = { ...exported, history, checkpoint: { ...(exported.checkpoint as Json), iteration: last } };
  const file = gzipSync(JSON.stringify(big));

  const importStarted = Date.now();
  await page
    .getByTestId('import-run')
    .setInputFiles({ name: 'long.sgrun', mimeType: 'application/gzip', buffer: file });
  await expect(page.getByTestId('run-notice')).toContainText(`Resumed the saved run at iteration ${last}`);
  const importMs = Date.now() - importStarted;
  await showTab(page, 'overview');
  const chartPoints = Number(await page.getByTestId('chart-loss').getAttribute('data-points'));
  expect(chartPoints).toBeLessThanOrEqual(CHART_BOUND);
  expect(chartPoints).toBeGreaterThan(CHART_BOUND / 4);
  await showTab(page, 'runs');

  const csv = await downloaded(page, 'export-metrics-csv');
  const [header, ...lines] = csv.bytes.toString('utf8').trimEnd().split('\n');
  const columns = header.split(',');
  expect(lines).toHaveLength(READBACKS);
  const cell = (row: string[], name: string) =>
    row[columns.indexOf(name)] === '' ? NaN : Number(row[columns.indexOf(name)]);
  const sigmaColumns = columns.filter((c) => c.startsWith('sigma '));
  const gradColumns = columns.filter((c) => c.startsWith('gradNorm ') && c !== 'gradNormTotal');
  // The resumed trainer reads back its checkpoint's iteration itself: that reading replaces the last saved one.
  expect(cell(lines[READBACKS - 1].split(','), 'iteration')).toBe(last);
  const mismatches = lines.slice(0, -1).filter((line, i) => {
    const row = line.split(',');
    const p = history[i];
    const expected = [p.iteration, p.seconds, p.dLoss, p.gLoss, ...(p.sigmas as number[]), p.gradNormTotal];
    const got = [
      ...['iteration', 'seconds', 'dLoss', 'gLoss'].map((name) => cell(row, name)),
      ...sigmaColumns.map((name) => cell(row, name)),
      cell(row, 'gradNormTotal'),
    ];
    const grads = gradColumns.map((name) => cell(row, name));
    return (
      !got.every((value, k) => Object.is(value, numberOf(expected[k]))) ||
      !grads.every((value, k) => Object.is(value, numberOf((p.gradNorms as unknown[])[k])))
    );
  });
  expect(mismatches).toEqual([]);

  const json = await downloaded(page, 'export-metrics-json');
  const metrics = JSON.parse(json.bytes.toString('utf8')) as Json;
  expect(metrics.history).toHaveLength(READBACKS);
  expect(metrics.omitted).toBeUndefined();

  // The run store holds the resumed run's checkpoint once its first read-back has been drawn.
  await expect(page.getByTestId('export-run')).toHaveText(`Export run (iteration ${last})`);
  const again = await downloaded(page, 'export-run');
  const reexported = JSON.parse(gunzipSync(again.bytes).toString('utf8')) as Json;
  const reread = reexported.history as Json[];
  expect(reread).toHaveLength(READBACKS);
  expect(reread.slice(0, -1)).toEqual(history.slice(0, -1));
  expect(reread[READBACKS - 1].iteration).toBe(last);

  console.log(
    `full record: import of a ${file.length}-byte run file with ${READBACKS} read-backs ${importMs} ms; ` +
      `chart draws ${chartPoints} points; CSV ${lines.length} rows, ${csv.bytes.length} bytes, ${csv.ms} ms; ` +
      `JSON ${json.bytes.length} bytes, ${json.ms} ms; run file ${again.bytes.length} bytes, ${again.ms} ms`,
  );
});

// `npm test`: runs the four suites (unit, experiments and GPU with vitest, browser with Playwright), each with a
// JSON report, and ends with one totals line `N passed, N failed, N skipped` that CI reads.
// A suite that crashes before writing its report counts as one failure, so nothing passes silently.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const reportDir = 'test-results';
mkdirSync(reportDir, { recursive: true });

const suites = [
  {
    name: 'unit',
    report: `${reportDir}/unit.json`,
    command: [
      'npx',
      'vitest',
      'run',
      '--project',
      'unit',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportDir}/unit.json`,
    ],
    count: vitestCounts,
    failures: vitestFailures,
  },
  {
    name: 'experiments',
    report: `${reportDir}/experiments.json`,
    command: [
      'npx',
      'vitest',
      'run',
      '--project',
      'experiments',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportDir}/experiments.json`,
    ],
    count: vitestCounts,
    failures: vitestFailures,
  },
  {
    name: 'gpu',
    report: `${reportDir}/gpu.json`,
    command: [
      'npx',
      'vitest',
      'run',
      '--project',
      'gpu',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportDir}/gpu.json`,
    ],
    count: vitestCounts,
    failures: vitestFailures,
  },
  {
    name: 'e2e',
    report: `${reportDir}/e2e.json`,
    command: ['npx', 'playwright', 'test'],
    count: playwrightCounts,
    failures: playwrightFailures,
  },
];

function vitestCounts(report) {
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

/** The first line of an error message, without colour codes: enough to tell which check failed. */
const COLOUR_CODES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const firstLine = (message = '') => message.replace(COLOUR_CODES, '').trim().split('\n')[0].slice(0, 200);

function vitestFailures(report) {
  return report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => `${file.name.split('/tests/').pop()} > ${test.title}: ${firstLine(test.failureMessages?.[0])}`),
  );
}

function playwrightFailures(report) {
  const failed = [];
  const visit = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status !== 'unexpected') continue;
        const error = test.results.at(-1)?.error?.message;
        failed.push(`${file} > ${spec.title} [${test.projectName}]: ${firstLine(error)}`);
      }
    }
    for (const child of suite.suites ?? []) visit(child, file);
  };
  for (const suite of report.suites ?? []) visit(suite, suite.file);
  return failed;
}

function playwrightCounts(report) {
  const s = report.stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected + (report.errors?.length ?? 0), skipped: s.skipped };
}

const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
// Named again at the very end, where a CI log cut to its tail still shows them.
const failures = [];
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  rmSync(suite.report, { force: true });
  const started = Date.now();
  const result = spawnSync(suite.command[0], suite.command.slice(1), { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  let counts;
  if (existsSync(suite.report)) {
    const report = JSON.parse(readFileSync(suite.report, 'utf8'));
    counts = suite.count(report);
    failures.push(...suite.failures(report).map((name) => `${suite.name}: ${name}`));
    if (result.status !== 0 && counts.failed === 0) counts.failed = 1; // crashed after reporting
  } else {
    counts = { passed: 0, failed: 1, skipped: 0 };
    console.error(`${suite.name}: the runner wrote no report (exit ${result.status}); counted as one failure`);
  }
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  lines.push(
    `${suite.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${seconds} s)`,
  );
}
if (failures.length > 0) console.log(`\nfailed:\n${failures.map((name) => `  ${name}`).join('\n')}`);
console.log('\n' + lines.join('\n'));
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

// `npx tsx scripts/record-alarm-runs.ts OUT.json RUN.json...`: keeps of each 2-D run's metrics JSON
// only what the collapse alarm's calibration needs (alarm-calibration.ts), for tests/fixtures.
import { readFileSync, writeFileSync } from 'node:fs';
import { alarmRunOf, type AlarmRun } from '../src/core/experiments/alarm-calibration';
import { parseMetricsRecord } from '../src/core/runs/metrics-record';

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  console.error('usage: npx tsx scripts/record-alarm-runs.ts OUT.json RUN.json...');
  process.exit(2);
}
const round = (value: number) => Number(value.toPrecision(6));
const runs: AlarmRun[] = [];
for (const file of files) {
  const run = alarmRunOf(parseMetricsRecord(readFileSync(file, 'utf8')));
  if (!run) {
    console.error(`${file}: no mode counts (not a 2-D run), left out`);
    continue;
  }
  runs.push({ ...run, snapshots: run.snapshots.map((s) => ({ ...s, indicators: s.indicators.map(round) })) });
}
const RECORD_NOTE = 'Recorded by scripts/record-alarm-runs.ts from headless runs (see docs/experiments.md).';
writeFileSync(out, `${JSON.stringify({ note: RECORD_NOTE, runs })}\n`);
console.log(`wrote ${runs.length} runs to ${out}`);

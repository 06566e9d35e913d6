import { readFileSync } from 'node:fs';
import { EXPERIMENTS } from '../src/core/experiments/catalogue';
import { parseMetricsRecord } from '../src/core/runs/metrics-record';
const dir = process.argv[2];
for (const e of EXPERIMENTS) {
  const recs = e.runs.map((r) =>
    parseMetricsRecord(readFileSync(`${dir}/${e.id}/${r.label.replace(/[^A-Za-z0-9.=-]+/g, '_')}.json`, 'utf8')),
  );
  const v = e.criterion(recs);
  console.log(v.status, e.id, '\n  ' + v.figures.join('\n  '));
}

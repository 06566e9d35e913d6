// How a benchmark part hands its figures to `npm run bench`: `--json FILE` makes the part write
// its rows there as data, so the suite never parses the part's printed report.
import { writeFileSync } from 'node:fs';
import type { SummaryRow } from './bench-summary';

/** The parseArgs option every part takes. */
export const JSON_OUTPUT_OPTION = { json: { type: 'string' } } as const;

export function writePartRows(file: string | undefined, rows: SummaryRow[]): void {
  if (file) writeFileSync(file, JSON.stringify({ rows }, null, 2));
}

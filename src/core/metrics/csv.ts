// CSV export of run metrics (RFC 4180): a header line, then one line per row, each ending in "\n".

/**
 * `columns` picks and orders the fields of each row. Numbers are written with JavaScript's shortest
 * round-trip form (full precision: parsing gives back the same double); null, undefined and NaN are
 * empty cells; objects are written as JSON. Cells holding a comma, a quote, CR or LF are quoted, with
 * quotes doubled.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(quoteCell).join(',')];
  for (const row of rows) lines.push(columns.map((column) => quoteCell(cellText(row[column]))).join(','));
  return lines.map((line) => `${line}\n`).join('');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? '';
}

function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

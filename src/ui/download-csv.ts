// Saves a chart's rows as a CSV file: the browser downloads a Blob through a temporary <a download>.
import { toCsv } from '../core/metrics/csv';

export function downloadCsv(fileName: string, table: { columns: readonly string[]; rows: readonly Record<string, unknown>[] }): void {
  const text = toCsv(table.columns, table.rows);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Saves a chart's rows as a CSV file (or any Blob): the browser downloads it through a temporary <a download>.
import { toCsv } from '../../core/metrics/csv';

export function downloadCsv(
  fileName: string,
  table: { columns: readonly string[]; rows: readonly Record<string, unknown>[] },
): void {
  downloadBlob(fileName, new Blob([toCsv(table.columns, table.rows)], { type: 'text/csv;charset=utf-8' }));
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
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

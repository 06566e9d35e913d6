// The run's files: export the whole run to continue it in another browser, import one, and save the
// metrics (CSV, JSON) and the sample grid (PNG). Shows what each file would hold; use-run-files.ts acts.
import { useRef } from 'react';
import { RUN_FILE_EXTENSION } from '../../core/runs/run-file';
import { useExternal } from './external-value';
import type { RunFilesView } from './use-run-files';

export function RunFiles({ view }: { view: RunFilesView }) {
  const input = useRef<HTMLInputElement>(null);
  const { metricsPoints, samplesIteration, importing, exporting, lastExport, lastImport } = view;
  const held = useExternal(view.held.subscribe, view.held.get);
  const checkpointIteration = held && held.runId === view.runId ? held.iteration : null;
  return (
    <section className="run-files" aria-label="Run files">
      <span className="run-files-title">Files</span>
      <button
        type="button"
        data-testid="export-run"
        disabled={checkpointIteration === null || exporting}
        data-bytes={lastExport?.bytes}
        data-encode-ms={lastExport?.workerMs.toFixed(0)}
        data-total-ms={lastExport?.totalMs.toFixed(0)}
        onClick={view.exportRun}
        title={
          `The whole run (weights, optimizer, curves) in one ${RUN_FILE_EXTENSION} file: ` +
          `import it here or in another browser to continue it`
        }
      >
        {exporting
          ? 'Encoding the run…'
          : checkpointIteration === null
            ? 'Export run'
            : `Export run (iteration ${checkpointIteration})`}
      </button>
      {checkpointIteration === null && (
        <span className="hint" data-testid="export-run-hint">
          no checkpoint held yet: one comes with the next read-back, or pause to take one
        </span>
      )}
      <button
        type="button"
        data-testid="import-run-button"
        disabled={importing !== null}
        data-bytes={lastImport?.bytes}
        data-decode-ms={lastImport?.workerMs.toFixed(0)}
        data-total-ms={lastImport?.totalMs.toFixed(0)}
        onClick={() => input.current?.click()}
      >
        {importing === null ? 'Import run…' : `Reading ${importing}…`}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="import-run"
        accept={`${RUN_FILE_EXTENSION},application/gzip,application/octet-stream`}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = ''; // choosing the same file again should import it again
          if (file) view.importRun(file);
        }}
      />
      <span className="run-files-separator" aria-hidden="true" />
      <button
        type="button"
        data-testid="export-metrics-csv"
        disabled={metricsPoints === 0}
        onClick={view.exportMetricsCsv}
        title="Every read-back: losses, each D layer's sigma and gradient norm, the whole D's gradient norm"
      >
        Metrics CSV
      </button>
      <button
        type="button"
        data-testid="export-metrics-json"
        disabled={!view.canExportMetricsJson}
        onClick={view.exportMetricsJson}
        title="Settings, metrics, spectra, alarms and sample-quality evaluations, as `npm run headless` writes them"
      >
        Metrics JSON
      </button>
      <button
        type="button"
        data-testid="export-samples-png"
        disabled={samplesIteration === null}
        onClick={view.exportSamplesPng}
        title="The generated sample grid, pixel for pixel"
      >
        {samplesIteration === null ? 'Samples PNG' : `Samples PNG (iteration ${samplesIteration})`}
      </button>
    </section>
  );
}

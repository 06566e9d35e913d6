// The page's side of the run's files: exports the run (.sgrun) from the latest checkpoint of the
// current run, imports one (resumed like an autosave), and exports the metrics (CSV, JSON) and the
// sample grid (PNG). The content of each file is built by the pure helpers in metrics-export.ts; the
// run file is encoded and decoded by the run store worker, which holds the checkpoint (about 100 MB at
// full size), so the page's thread neither copies nor compresses it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GanConfig } from '../../core/config/schema';
import { RUN_FILE_EXTENSION } from '../../core/runs/run-file';
import type { QualityRow } from '../../core/proxy/sample-quality';
import type { TrainerCheckpoint } from '../../core/train/checkpoint';
import type { SampleGrid } from '../../core/train/types';
import { downloadBlob, downloadCsv } from '../charts/download-csv';
import {
  exportFileName,
  joinSeries,
  metricsTable,
  pageMetricsRecord,
  qualityRowOf,
  runFileInput,
  type RunSeries,
} from './metrics-export';
import type { ProxyEvaluationPoint } from '../quality/proxy-state';
import type { TrainingState } from '../app/training-state';
import type { SavedRun } from '../app/use-training-worker';
import { errorText } from '../../core/error-text';
import { recordSeries } from '../../core/runs/run-record';
import { ExternalValue } from './external-value';
import { runStore } from './run-store-client';

export interface RunFilesView {
  /**
   * The checkpoint the run store holds (an export would hold it when its run is `runId`): outside the
   * page's state, so its arrival re-renders the Files bar only (RunFiles reads it).
   */
  held: ExternalValue<HeldCheckpoint | null>;
  runId: number;
  /** Read-backs a metrics export would hold. */
  metricsPoints: number;
  canExportMetricsJson: boolean;
  /** Iteration of the sample grid shown; null when there is none (2-D data, or none drawn yet). */
  samplesIteration: number | null;
  /** The name of a file being read, while it is. */
  importing: string | null;
  /** True while the run store encodes an export. */
  exporting: boolean;
  /** The last export's and import's size and times (ms), for the person and the tests. */
  lastExport: FileTimes | null;
  lastImport: FileTimes | null;
  exportRun(): void;
  importRun(file: File): void;
  exportMetricsCsv(): void;
  exportMetricsJson(): void;
  exportSamplesPng(): void;
  /** A good checkpoint of run `runId` arrived from the training worker. */
  onCheckpoint(checkpoint: TrainerCheckpoint, runId: number): void;
}

interface Options {
  state: TrainingState;
  config: GanConfig;
  proxyEvaluations: readonly ProxyEvaluationPoint[];
  /** Resumes a saved run, as the autosave's Resume does. */
  resume(saved: SavedRun): void;
  onError(text: string): void;
}

/**
 * What an imported file brought that the page's state does not hold: the proxy evaluations, which
 * belong to the proxy worker's state (spectra and alarms come back through the resume itself).
 */
interface Carried {
  proxies: QualityRow[];
}
const NOTHING_CARRIED: Carried = { proxies: [] };

export interface FileTimes {
  bytes: number;
  /** Encoding (export) or reading plus decoding (import), in the run store worker. */
  workerMs: number;
  /** From the click or the file's choice to the download or the resume. */
  totalMs: number;
}

/** The checkpoint the run store holds for a run (the page keeps only what names it). */
export interface HeldCheckpoint {
  iteration: number;
  config: Pick<GanConfig, 'dataset' | 'norm'>;
  runId: number;
}

/** An import waiting for its run's worker: the file's iteration, the run it replaces, what it brought. */
interface PendingImport {
  iteration: number;
  replacing: number;
  carried: Carried;
}

async function gridPng(grid: SampleGrid): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = grid.width;
  canvas.height = grid.height;
  canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(grid.rgba), grid.width, grid.height), 0, 0);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser made no PNG'))), 'image/png'),
  );
}

export function useRunFiles({ state, config, proxyEvaluations, resume, onError }: Options): RunFilesView {
  const [held] = useState(() => new ExternalValue<HeldCheckpoint | null>(null));
  const setHeld = useCallback((value: HeldCheckpoint) => held.set(value), [held]);
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [carried, setCarried] = useState<{ runId: number } & Carried>({ runId: -1, ...NOTHING_CARRIED });
  const [importing, setImporting] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [lastExport, setLastExport] = useState<FileTimes | null>(null);
  const [lastImport, setLastImport] = useState<FileTimes | null>(null);
  const runIdRef = useRef(state.runId);
  runIdRef.current = state.runId;

  // An imported run is the current one once its worker is ready: a new run id, at the file's iteration.
  // Its export waits for the store to say it holds the run's checkpoint (its first read-back's).
  useEffect(() => {
    if (!pending || state.runId === pending.replacing || state.iteration !== pending.iteration) return;
    setCarried({ runId: state.runId, ...pending.carried });
    setPending(null);
  }, [pending, state.runId, state.iteration]);

  const onCheckpoint = useCallback(
    (checkpoint: TrainerCheckpoint, runId: number) => {
      // The checkpoint's buffers have moved to the run store (use-autosave.ts); its number and settings remain.
      if (runId === runIdRef.current) setHeld({ iteration: checkpoint.iteration, config: checkpoint.config, runId });
    },
    [setHeld],
  );

  // Checkpoints normally go from the training worker straight to the run store, which says so.
  useEffect(
    () =>
      runStore().listen((event) => {
        if (event.type !== 'checkpoint-held' || !runStore().isCurrent(event)) return;
        const { iteration, config: settings, runId } = event;
        // Kept even when this render has not caught up with the run's id yet: the export compares it.
        setHeld({ iteration, config: settings, runId });
      }),
    [setHeld],
  );

  /** Everything the page knows of the current run, the imported file's part included. */
  const series = useMemo((): RunSeries => {
    const own = carried.runId === state.runId ? carried : NOTHING_CARRIED;
    return { record: state.record, proxies: joinSeries(own.proxies, proxyEvaluations.map(qualityRowOf)) };
  }, [carried, state.runId, state.record, proxyEvaluations]);

  const layerNames = state.info?.layerNames ?? [];

  const exportRun = () => {
    const checkpoint = held.get();
    if (!checkpoint || checkpoint.runId !== state.runId || exporting) return;
    const { iteration, config: settings } = checkpoint;
    const started = performance.now();
    // runFileInput reads only the checkpoint's iteration here: the store writes the checkpoint it holds.
    const { checkpoint: _placeholder, ...fileSeries } = runFileInput({ iteration } as TrainerCheckpoint, series);
    setExporting(true);
    runStore()
      .request({ type: 'export', runId: state.runId, iteration, series: fileSeries })
      .then(({ blob, bytes, encodeMs }) => {
        downloadBlob(exportFileName(settings, iteration, RUN_FILE_EXTENSION), blob);
        const times = { bytes, workerMs: encodeMs, totalMs: performance.now() - started };
        console.info(
          `run file export: ${bytes} bytes, encode ${encodeMs.toFixed(0)} ms, total ${times.totalMs.toFixed(0)} ms`,
        );
        setLastExport(times);
      })
      .catch((error: unknown) => onError(`The run could not be exported: ${errorText(error)}`))
      .finally(() => setExporting(false));
  };

  const importRun = (file: File) => {
    setImporting(file.name);
    const started = performance.now();
    runStore()
      .request({ type: 'import', file })
      .then(({ run, bytes, readMs, decodeMs }) => {
        const { checkpoint: restored, history, coverageHistory, spectra, alarms, omitted } = run;
        setPending({ iteration: restored.iteration, replacing: runIdRef.current, carried: { proxies: run.proxies } });
        resume({ checkpoint: restored, history, coverageHistory, spectra, alarms, ...(omitted ? { omitted } : {}) });
        const times = { bytes, workerMs: readMs + decodeMs, totalMs: performance.now() - started };
        console.info(
          `run file import: ${bytes} bytes, read ${readMs.toFixed(0)} ms, decode ${decodeMs.toFixed(0)} ms, ` +
            `total ${times.totalMs.toFixed(0)} ms`,
        );
        setLastImport(times);
      })
      .catch((error: unknown) =>
        onError(`${file.name} could not be imported: ${errorText(error)}. The current run goes on.`),
      )
      .finally(() => setImporting(null));
  };

  const exportMetricsCsv = () =>
    downloadCsv(
      exportFileName(config, state.iteration, '-metrics.csv'),
      metricsTable(recordSeries(state.record).history, layerNames),
    );

  const exportMetricsJson = () => {
    if (!state.info) return;
    const record = pageMetricsRecord(config, state.info, state.iteration, series);
    downloadBlob(
      exportFileName(config, state.iteration, '-metrics.json'),
      new Blob([`${JSON.stringify(record, null, 2)}\n`], { type: 'application/json' }),
    );
  };

  const exportSamplesPng = () => {
    const grid = state.samples;
    if (!grid) return;
    gridPng(grid).then(
      (blob) => downloadBlob(exportFileName(config, grid.iteration, '-samples.png'), blob),
      (error: unknown) => onError(`The sample grid could not be saved as PNG: ${errorText(error)}`),
    );
  };

  return {
    held,
    runId: state.runId,
    metricsPoints: state.record.metrics.length,
    canExportMetricsJson: state.info !== null,
    samplesIteration: state.samples?.iteration ?? null,
    importing,
    exporting,
    lastExport,
    lastImport,
    exportRun,
    importRun,
    exportMetricsCsv,
    exportMetricsJson,
    exportSamplesPng,
    onCheckpoint,
  };
}

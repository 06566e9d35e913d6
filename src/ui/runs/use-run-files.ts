// The page's side of the run's files: exports the run (.sgrun) from the latest checkpoint of the
// current run, imports one (resumed like an autosave), and exports the metrics (CSV, JSON) and the
// sample grid (PNG). The content of each file is built by the pure helpers in metrics-export.ts.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GanConfig } from '../../core/config/schema';
import { decodeRunFile, encodeRunFile, RUN_FILE_EXTENSION } from '../../core/runs/run-file';
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

export interface RunFilesView {
  /** Iteration of the checkpoint an export would hold; null when the current run has none yet. */
  checkpointIteration: number | null;
  /** Read-backs a metrics export would hold. */
  metricsPoints: number;
  canExportMetricsJson: boolean;
  /** Iteration of the sample grid shown; null when there is none (2-D data, or none drawn yet). */
  samplesIteration: number | null;
  /** The name of a file being read, while it is. */
  importing: string | null;
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

/** A checkpoint and the run it belongs to; an imported one waits for its run's id (`runId` null). */
interface Held {
  checkpoint: TrainerCheckpoint;
  runId: number | null;
  /** For an import: the run it replaces, and what the file brought. */
  replacing?: number;
  carried?: Carried;
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
  const [held, setHeld] = useState<Held | null>(null);
  const [pending, setPending] = useState<Held | null>(null);
  const [carried, setCarried] = useState<{ runId: number } & Carried>({ runId: -1, ...NOTHING_CARRIED });
  const [importing, setImporting] = useState<string | null>(null);
  const runIdRef = useRef(state.runId);
  runIdRef.current = state.runId;

  // An imported run is the current one once its worker is ready: a new run id, at the file's iteration.
  useEffect(() => {
    if (!pending || state.runId === pending.replacing || state.iteration !== pending.checkpoint.iteration) return;
    setHeld({ checkpoint: pending.checkpoint, runId: state.runId });
    setCarried({ runId: state.runId, ...(pending.carried ?? NOTHING_CARRIED) });
    setPending(null);
  }, [pending, state.runId, state.iteration]);

  const onCheckpoint = useCallback((checkpoint: TrainerCheckpoint, runId: number) => {
    if (runId === runIdRef.current) setHeld({ checkpoint, runId });
  }, []);

  /** Everything the page knows of the current run, the imported file's part included. */
  const series = useMemo((): RunSeries => {
    const own = carried.runId === state.runId ? carried : NOTHING_CARRIED;
    return {
      history: state.history,
      coverageHistory: state.coverageHistory,
      spectra: state.spectra,
      alarms: state.alarms,
      proxies: joinSeries(own.proxies, proxyEvaluations.map(qualityRowOf)),
    };
  }, [carried, state.runId, state.history, state.coverageHistory, state.spectra, state.alarms, proxyEvaluations]);

  const checkpoint = held && held.runId === state.runId ? held.checkpoint : null;
  const layerNames = state.info?.layerNames ?? [];

  const exportRun = () => {
    if (!checkpoint) return;
    const bytes = encodeRunFile(runFileInput(checkpoint, series));
    downloadBlob(
      exportFileName(checkpoint.config, checkpoint.iteration, RUN_FILE_EXTENSION),
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/gzip' }),
    );
  };

  const importRun = (file: File) => {
    setImporting(file.name);
    file
      .arrayBuffer()
      .then((buffer) => {
        const run = decodeRunFile(new Uint8Array(buffer));
        setPending({
          checkpoint: run.checkpoint,
          runId: null,
          replacing: runIdRef.current,
          carried: { proxies: run.proxies },
        });
        resume({
          checkpoint: run.checkpoint,
          history: run.history,
          coverageHistory: run.coverageHistory,
          spectra: run.spectra,
          alarms: run.alarms,
        });
      })
      .catch((error: unknown) =>
        onError(`${file.name} could not be imported: ${errorText(error)}. The current run goes on.`),
      )
      .finally(() => setImporting(null));
  };

  const exportMetricsCsv = () =>
    downloadCsv(exportFileName(config, state.iteration, '-metrics.csv'), metricsTable(state.history, layerNames));

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
    checkpointIteration: checkpoint?.iteration ?? null,
    metricsPoints: state.history.length,
    canExportMetricsJson: state.info !== null,
    samplesIteration: state.samples?.iteration ?? null,
    importing,
    exportRun,
    importRun,
    exportMetricsCsv,
    exportMetricsJson,
    exportSamplesPng,
    onCheckpoint,
  };
}

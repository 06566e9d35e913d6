// What the page's file exports hold, built from its state by pure functions (no DOM, no React):
// the whole metrics history as one CSV table, the metrics JSON (the shape `npm run headless` writes),
// the run file's contents up to a checkpoint, and descriptive file names.
import type { GanConfig } from '../../core/config/schema';
import { qualityColumns, type QualityRow } from '../../core/proxy/sample-quality';
import { createMetricsRecord, type MetricsRecord } from '../../core/runs/metrics-record';
import type { RunFileInput } from '../../core/runs/run-file';
import type { TrainerCheckpoint } from '../../core/train/checkpoint';
import { LIPSCHITZ_KEYS } from '../../core/train/lipschitz-probe';
import type { MetricsPoint, TrainerInfo } from '../../core/train/types';
import { recordOmissions, recordSeries, type RunRecord } from '../../core/runs/run-record';
import { upTo } from '../app/training-state';

/**
 * One row per read-back: iteration, seconds, both losses, every D layer's sigma and gradient norm
 * (columns `sigma <layer>`, `gradNorm <layer>`), and the whole D's gradient norm. NaN (no D update
 * yet) is an empty cell.
 */
export function metricsTable(
  history: readonly MetricsPoint[],
  layerNames: readonly string[],
): { columns: string[]; rows: Record<string, number>[] } {
  // Without layer names (no model info) the columns are numbered, as many as the widest point has.
  const layerCount = Math.max(layerNames.length, ...history.map((p) => Math.max(p.sigmas.length, p.gradNorms.length)));
  const names = Array.from({ length: layerCount }, (_, i) => layerNames[i] ?? `layer${i}`);
  const sigmaColumns = names.map((name) => `sigma ${name}`);
  const gradColumns = names.map((name) => `gradNorm ${name}`);
  // D's input-gradient readings (chart-lipschitz), when the run has them: records before them do not.
  const lipschitzColumns = history.some((p) => p.lipschitz) ? LIPSCHITZ_KEYS.map((key) => `lipschitz ${key}`) : [];
  const columns = [
    'iteration',
    'seconds',
    'dLoss',
    'gLoss',
    ...sigmaColumns,
    ...gradColumns,
    'gradNormTotal',
    ...lipschitzColumns,
  ];
  const rows = history.map((p) => {
    const row: Record<string, number> = {
      iteration: p.iteration,
      seconds: p.seconds,
      dLoss: p.dLoss,
      gLoss: p.gLoss,
      gradNormTotal: p.gradNormTotal,
    };
    names.forEach((_, i) => {
      row[sigmaColumns[i]] = p.sigmas[i];
      row[gradColumns[i]] = p.gradNorms[i];
    });
    lipschitzColumns.forEach((column, i) => {
      row[column] = p.lipschitz?.[LIPSCHITZ_KEYS[i]] ?? Number.NaN;
    });
    return row;
  });
  return { columns, rows };
}

/** Only the QualityRow fields of an evaluation (the page's carry timings and histograms besides). */
export const qualityRowOf = qualityColumns;

/** Everything the page recorded of a run: its full record and its sample-quality evaluations. */
export interface RunSeries {
  record: RunRecord;
  proxies: readonly QualityRow[];
}

/**
 * `carried` (series an imported file brought, up to its checkpoint) followed by what the page
 * recorded since: the page's own items win from its first one on.
 */
export function joinSeries<T extends { iteration: number }>(carried: readonly T[], live: readonly T[]): T[] {
  const firstLive = live.length ? live[0].iteration : Infinity;
  return [...carried.filter((item) => item.iteration < firstLive), ...live];
}

/** The page's "Export metrics (JSON)": the metrics record of `npm run headless`, from the page's full record. */
export function pageMetricsRecord(
  config: GanConfig,
  info: TrainerInfo,
  iterations: number,
  series: RunSeries,
): MetricsRecord {
  const { history, coverageHistory, spectra, alarms } = recordSeries(series.record);
  const omitted = recordOmissions(series.record);
  return {
    ...createMetricsRecord({
      source: 'page',
      config,
      info,
      iterations,
      history,
      spectra,
      alarms,
      proxies: series.proxies.map(qualityRowOf),
      // 2-D data: the mode counts, as headless runs write them.
      coverage: coverageHistory.length ? coverageHistory : undefined,
    }),
    ...(omitted ? { omitted } : {}),
  };
}

/** A run file's contents: the checkpoint and the whole record up to its iteration. */
export function runFileInput(checkpoint: TrainerCheckpoint, series: RunSeries): RunFileInput {
  const at = checkpoint.iteration;
  return {
    checkpoint,
    ...recordSeries(series.record, at),
    proxies: upTo(series.proxies, at).map(qualityRowOf),
  };
}

/** e.g. `spectral-gan-shapes-sn-it120` + `.sgrun`: which data, which method, which iteration. */
export function exportFileName(config: Pick<GanConfig, 'dataset' | 'norm'>, iteration: number, suffix: string): string {
  return `spectral-gan-${config.dataset}-${config.norm}-it${iteration}${suffix}`;
}

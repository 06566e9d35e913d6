// A run's full record, kept apart from what its charts draw: every read-back and every mode count
// in compact columns, every spectrum snapshot and alarm. Exports, run files and autosaves are made
// from it. Only spectrum snapshots have a cap (each holds every singular value of every layer; a
// ch=64 D over a day would need hundreds of MB): beyond it the older half is thinned, and the
// record counts what it left out so the page and the exports can say so.
import type { CollapseAlarm, SpectrumSnapshot } from '../metrics/types';
import type { CoveragePoint } from '../metrics/mode-coverage';
import type { MetricsPoint } from '../train/types';
import { COVERAGE_CODEC, METRICS_CODEC } from './record-codecs';
import { RecordColumns } from './record-columns';
import type { RecordOmissions } from './metrics-record';

/**
 * Singular values kept over all spectrum snapshots of a run (8 bytes each, so about 64 MB): a
 * ch=64 D has about 2,800 per snapshot (raw and effective), so some 2,800 snapshots, 280,000
 * iterations at `spectra=100`, before the cap.
 */
export const MAX_RECORDED_SPECTRUM_VALUES = 8_000_000;

export interface RunRecord {
  metrics: RecordColumns<MetricsPoint>;
  coverage: RecordColumns<CoveragePoint>;
  spectra: readonly SpectrumSnapshot[];
  /** Singular values the kept snapshots hold (for the cap). */
  spectrumValues: number;
  /** Spectrum snapshots thinned out after the cap was reached. */
  spectraOmitted: number;
  /** Never thinned: an alarm is a few numbers and each one matters. */
  alarms: readonly CollapseAlarm[];
}

/** The series of a record as plain arrays: what files and autosaves hold. */
export interface RecordSeries {
  history: MetricsPoint[];
  coverageHistory: CoveragePoint[];
  spectra: SpectrumSnapshot[];
  alarms: CollapseAlarm[];
  /** What the record had left out (absent when nothing). */
  omitted?: RecordOmissions;
}

export function emptyRunRecord(): RunRecord {
  return {
    metrics: RecordColumns.empty(METRICS_CODEC),
    coverage: RecordColumns.empty(COVERAGE_CODEC),
    spectra: [],
    spectrumValues: 0,
    spectraOmitted: 0,
    alarms: [],
  };
}

function spectrumValueCount(snapshot: SpectrumSnapshot): number {
  return snapshot.layers.reduce((sum, layer) => sum + layer.raw.length + layer.effective.length, 0);
}

/** A record holding `series` (e.g. a resumed run's), capped like one that recorded them live. */
export function runRecordOf(series: Partial<RecordSeries>): RunRecord {
  let record: RunRecord = {
    ...emptyRunRecord(),
    metrics: RecordColumns.of(METRICS_CODEC, series.history ?? []),
    coverage: RecordColumns.of(COVERAGE_CODEC, series.coverageHistory ?? []),
    alarms: [...(series.alarms ?? [])],
    spectraOmitted: series.omitted?.spectra ?? 0,
  };
  for (const snapshot of series.spectra ?? []) record = withSpectrum(record, snapshot, []);
  return record;
}

export function withMetrics(record: RunRecord, point: MetricsPoint): RunRecord {
  return { ...record, metrics: record.metrics.append(point) };
}

export function withCoverage(record: RunRecord, point: CoveragePoint): RunRecord {
  return { ...record, coverage: record.coverage.append(point) };
}

/** The record with a snapshot (replacing one of the same iteration) and the alarms it raised. */
export function withSpectrum(
  record: RunRecord,
  snapshot: SpectrumSnapshot,
  alarms: readonly CollapseAlarm[] = snapshot.alarms,
  maxValues = MAX_RECORDED_SPECTRUM_VALUES,
): RunRecord {
  let spectra = record.spectra;
  let values = record.spectrumValues;
  let omitted = record.spectraOmitted;
  const last = spectra[spectra.length - 1];
  if (last && last.iteration === snapshot.iteration) {
    spectra = spectra.slice(0, -1);
    values -= spectrumValueCount(last);
  }
  const added = spectrumValueCount(snapshot);
  if (values + added > maxValues && spectra.length > 1) {
    // Every other snapshot of the older half goes: the record keeps its whole span, coarser early on.
    const half = Math.floor(spectra.length / 2);
    const dropped = spectra.slice(0, half).filter((_, i) => i % 2 === 1);
    spectra = [...spectra.slice(0, half).filter((_, i) => i % 2 === 0), ...spectra.slice(half)];
    values -= dropped.reduce((sum, s) => sum + spectrumValueCount(s), 0);
    omitted += dropped.length;
  }
  return {
    ...record,
    spectra: [...spectra, snapshot],
    spectrumValues: values + added,
    spectraOmitted: omitted,
    alarms: alarms.length ? [...record.alarms, ...alarms] : record.alarms,
  };
}

function itemsUpTo<T extends { iteration: number }>(items: readonly T[], iteration: number): T[] {
  return items.filter((item) => item.iteration <= iteration);
}

/** The record as it stood at `iteration`: what a rollback or a checkpoint at it keeps. */
export function recordUpTo(record: RunRecord, iteration: number): RunRecord {
  const spectra = itemsUpTo(record.spectra, iteration);
  return {
    metrics: record.metrics.upTo(iteration),
    coverage: record.coverage.upTo(iteration),
    spectra,
    spectrumValues: spectra.reduce((sum, s) => sum + spectrumValueCount(s), 0),
    spectraOmitted: record.spectraOmitted,
    alarms: itemsUpTo(record.alarms, iteration),
  };
}

/** Every series of the record up to `iteration`, as plain arrays. */
export function recordSeries(record: RunRecord, iteration = Infinity): RecordSeries {
  const at = recordUpTo(record, iteration);
  const omitted = recordOmissions(record);
  return {
    history: at.metrics.toArray(),
    coverageHistory: at.coverage.toArray(),
    spectra: [...at.spectra],
    alarms: [...at.alarms],
    ...(omitted ? { omitted } : {}),
  };
}

/** What an export says it left out, or null when it holds everything. */
export function recordOmissions(record: RunRecord): RecordOmissions | null {
  if (record.spectraOmitted === 0) return null;
  return {
    spectra: record.spectraOmitted,
    reason:
      `the run's spectrum snapshots reached the record's cap of ${MAX_RECORDED_SPECTRUM_VALUES} singular ` +
      `values; every other one of the older half was thinned out each time it was reached`,
  };
}

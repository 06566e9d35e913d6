// What the page knows about the run, updated only from worker messages and page events. Panels read
// this state; the little arithmetic there is (the charts' views of the record, chart rows) lives
// here, not in them. The run's full record (run-record.ts) is what exports and saves are made of.
import type { AdapterDescription } from '../../core/train/webgpu-adapter';
import type { BackendName } from '../../core/train/select-backend';
import type { NormName } from '../../core/config/schema';
import type { MetricsPoint, NormSwitch, SampleGrid, TrainerInfo } from '../../core/train/types';
import type { CollapseAlarm, SpectrumSnapshot } from '../../core/metrics/types';
import type { ToyModeSet } from '../../core/data/toy-modes';
import type { ToyField } from '../../core/train/toy-field';
import type { ErrorSource, WorkerPhase, WorkerToPage } from '../../worker/protocol';
import { coveragePoint, type CoveragePoint } from '../../core/metrics/mode-coverage';
import { finiteOrNull } from '../../core/numbers';
import {
  emptyRunRecord,
  recordSeries,
  recordUpTo,
  runRecordOf,
  withCoverage,
  withMetrics,
  withSpectrum,
  type RecordSeries,
  type RunRecord,
} from '../../core/runs/run-record';
import type { RecordOmissions } from '../../core/runs/metrics-record';
import { downsampleForChart, strideForChart } from '../../core/runs/chart-downsample';
import { METRICS_COUNT_SLOTS } from '../../core/runs/record-codecs';

export type MessageSource = ErrorSource | 'url' | 'page' | 'spectra' | 'proxy';

export interface BannerMessage {
  id: number;
  source: MessageSource;
  text: string;
}

export interface TrainingState {
  phase: WorkerPhase;
  phaseDetail: string | null;
  backend: BackendName | null;
  backendNotice: string | null;
  /** The WebGPU adapter the run is on (software or not); null off WebGPU. */
  backendAdapter: AdapterDescription | null;
  /** backend=auto's choice and figures; null when the backend was forced. */
  backendCalibration: string | null;
  info: TrainerInfo | null;
  runId: number;
  iteration: number;
  iterationsPerSecond: number | null;
  /** Every reading of this run, unthinned: exports, run files and autosaves are made from it. */
  record: RunRecord;
  /** What the time charts draw of the record's read-backs: at most MAX_CHART_POINTS rows. */
  history: MetricsPoint[];
  /** Every D normalization switch of this run (live or scheduled), marked on the time charts. */
  normSwitches: NormSwitch[];
  /** How many switches were known when the person last chose a method (see normInUse). */
  switchesAtLastChoice: number;
  samples: SampleGrid | null;
  /** 2-D data: the latest generated points ([n, 2]) of the fixed latent vectors and their iteration. */
  toyPoints: { iteration: number; points: Float32Array } | null;
  /** 2-D data: real points of the pool ([n, 2]) and the mixture they come from. */
  realPoints: { points: Float32Array; mixture: ToyModeSet } | null;
  /** 2-D data: D's logits over the scatter's view and G's arrows at the latest read-back. */
  toyField: { iteration: number; field: ToyField } | null;
  /** 2-D data: what the mode-count chart draws of the record (at most MAX_CHART_POINTS rows). */
  coverageHistory: CoveragePoint[];
  /** What the spectrum charts draw of the record's snapshots, oldest first (at most MAX_CHART_SPECTRA). */
  spectra: SpectrumSnapshot[];
  /** Every collapse alarm of this run, in the order raised (the record's; never thinned). */
  alarms: readonly CollapseAlarm[];
  /** Weight snapshots dropped because the spectrum worker was still busy with earlier ones. */
  spectraSkipped: number;
  data: { name: string; count: number; classNames: string[]; shortfall: string | null } | null;
  /** Names of dropped CIFAR-10 files the worker holds, if any. */
  uploadedFiles: string[];
  /** Dropped files the worker is still reading and checking. */
  checkingFiles: string[];
  messages: BannerMessage[];
  /** Why the run last restarted, e.g. "batch changed: the run restarted from iteration 0". */
  runNotice: string | null;
  /** The worker cannot go on (e.g. GPU device lost); Reset starts a new one. */
  fatal: boolean;
  /** Set while a diverged run waits: where it diverged and where a rollback would continue. */
  divergence: { iteration: number; rollbackIteration: number | null } | null;
  /**
   * The series of a run being resumed, held apart until its worker says 'ready': read-backs of the
   * run it replaces may still arrive meanwhile and must not land among them.
   */
  resumeSeries: SavedSeries | null;
}

/** The series a saved run shows again when it is resumed (spectra and alarms: absent in older saves). */
export interface SavedSeries {
  history: MetricsPoint[];
  coverageHistory: CoveragePoint[];
  spectra?: SpectrumSnapshot[];
  alarms?: CollapseAlarm[];
  /** What the saved record had left out (its spectrum cap); absent when nothing. */
  omitted?: RecordOmissions;
}

export type TrainingAction =
  | { type: 'worker'; message: WorkerToPage }
  | { type: 'add-message'; source: MessageSource; text: string }
  /** A saved run is being resumed: its series, kept until the worker says 'ready'. */
  | { type: 'load-saved-series'; series: SavedSeries }
  | { type: 'dismiss-message'; id: number }
  | { type: 'run-notice'; text: string | null }
  | { type: 'files-sent'; names: string[] }
  /** The person picked a D normalization; it is in use from now on, until the next switch. */
  | { type: 'norm-chosen' }
  | { type: 'worker-restarted' }
  /** The spectrum worker finished a snapshot of run `runId`. */
  | { type: 'spectrum'; snapshot: SpectrumSnapshot; runId: number }
  /** A weight snapshot was dropped: the spectrum worker had too many waiting. */
  | { type: 'spectrum-skipped' };

/** Rows a time chart draws at most: beyond it, a min/max downsample of the record (chart-downsample.ts). */
export const MAX_CHART_POINTS = 1000;
/** Spectrum snapshots the spectrum charts draw at most (each is every singular value of every layer). */
export const MAX_CHART_SPECTRA = 200;

/** What belongs to one run: emptied when a fresh trainer is ready. */
function freshRunState() {
  return {
    iteration: 0,
    iterationsPerSecond: null,
    record: emptyRunRecord(),
    history: [],
    normSwitches: [],
    switchesAtLastChoice: 0,
    samples: null,
    toyPoints: null,
    toyField: null,
    realPoints: null,
    coverageHistory: [],
    spectra: [],
    alarms: [],
    spectraSkipped: 0,
    divergence: null,
  } satisfies Partial<TrainingState>;
}

export function initialTrainingState(): TrainingState {
  return {
    phase: 'starting',
    phaseDetail: null,
    backend: null,
    backendNotice: null,
    backendAdapter: null,
    backendCalibration: null,
    info: null,
    runId: 0,
    ...freshRunState(),
    data: null,
    uploadedFiles: [],
    checkingFiles: [],
    messages: [],
    runNotice: null,
    fatal: false,
    resumeSeries: null,
  };
}

let nextMessageId = 1;

function withMessage(state: TrainingState, source: MessageSource, text: string): TrainingState {
  // The same text twice (e.g. a repeated bad drop) shows once.
  if (state.messages.some((m) => m.source === source && m.text === text)) return state;
  return { ...state, messages: [...state.messages, { id: nextMessageId++, source, text }] };
}

/**
 * The state with `record` as the run's record, and the charts' views of what changed in it. Says so
 * once when spectrum snapshots begin to be thinned (the record's cap, run-record.ts).
 */
export function withRecord(state: TrainingState, record: RunRecord): TrainingState {
  const old = state.record;
  let next: TrainingState = {
    ...state,
    record,
    history:
      record.metrics === old.metrics && state.history.length
        ? state.history
        : downsampleForChart(record.metrics, MAX_CHART_POINTS, METRICS_COUNT_SLOTS),
    coverageHistory:
      record.coverage === old.coverage && state.coverageHistory.length
        ? state.coverageHistory
        : downsampleForChart(record.coverage, MAX_CHART_POINTS),
    spectra: record.spectra === old.spectra ? state.spectra : strideForChart(record.spectra, MAX_CHART_SPECTRA),
    alarms: record.alarms,
  };
  if (record.spectraOmitted > 0 && old.spectraOmitted === 0) {
    next = withMessage(
      next,
      'spectra',
      `This run's spectrum snapshots reached the record's cap: older ones are now thinned (every other one). ` +
        `Exports say how many were left out; read-backs, mode counts and alarms are all kept.`,
    );
  }
  return next;
}

/** The items of `series` up to (and at) `iteration`. */
export function upTo<T extends { iteration: number }>(series: readonly T[], iteration: number): T[] {
  return series.filter((item) => item.iteration <= iteration);
}

/** The run's whole record up to `iteration`, as plain arrays: what a checkpoint at it is saved with. */
export function seriesUpTo(state: Pick<TrainingState, 'record'>, iteration: number): RecordSeries {
  return recordSeries(state.record, iteration);
}

/** The run went back to `iteration`: everything recorded after it belonged to the abandoned branch. */
function rolledBack(state: TrainingState, iteration: number): TrainingState {
  return withRecord(
    {
      ...state,
      iteration,
      divergence: null,
      messages: state.messages.filter((m) => m.source !== 'training'),
      runNotice: `Rolled back to iteration ${iteration}, the last good checkpoint.`,
    },
    recordUpTo(state.record, iteration),
  );
}

function onWorkerMessage(state: TrainingState, message: WorkerToPage): TrainingState {
  switch (message.type) {
    case 'phase':
      return { ...state, phase: message.phase, phaseDetail: message.detail ?? null };
    case 'backend':
      return {
        ...state,
        backend: message.backend,
        backendNotice: message.notice,
        backendAdapter: message.adapter,
        backendCalibration: message.calibration,
      };
    case 'ready':
      if (message.resumedAt !== null) {
        // A resumed run gets the series saved with its checkpoint, up to the checkpoint.
        return withRecord(
          {
            ...state,
            ...freshRunState(),
            info: message.info,
            runId: message.runId,
            iteration: message.resumedAt,
            resumeSeries: null,
            runNotice: `Resumed the saved run at iteration ${message.resumedAt}.`,
          },
          recordUpTo(runRecordOf(state.resumeSeries ?? {}), message.resumedAt),
        );
      }
      return { ...state, ...freshRunState(), info: message.info, runId: message.runId, resumeSeries: null };
    case 'iteration':
      return message.runId === state.runId ? { ...state, iteration: message.iteration } : state;
    case 'metrics':
      if (message.runId !== state.runId) return state;
      return withRecord(
        { ...state, iterationsPerSecond: message.iterationsPerSecond ?? state.iterationsPerSecond },
        withMetrics(state.record, message.point),
      );
    case 'samples':
      return message.runId === state.runId ? { ...state, samples: message.grid } : state;
    case 'toy-data':
      return message.runId === state.runId
        ? { ...state, realPoints: { points: message.points, mixture: message.mixture } }
        : state;
    case 'toy-coverage':
      if (message.runId !== state.runId) return state;
      return withRecord(
        { ...state, toyPoints: { iteration: message.iteration, points: message.points } },
        withCoverage(state.record, coveragePoint(message.iteration, message.coverage)),
      );
    case 'toy-field':
      return message.runId === state.runId
        ? { ...state, toyField: { iteration: message.iteration, field: message.field } }
        : state;
    case 'norm-switches':
      return message.runId === state.runId ? { ...state, normSwitches: message.switches } : state;
    case 'data-loaded':
      if (message.fromFiles.length) return { ...state, uploadedFiles: message.fromFiles, checkingFiles: [] };
      return {
        ...state,
        data: {
          name: message.name,
          count: message.count,
          classNames: message.classNames,
          shortfall: message.shortfall,
        },
      };
    case 'setup-rejected':
      return state; // the config revert is the page's job; the error came just before
    case 'weights':
      return state; // forwarded to the spectrum worker by the hook; its result arrives as 'spectrum'
    case 'checkpoint':
      return state; // the page's autosave keeps it (see App)
    case 'diverged':
      return message.runId === state.runId
        ? { ...state, divergence: { iteration: message.iteration, rollbackIteration: message.rollbackIteration } }
        : state;
    case 'rolled-back':
      return message.runId === state.runId ? rolledBack(state, message.iteration) : state;
    case 'generator-weights':
      return state; // forwarded to the proxy worker by the page; its result lands in proxy-state
    case 'error': {
      const next = withMessage(
        message.source === 'data' ? { ...state, checkingFiles: [] } : state,
        message.source,
        message.message,
      );
      return message.fatal ? { ...next, fatal: true } : next;
    }
  }
}

export function trainingReducer(state: TrainingState, action: TrainingAction): TrainingState {
  switch (action.type) {
    case 'worker':
      return onWorkerMessage(state, action.message);
    case 'add-message':
      return withMessage(state, action.source, action.text);
    case 'dismiss-message':
      return { ...state, messages: state.messages.filter((m) => m.id !== action.id) };
    case 'load-saved-series':
      return { ...state, resumeSeries: action.series };
    case 'run-notice':
      return { ...state, runNotice: action.text };
    case 'files-sent':
      return { ...state, checkingFiles: action.names };
    case 'norm-chosen':
      return { ...state, switchesAtLastChoice: state.normSwitches.length };
    case 'worker-restarted':
      return { ...initialTrainingState(), messages: state.messages, data: state.data, runNotice: state.runNotice };
    case 'spectrum':
      if (action.runId !== state.runId) return state;
      return withRecord(state, withSpectrum(state.record, action.snapshot));
    case 'spectrum-skipped':
      return { ...state, spectraSkipped: state.spectraSkipped + 1 };
  }
}

/**
 * The D normalization in use: the URL's `norm` (the person's latest choice), unless the trainer
 * switched since that choice (a scheduled switch), then the method it switched to. The URL keeps
 * the person's choice, so reopening the link replays the schedule from its start.
 */
export function normInUse(
  state: Pick<TrainingState, 'normSwitches' | 'switchesAtLastChoice'>,
  chosen: NormName,
): NormName {
  const switches = state.normSwitches;
  return switches.length > state.switchesAtLastChoice ? switches[switches.length - 1].to : chosen;
}

/** Chart rows: non-finite values become null, which the charts draw as a gap instead of failing. */
export interface LossRow {
  iteration: number;
  dLoss: number | null;
  gLoss: number | null;
}

export function lossRows(history: readonly MetricsPoint[]): LossRow[] {
  return history.map((p) => ({ iteration: p.iteration, dLoss: finiteOrNull(p.dLoss), gLoss: finiteOrNull(p.gLoss) }));
}

// The typed messages between the page and the training worker, both directions. Plain
// postMessage with discriminated unions: the worker streams events (metrics, samples, errors)
// at its own pace, which a request/response RPC would only wrap.
import type { GanConfig } from '../core/config/schema';
import type { AdapterDescription } from '../core/train/webgpu-adapter';
import type { BackendName } from '../core/train/select-backend';
import type { CollapseAlarmOptions, WeightSnapshot } from '../core/metrics/types';
import type { TrainerCheckpoint } from '../core/train/checkpoint';
import type { ModeCoverage } from '../core/metrics/mode-coverage';
import type { ToyModeSet } from '../core/data/toy-modes';
import type { ToyField } from '../core/train/toy-field';
import type { GeneratorSpec, MetricsPoint, NormSwitch, SampleGrid, TrainerInfo } from '../core/train/types';
import type { LiveSettings } from '../core/config/schema';

export type PageToWorker =
  /** (Re)build the trainer from this config: backend (first time), data set, fresh weights. */
  | {
      type: 'setup';
      config: GanConfig;
      startRunning: boolean;
      /** Continue this checkpoint (an autosave, or the run of a worker whose GPU device was lost). */
      resume?: TrainerCheckpoint;
    }
  /**
   * Fields that take effect without a rebuild (see LIVE_FIELDS); the iteration count goes on. Only
   * the changed ones: resending `norm` would undo a switch the schedule made since.
   */
  | { type: 'update-live'; settings: Partial<LiveSettings> }
  | { type: 'play' }
  | { type: 'pause' }
  /** One iteration (n_dis D updates + 1 G update), then a read-back; pauses first. */
  | { type: 'step' }
  /**
   * Parse official CIFAR-10 files. On success they become the `cifar10` data set (the page then
   * switches the dataset field, which rebuilds); on failure nothing changes.
   */
  | { type: 'load-files'; files: File[] }
  /**
   * The evaluation size N the proxy worker is ready to score (null: no proxy ready). While set, every
   * `proxyevery` iterations the worker sends a copy of G's weights for the proxy worker to generate
   * N images from the fixed evaluation latents and score them.
   */
  | { type: 'proxy-evaluations'; n: number | null }
  /** After a divergence: continue from the last good checkpoint (see 'diverged'). */
  | { type: 'rollback' }
  /**
   * The run store's port (run-store-protocol.ts): checkpoints go there by transfer instead of to the
   * page, so the page's thread never receives a full-size one.
   */
  | { type: 'checkpoint-port'; port: MessagePort };

export type WorkerPhase = 'starting' | 'loading-data' | 'building' | 'paused' | 'running' | 'failed';

export type ErrorSource = 'data' | 'training' | 'device' | 'backend' | 'worker';

export type WorkerToPage =
  | { type: 'phase'; phase: WorkerPhase; detail?: string }
  | {
      type: 'backend';
      backend: BackendName;
      notice: string | null;
      /** The WebGPU adapter (named software when it is one), or null without WebGPU. */
      adapter: AdapterDescription | null;
      /** backend=auto: which backend it picked and every candidate's figure; null when forced or not yet timed. */
      calibration: string | null;
    }
  /** A fresh trainer exists; everything shown before belongs to the previous run. */
  | {
      type: 'ready';
      info: TrainerInfo;
      config: GanConfig;
      runId: number;
      /** The iteration of the checkpoint this run continues, or null for a fresh run. */
      resumedAt: number | null;
    }
  /**
   * A checkpoint with finite losses and weights (at most every 30 s of training, and on pause): the
   * page keeps the latest as the run's autosave.
   */
  | { type: 'checkpoint'; checkpoint: TrainerCheckpoint; runId: number }
  /** A setup failed (e.g. the data set could not be loaded); the run built from activeConfig goes on. */
  | { type: 'setup-rejected'; activeConfig: GanConfig | null }
  /** G iterations done; posted after every iteration so the counter moves even between read-backs. */
  | { type: 'iteration'; iteration: number; runId: number }
  | { type: 'metrics'; point: MetricsPoint; iterationsPerSecond: number | null; runId: number }
  | { type: 'samples'; grid: SampleGrid; runId: number }
  /**
   * 2-D data only, once per run right after 'ready': up to TOY_REAL_POINTS of the data set's pool
   * ([n, 2], transferred) and the mixture they come from, for the scatter plot.
   */
  | { type: 'toy-data'; points: Float32Array; mixture: ToyModeSet; runId: number }
  /**
   * 2-D data only, at every read-back: the generated points of the fixed latent vectors ([n, 2],
   * transferred) and their mode coverage (TOY_COVERAGE_SAMPLES points, 3 std, VEEGAN protocol).
   */
  | { type: 'toy-coverage'; iteration: number; points: Float32Array; coverage: ModeCoverage; runId: number }
  /**
   * 2-D data only, at every read-back, after 'toy-coverage': D's logits on a TOY_FIELD_SIDE^2 grid
   * over the scatter's view and -dL_G/dx at TOY_FIELD_ARROWS generated points (arrays transferred).
   */
  | { type: 'toy-field'; iteration: number; field: ToyField; runId: number }
  /**
   * Every D layer's raw and effective weights at a G iteration that is a multiple of `spectra`; the
   * page hands them (transferred, not copied) to the spectrum worker for the exact decomposition.
   */
  | { type: 'weights'; snapshot: WeightSnapshot; alarm: CollapseAlarmOptions; runId: number }
  /**
   * Images only, every `proxyevery` iterations while a proxy is ready: a copy of G's parameters
   * (transferred) and what it takes to rebuild G; the page hands them to the proxy worker, which
   * generates and scores the evaluation images. `seconds`: the read-back, all this thread paid.
   */
  | {
      type: 'generator-weights';
      iteration: number;
      generator: GeneratorSpec;
      weights: Float32Array[];
      seconds: number;
      runId: number;
    }
  /**
   * A loss or D weight became NaN or Inf: training paused (an 'error' with the message comes too).
   * `rollbackIteration` is where a 'rollback' would continue from (null: no good checkpoint yet).
   */
  | { type: 'diverged'; iteration: number; rollbackIteration: number | null; runId: number }
  /** The run continues from the checkpoint at `iteration`: what the page showed after it is void. */
  | { type: 'rolled-back'; iteration: number; runId: number }
  /** Every D normalization switch of this run so far (live or scheduled); sent whenever one is added. */
  | { type: 'norm-switches'; switches: NormSwitch[]; runId: number }
  | {
      type: 'data-loaded';
      name: string;
      count: number;
      classNames: string[];
      fromFiles: string[];
      shortfall: string | null;
    }
  /**
   * Something went wrong. `fatal` means the worker cannot train any more (e.g. the GPU device was
   * lost) and the page should start a new worker on Reset.
   */
  | { type: 'error'; source: ErrorSource; message: string; fatal: boolean; iteration?: number };

/** Generated points scored at each read-back of a 2-D run (the standard protocol's 2500). */
export const TOY_COVERAGE_SAMPLES = 2500;
/** Real points of the pool sent to the page once per run, for the scatter plot. */
export const TOY_REAL_POINTS = 2500;
/** The high-quality radius of the mode count, in standard deviations of a mode. */
export const TOY_COVERAGE_STDS = 3;
/** Cells per side of D's heat map behind the scatter (8 pixels each on the 320-pixel plot). */
export const TOY_FIELD_SIDE = 40;
/** Generated points (the first fixed latent vectors) that get an arrow of G's update direction. */
export const TOY_FIELD_ARROWS = 24;

/** The settings GanTrainer.applyLiveSettings takes: they apply at its next update, without a reset. */
export type { LiveSettings, NormSwitch };
// The live/rebuild rules belong to the config (src/core/config); re-exported for existing importers.
export { LIVE_FIELDS, liveChanges, needsRebuild } from '../core/config/config-change';

// One training run as the page's worker and headless runs both drive it: the trainer, its run guard
// (last good checkpoint, NaN detection, rollback), the training clock, and every "every N iterations"
// decision. What happens goes to a sink; the caller owns the loop, the thread and the I/O.
import type { GanConfig, LiveSettings } from '../config/schema';
import { isPointSet, type TrainingSet } from '../data/types';
import type { CollapseAlarmOptions, WeightSnapshot } from '../metrics/types';
import type { TrainerCheckpoint } from './checkpoint';
import type { GanTrainer } from './gan-trainer';
import { whenQueuedWorkDone } from './queued-work';
import { isEveryDue, isReadBackDue, isSamplesDue } from './readback-schedule';
import { RunGuard, type Divergence } from './run-guard';
import type { MetricsPoint, NormSwitch, SampleGrid } from './types';

export { isEveryDue, isReadBackDue, isSamplesDue, MIN_SECONDS_BETWEEN_SAMPLES } from './readback-schedule';

/** What a session reports; a hook left out is work the session skips (e.g. headless draws no grid). */
export interface SessionSink {
  /** After every G iteration, so a counter moves between read-backs. */
  onIteration?(iteration: number): void;
  /** Every D normalization switch of the run so far, whenever one was added (live or scheduled). */
  onSwitches?(switches: NormSwitch[]): void;
  /** A new last good checkpoint (at most every interval of training time, and on checkpointNow). */
  onCheckpoint?(checkpoint: TrainerCheckpoint): void;
  /** A NaN or Inf at a read-back; the caller stops its loop (the iteration's other work still runs). */
  onDiverged?(divergence: Divergence): void;
  onMetrics?(point: MetricsPoint, iterationsPerSecond: number | null): void;
  /** 2-D data, at every read-back after the metrics; its time is training time. */
  onToyReadBack?(trainer: GanTrainer): Promise<void>;
  /** Image runs: the sample grid (see isSamplesDue). */
  onSamples?(grid: SampleGrid): void;
  /** Every `spectra` iterations: the raw and effective D weights (fresh copies, free to transfer). */
  onWeights?(snapshot: WeightSnapshot, alarm: CollapseAlarmOptions): void;
  /**
   * Image runs with an evaluation size set, every `proxyevery` iterations, once per iteration and
   * size: resolves to the seconds of its work that count as training time.
   */
  onProxyDue?(trainer: GanTrainer, n: number): Promise<number>;
  /** The run continues from the checkpoint at `iteration` (before the switches and read-back that follow). */
  onRolledBack?(iteration: number): void;
}

export interface SessionOptions {
  /** False while paused: a paused read-back always draws the grid. Default: running. */
  isRunning?: () => boolean;
  /** Seconds of training between checkpoints (RunGuard's default when left out). */
  checkpointIntervalSeconds?: number;
  /** Milliseconds, for the clock (tests pass a fake one). */
  now?: () => number;
}

export class TrainingSession {
  private current: GanTrainer;
  private readonly guard: RunGuard;
  private readonly isRunning: () => boolean;
  private readonly now: () => number;
  /** Seconds spent training (paused time excluded): the clock behind MetricsPoint.seconds. */
  private clock = 0;
  private lastReadBack: { iteration: number; seconds: number } | null = null;
  /** The clock when the grid was last drawn; null draws it at the next read-back. */
  private lastSamplesAt: number | null = null;
  private switchesReported = 0;
  private proxySize: number | null = null;
  /** The last proxy copy, so a size set again on the same iteration does not repeat it. */
  private lastProxy: { iteration: number; n: number } | null = null;
  private config: GanConfig;
  /** 2-D data: read-backs go to onToyReadBack, never a grid or a proxy. */
  readonly pointData: boolean;

  constructor(
    trainer: GanTrainer,
    readonly data: TrainingSet,
    private readonly sink: SessionSink,
    options: SessionOptions = {},
  ) {
    this.current = trainer;
    this.config = trainer.currentConfig;
    this.guard = new RunGuard(options.checkpointIntervalSeconds);
    this.isRunning = options.isRunning ?? (() => true);
    this.now = options.now ?? (() => performance.now());
    this.pointData = trainer.info.sampleShape.length === 1 && isPointSet(data);
  }

  get trainer(): GanTrainer {
    return this.current;
  }

  /** Seconds of training so far: iterations and read-backs, not paused time. */
  get seconds(): number {
    return this.clock;
  }

  /** The config of the run as set up and changed live (a scheduled switch changes only the trainer's). */
  get activeConfig(): GanConfig {
    return this.config;
  }

  /** The checkpoint a rollback would restore, or null. */
  get checkpoint(): TrainerCheckpoint | null {
    return this.guard.checkpoint;
  }

  /** Runs `work` and adds its duration to the clock. */
  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await work();
    } finally {
      this.clock += (this.now() - started) / 1000;
    }
  }

  /**
   * One G iteration, then what is due after it: a read-back every `every` iterations (or forced, as a
   * step does; its gradient norms are recorded too), weights for the spectra, a proxy copy.
   */
  async iterate({ forceReadBack = false }: { forceReadBack?: boolean } = {}): Promise<void> {
    const trainer = this.current;
    // Decided once, before the iteration: it also tells the trainer to record gradient norms.
    const readBackDue = isReadBackDue(trainer.iteration + 1, trainer.currentConfig.every, forceReadBack);
    const started = this.now();
    trainer.trainIteration(readBackDue);
    this.clock += (this.now() - started) / 1000;
    this.reportSwitches(); // a scheduled switch happens inside trainIteration
    this.reportIterationDone(trainer.iteration);
    if (readBackDue) await this.readBack(forceReadBack);
    await this.readWeightsIfDue();
    await this.copyGeneratorIfDue();
  }

  /**
   * The counter means iterations done (the design's contract): on webgpu it is reported when the GPU
   * has run the iteration, without waiting for it here, so the loop keeps queuing.
   */
  private reportIterationDone(iteration: number): void {
    const done = whenQueuedWorkDone();
    if (!done) this.sink.onIteration?.(iteration);
    else
      void done.then(
        () => this.sink.onIteration?.(iteration),
        () => undefined,
      );
  }

  /** One packed read of the metrics (checked by the guard), then the 2-D outputs or, if due, the grid. */
  async readBack(forceSamples = true): Promise<void> {
    const started = this.now();
    const trainer = this.current;
    const point = await trainer.readMetrics(this.clock);
    const before = this.guard.checkpoint;
    const diverged = await this.guard.observe(trainer, point);
    if (diverged) this.sink.onDiverged?.(diverged);
    let iterationsPerSecond: number | null = null;
    const last = this.lastReadBack;
    if (last && point.seconds > last.seconds && point.iteration > last.iteration)
      iterationsPerSecond = (point.iteration - last.iteration) / (point.seconds - last.seconds);
    this.lastReadBack = { iteration: point.iteration, seconds: point.seconds };
    this.sink.onMetrics?.(point, iterationsPerSecond);
    if (this.pointData) {
      await this.sink.onToyReadBack?.(trainer);
    } else if (this.sink.onSamples && isSamplesDue(this.clock, this.lastSamplesAt, forceSamples, this.isRunning())) {
      const grid = await trainer.renderSamples();
      this.sink.onSamples(grid);
      this.lastSamplesAt = this.clock;
    }
    this.clock += (this.now() - started) / 1000;
    // Last, after the read-back's outputs: the autosave that a checkpoint starts then overlaps no work
    // of this read-back (at full size on the cpu backend the sample grid alone takes seconds).
    if (this.guard.checkpoint && this.guard.checkpoint !== before) this.sink.onCheckpoint?.(this.guard.checkpoint);
  }

  /** Every `spectra` iterations: the raw and effective D weights; the read is training time. */
  async readWeightsIfDue(): Promise<void> {
    const { spectra, collapsedrop, collapsewindow, collapsepersist } = this.current.currentConfig;
    const onWeights = this.sink.onWeights;
    if (!onWeights || !isEveryDue(this.current.iteration, spectra)) return;
    const alarm = { drop: collapsedrop, window: collapsewindow, persist: collapsepersist };
    await this.timed(async () => onWeights.call(this.sink, await this.current.readWeights(), alarm));
  }

  /** Every `proxyevery` iterations of an image run while an evaluation size is set (once per iteration). */
  async copyGeneratorIfDue(): Promise<void> {
    const n = this.proxySize;
    const trainer = this.current;
    if (this.pointData || n === null || !this.sink.onProxyDue) return;
    const iteration = trainer.iteration;
    if (!isEveryDue(iteration, trainer.currentConfig.proxyevery)) return;
    if (this.lastProxy && this.lastProxy.iteration === iteration && this.lastProxy.n === n) return;
    const charged = await this.sink.onProxyDue(trainer, n);
    this.clock += charged;
    this.lastProxy = { iteration, n };
  }

  /** The N a proxy is ready to score, or null (no copies); the caller then runs copyGeneratorIfDue. */
  setProxyEvaluationSize(n: number | null): void {
    this.proxySize = n;
  }

  /** A checkpoint of where the run stands (if its read-back is finite), e.g. on pause for an autosave. */
  async checkpointNow(): Promise<void> {
    const trainer = this.current;
    await this.readBack(false);
    if (this.guard.checkpoint?.iteration === trainer.iteration) return; // the read-back just took it
    const before = this.guard.checkpoint;
    await this.guard.observe(trainer, await trainer.readMetrics(this.clock), true);
    if (this.guard.checkpoint && this.guard.checkpoint !== before) this.sink.onCheckpoint?.(this.guard.checkpoint);
  }

  /**
   * Replaces the trainer with one restored from the last good checkpoint (the diverged one is
   * disposed), then reads back. False when there is no checkpoint to return to.
   */
  async rollback(): Promise<boolean> {
    if (!this.guard.checkpoint) return false;
    const restored = await this.guard.rollback(this.data);
    this.current.dispose();
    this.current = restored;
    this.config = restored.currentConfig;
    this.lastReadBack = null;
    this.lastProxy = null;
    this.switchesReported = 0;
    this.sink.onRolledBack?.(restored.iteration);
    this.reportSwitches();
    await this.readBack(true);
    return true;
  }

  /** Live settings take effect at the next D update; call between iterations. */
  applyLive(settings: Partial<LiveSettings>): void {
    this.current.applyLiveSettings(settings);
    this.config = { ...this.config, ...settings };
    this.reportSwitches();
  }

  /** Sends the switch list when it has grown, so each switch is marked once more on the charts. */
  reportSwitches(): void {
    const switches = this.current.normSwitches;
    if (switches.length === this.switchesReported) return;
    this.switchesReported = switches.length;
    this.sink.onSwitches?.([...switches]);
  }

  dispose(): void {
    this.current.dispose();
  }
}

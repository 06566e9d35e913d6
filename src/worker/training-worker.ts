// The training worker: owns the tfjs backend, the data set and the trainer, and runs the loop off
// the page's thread. One lock serializes everything that touches the trainer (iterations, rebuilds,
// steps); the loop yields to the event loop between iterations so pause/step/setup messages land.
import type { GanConfig } from '../core/config/schema';
import { GanTrainer } from '../core/train/gan-trainer';
import { selectBackend, type BackendName } from '../core/train/select-backend';
import type { MetricsPoint } from '../core/train/types';
import type { LoadedDataset } from '../core/data/load-dataset';
import { DatasetCache } from './dataset-cache';
import { watchDeviceLoss } from './device-loss';
import { TOY_REAL_POINTS, type LiveSettings, type PageToWorker, type WorkerPhase, type WorkerToPage } from './protocol';
import { isPointSet, type TrainingSet } from '../core/data/types';
import type { ToyModeSet } from '../core/data/toy-modes';
import type { FieldWindow } from '../core/train/toy-field';
import { generatorPost, toyFieldWindow, toyReadBack, weightsPost, type Outgoing } from './readback-posts';
import { RunGuard } from '../core/train/run-guard';
import type { TrainerCheckpoint } from '../core/train/checkpoint';
import { errorText } from '../core/error-text';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const post = (message: WorkerToPage, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

const postAll = (outgoing: readonly Outgoing[]) => outgoing.forEach(({ message, transfer }) => post(message, transfer));

let backend: { choice: GanConfig['backend']; name: BackendName } | null = null;
let trainer: GanTrainer | null = null;
let activeConfig: GanConfig | null = null;
/** The run's 2-D data (null for images): read-backs count its modes and map D over `window`. */
let toy: { mixture: ToyModeSet; window: FieldWindow } | null = null;
let runId = 0;
let running = false;
let loopActive = false;
let deviceLost = false;
/** What a running setup is doing (null when none is), so the loop's phase reports don't mask it. */
let setupStep: WorkerPhase | null = null;
/** Seconds spent training (paused time excluded), the clock behind MetricsPoint.seconds. */
let activeSeconds = 0;
let lastReadBack: { iteration: number; seconds: number } | null = null;
/** activeSeconds when the sample grid was last drawn; null forces the next read-back to draw it. */
let lastSamplesAt: number | null = null;
/** How many of the trainer's norm switches the page has been sent. */
let switchesPosted = 0;
/**
 * The grid (64 generator passes) can cost more than an iteration on a software GPU, so at small
 * `every` it is redrawn at most this often; metrics are still read at every read-back.
 */
const MIN_SECONDS_BETWEEN_SAMPLES = 2;
const datasets = new DatasetCache();
/** The run's data, for a rollback's new trainer. */
let runData: TrainingSet | null = null;
/** Keeps the last good checkpoint and catches NaN/Inf at each read-back. */
const guard = new RunGuard();
/** N the page's proxy is ready to score, or null; see the 'proxy-evaluations' message. */
let proxyEvaluationSize: number | null = null;
/** The last G copy sent for scoring, so a proxy becoming ready does not re-send the same iteration. */
let lastProxyImages: { runId: number; iteration: number; n: number } | null = null;

let lock: Promise<unknown> = Promise.resolve();
/** Runs `task` after every task queued before it; a failure does not block later tasks. */
function withLock<T>(task: () => Promise<T>): Promise<T> {
  const result = lock.then(task);
  lock = result.catch(() => undefined);
  return result;
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setPhase(phase: WorkerPhase, detail?: string): void {
  post({ type: 'phase', phase, detail });
}

/** Reports the steady phase: failed, running or paused (a setup in progress reports its own steps). */
function reportSteadyPhase(): void {
  if (setupStep) return;
  setPhase(deviceLost || !trainer ? 'failed' : running ? 'running' : 'paused');
}

function setSetupStep(step: WorkerPhase, detail?: string): void {
  setupStep = step;
  setPhase(step, detail);
}

/** Stops the loop after its current iteration and says why. */
function stopWithError(source: 'training' | 'device', message: string, fatal: boolean): void {
  running = false;
  post({ type: 'error', source, message, fatal, iteration: trainer?.iteration });
  reportSteadyPhase();
}

async function ensureBackend(choice: GanConfig['backend']): Promise<void> {
  if (backend?.choice === choice) return;
  setSetupStep('starting', 'selecting the tfjs backend');
  const selection = await selectBackend(choice);
  backend = { choice, name: selection.backend };
  post({ type: 'backend', backend: selection.backend, notice: selection.notice });
  if (selection.backend === 'webgpu') watchTrainingDevice();
}

/** A lost GPU device ends this worker's use: the page offers a new worker on Reset. */
function watchTrainingDevice(): void {
  watchDeviceLoss((reason) => {
    deviceLost = true;
    trainer = null;
    stopWithError('device', `The GPU device was lost (${reason}).`, true);
  });
}

async function setup(config: GanConfig, startRunning: boolean, resume?: TrainerCheckpoint): Promise<void> {
  running = false;
  await withLock(async () => {
    try {
      await buildRun(config, resume);
    } finally {
      setupStep = null;
    }
    if (startRunning) running = true;
    reportSteadyPhase();
    // The untrained samples, sigmas and spectra, so the panels are never empty after a reset.
    if (trainer) {
      await readBack().catch((error: unknown) => reportTrainingFailure(error));
      await sendWeightsIfDue().catch((error: unknown) => reportTrainingFailure(error));
      await sendGeneratorIfDue().catch((error: unknown) => reportTrainingFailure(error));
    }
  });
  if (running) play();
}

/**
 * Backend (once), data set, fresh trainer (or one restored from `resume`). On a data failure the
 * current run stays as it was.
 */
async function buildRun(config: GanConfig, resume?: TrainerCheckpoint): Promise<void> {
  if (deviceLost) return;
  try {
    await ensureBackend(config.backend);
  } catch (error) {
    post({ type: 'error', source: 'backend', message: errorText(error), fatal: true });
    return;
  }
  setSetupStep('loading-data', config.dataset);
  let loaded: LoadedDataset;
  try {
    loaded = await datasets.load(config, (progress) => setSetupStep('loading-data', progress));
  } catch (error) {
    // A bad data set never costs the person their run: the page reverts to the config in use.
    post({ type: 'error', source: 'data', message: errorText(error), fatal: false });
    post({ type: 'setup-rejected', activeConfig });
    return;
  }
  const data = loaded.set;
  post({
    type: 'data-loaded',
    name: data.name,
    count: data.count,
    classNames: data.classNames,
    fromFiles: [],
    shortfall: loaded.shortfall,
  });
  setSetupStep('building');
  trainer?.dispose();
  trainer = null;
  activeConfig = null;
  toy = null;
  try {
    trainer = resume ? await GanTrainer.restore(data, resume) : GanTrainer.create(config, data);
  } catch (error) {
    const what = resume
      ? `Could not resume the saved run at iteration ${resume.iteration}`
      : 'Could not build the model';
    post({ type: 'error', source: 'training', message: `${what}: ${errorText(error)}`, fatal: false });
    post({ type: 'setup-rejected', activeConfig: null });
    return;
  }
  config = trainer.currentConfig;
  activeConfig = config;
  runData = data;
  guard.reset();
  runId++;
  activeSeconds = 0;
  lastReadBack = null;
  lastSamplesAt = null;
  switchesPosted = 0;
  post({ type: 'ready', info: trainer.info, config, runId, resumedAt: resume ? resume.iteration : null });
  postNewSwitches();
  // 2-D data (sample shape [2]): the page draws real against generated points, so it gets the real ones once.
  if (trainer.info.sampleShape.length === 1 && isPointSet(data)) {
    toy = { mixture: data.mixture, window: toyFieldWindow(config, data.mixture) };
    const real = data.points.slice(0, 2 * Math.min(data.count, TOY_REAL_POINTS));
    post({ type: 'toy-data', points: real, mixture: data.mixture, runId }, [real.buffer]);
  }
  post({ type: 'iteration', iteration: trainer.iteration, runId });
}

/** One packed read of the metrics, then (if due or forced) the sample grid. Stops training on a non-finite loss. */
async function readBack(forceSamples = true): Promise<void> {
  if (!trainer) return;
  const started = performance.now();
  const point: MetricsPoint = await trainer.readMetrics(activeSeconds);
  const before = guard.checkpoint;
  const diverged = await guard.observe(trainer, point);
  if (guard.checkpoint && guard.checkpoint !== before)
    post({ type: 'checkpoint', checkpoint: guard.checkpoint, runId });
  if (diverged) {
    const offer =
      diverged.rollbackIteration === null
        ? 'Reset to start again'
        : `Roll back to iteration ${diverged.rollbackIteration}, the last good checkpoint, or Reset`;
    stopWithError(
      'training',
      `${diverged.message}; training paused. ${offer} (a smaller lr or a normalization may help).`,
      false,
    );
    post({ type: 'diverged', iteration: diverged.iteration, rollbackIteration: diverged.rollbackIteration, runId });
  }
  let iterationsPerSecond: number | null = null;
  if (lastReadBack && point.seconds > lastReadBack.seconds && point.iteration > lastReadBack.iteration) {
    iterationsPerSecond = (point.iteration - lastReadBack.iteration) / (point.seconds - lastReadBack.seconds);
  }
  lastReadBack = { iteration: point.iteration, seconds: point.seconds };
  post({ type: 'metrics', point, iterationsPerSecond, runId });
  if (toy) {
    // 2-D data: the points, coverage and heat map replace the image grid (the page draws the scatter).
    postAll(await toyReadBack(trainer, toy.mixture, toy.window, runId));
    activeSeconds += (performance.now() - started) / 1000;
    return;
  }
  const samplesDue = lastSamplesAt === null || activeSeconds - lastSamplesAt >= MIN_SECONDS_BETWEEN_SAMPLES;
  if (forceSamples || samplesDue || !running) {
    const grid = await trainer.renderSamples();
    post({ type: 'samples', grid, runId }, [grid.rgba.buffer]);
    lastSamplesAt = activeSeconds;
  }
  activeSeconds += (performance.now() - started) / 1000;
}

/**
 * Every `spectra` iterations: the raw and effective D weights go to the page (transferred), which
 * hands them to the spectrum worker; the read-back is all this thread pays for exact spectra.
 */
async function sendWeightsIfDue(): Promise<void> {
  if (!trainer) return;
  const started = performance.now();
  const outgoing = await weightsPost(trainer, runId);
  activeSeconds += (performance.now() - started) / 1000;
  if (outgoing) post(outgoing.message, outgoing.transfer);
}

/**
 * Every `proxyevery` iterations of an image run, while the page has a proxy ready: a copy of G's
 * weights goes to the page (transferred) for the proxy worker, which generates the N evaluation
 * images on its own backend and scores them. The read-back is all this thread pays; it is counted in
 * the run's clock and shown on the page.
 */
async function sendGeneratorIfDue(): Promise<void> {
  const n = proxyEvaluationSize;
  if (!trainer || toy || n === null) return;
  const every = trainer.currentConfig.proxyevery;
  const iteration = trainer.iteration;
  if (every === 0 || iteration % every !== 0) return;
  if (
    lastProxyImages &&
    lastProxyImages.runId === runId &&
    lastProxyImages.iteration === iteration &&
    lastProxyImages.n === n
  )
    return;
  const outgoing = await generatorPost(trainer, runId);
  if (outgoing.message.type === 'generator-weights') activeSeconds += outgoing.message.seconds;
  lastProxyImages = { runId, iteration, n };
  post(outgoing.message, outgoing.transfer);
}

/** One iteration under the lock; reads back every `every` iterations (or always, for a step). */
async function iterateOnce(forceReadBack: boolean): Promise<void> {
  if (!trainer) return;
  const started = performance.now();
  try {
    // A step reads back right after, so its gradient norms are recorded too.
    if (forceReadBack) trainer.trainIteration(true);
    else trainer.trainIteration();
    activeSeconds += (performance.now() - started) / 1000;
    postNewSwitches(); // a scheduled switch happens inside trainIteration
    post({ type: 'iteration', iteration: trainer.iteration, runId });
    if (forceReadBack || trainer.iteration % trainer.currentConfig.every === 0) await readBack(forceReadBack);
    await sendWeightsIfDue();
    await sendGeneratorIfDue();
  } catch (error) {
    reportTrainingFailure(error);
  }
}

function reportTrainingFailure(error: unknown): void {
  if (deviceLost) return; // already reported, with a better message
  stopWithError('training', `Training failed at iteration ${trainer?.iteration ?? '?'}: ${errorText(error)}`, false);
}

/** On pause: a checkpoint of where the run stands (if its last read-back was finite), for the autosave. */
async function checkpointNow(): Promise<void> {
  if (!trainer || deviceLost) return;
  try {
    await readBack(false);
    if (guard.checkpoint?.iteration === trainer.iteration) return; // readBack just took it
    const before = guard.checkpoint;
    await guard.observe(trainer, await trainer.readMetrics(activeSeconds), true);
    if (guard.checkpoint && guard.checkpoint !== before)
      post({ type: 'checkpoint', checkpoint: guard.checkpoint, runId });
  } catch (error) {
    reportTrainingFailure(error);
  }
}

/** Replaces the diverged trainer with one restored from the last good checkpoint; the run id stays. */
async function rollback(): Promise<void> {
  if (!trainer || !runData || !guard.checkpoint) return;
  try {
    const restored = await guard.rollback(runData);
    trainer.dispose();
    trainer = restored;
    activeConfig = restored.currentConfig;
    lastReadBack = null;
    lastProxyImages = null;
    switchesPosted = 0;
    post({ type: 'rolled-back', iteration: restored.iteration, runId });
    postNewSwitches();
    await readBack(true);
  } catch (error) {
    post({ type: 'error', source: 'training', message: `The rollback failed: ${errorText(error)}`, fatal: false });
  }
  reportSteadyPhase();
}

/** Starts the loop; a play during a setup waits for it (the loop's first iteration queues on the lock). */
function play(): void {
  if (deviceLost) return;
  running = true;
  void runLoop();
}

async function runLoop(): Promise<void> {
  if (loopActive) return;
  loopActive = true;
  reportSteadyPhase();
  try {
    while (running) {
      await withLock(() => iterateOnce(false));
      if (!trainer) running = false;
      await yieldToEvents();
    }
  } finally {
    loopActive = false;
    reportSteadyPhase();
  }
}

/** Sends the trainer's switch list when it has grown, so each switch is marked on the charts. */
function postNewSwitches(): void {
  if (!trainer || trainer.normSwitches.length === switchesPosted) return;
  switchesPosted = trainer.normSwitches.length;
  post({ type: 'norm-switches', switches: [...trainer.normSwitches], runId });
}

function applyLive(settings: Partial<LiveSettings>): void {
  // Under the lock, so a change never lands in the middle of an iteration: it takes effect at the
  // next D update (every LIVE_SETTING_KEYS field goes through applyLiveSettings).
  void withLock(async () => {
    if (!trainer || !activeConfig) return;
    trainer.applyLiveSettings(settings);
    activeConfig = { ...activeConfig, ...settings };
    postNewSwitches();
  });
}

async function loadFiles(files: File[]): Promise<void> {
  try {
    const summary = await datasets.addDroppedFiles(files);
    const { name, count, classNames } = summary;
    post({ type: 'data-loaded', name, count, classNames, fromFiles: summary.files, shortfall: null });
  } catch (error) {
    // DataFileError names the file and the problem; the data set in use is untouched.
    post({ type: 'error', source: 'data', message: errorText(error), fatal: false });
  }
}

scope.onmessage = (event: MessageEvent<PageToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'setup':
      void setup(message.config, message.startRunning, message.resume);
      break;
    case 'update-live':
      applyLive(message.settings);
      break;
    case 'play':
      play();
      break;
    case 'pause':
      running = false;
      reportSteadyPhase();
      void withLock(checkpointNow);
      break;
    case 'step':
      running = false;
      void withLock(() => iterateOnce(true));
      break;
    case 'load-files':
      void loadFiles(message.files);
      break;
    case 'rollback':
      running = false;
      void withLock(rollback);
      break;
    case 'proxy-evaluations':
      proxyEvaluationSize = message.n;
      // A proxy that becomes ready on a due iteration (e.g. 0, right after loading) scores it now.
      void withLock(() => sendGeneratorIfDue().catch((error: unknown) => reportTrainingFailure(error)));
      break;
  }
};

scope.addEventListener('unhandledrejection', (event) => {
  post({
    type: 'error',
    source: 'worker',
    message: `Unexpected error in the training worker: ${errorText(event.reason)}`,
    fatal: false,
  });
});

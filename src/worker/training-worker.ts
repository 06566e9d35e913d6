// The training worker: owns the tfjs backend and the data set, and runs the loop off the page's
// thread; a TrainingSession drives the run, and its sink posts what happens as messages. One lock
// serializes everything that touches the session (iterations, rebuilds, steps); the loop yields to
// the event loop between iterations so pause/step/setup messages land.
import type { GanConfig, LiveSettings } from '../core/config/schema';
import { GanTrainer } from '../core/train/gan-trainer';
import { selectBackend, type BackendName } from '../core/train/select-backend';
import type { LoadedDataset } from '../core/data/load-dataset';
import { DatasetCache } from './dataset-cache';
import { watchDeviceLoss } from './device-loss';
import { TOY_REAL_POINTS, type PageToWorker, type WorkerPhase, type WorkerToPage } from './protocol';
import { isPointSet, type TrainingSet } from '../core/data/types';
import { generatorPost, toyFieldWindow, toyReadBack, weightsPost } from './readback-posts';
import type { TrainerCheckpoint } from '../core/train/checkpoint';
import { copyForTransfer } from '../core/runs/transfer-list';
import { errorText } from '../core/error-text';
import { createTaskLock } from '../core/task-lock';
import { TrainingSession, type SessionSink } from '../core/train/training-session';
import { yieldToEvents } from '../core/yield-to-events';
import { describeCalibration, unavailableNotice } from '../core/train/backend-calibration';
import { describeWebGPUAdapter, type AdapterDescription } from '../core/train/webgpu-adapter';
import { chooseAutoBackend } from './auto-backend';
import { compileAhead } from '../core/train/compile-ahead';
import { whenQueuedWorkDone } from '../core/train/queued-work';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const post = (message: WorkerToPage, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

let backend: {
  choice: GanConfig['backend'];
  name: BackendName;
  adapter: AdapterDescription | null;
  /** backend=auto has timed the candidates (forced backends need no timing). */
  calibrated: boolean;
} | null = null;
/** The run (trainer, guard, clock, schedules); null before the first build, after a failed one or a lost device. */
let session: TrainingSession | null = null;
let runId = 0;
let running = false;
let loopActive = false;
let deviceLost = false;
/** What a running setup is doing (null when none is), so the loop's phase reports don't mask it. */
let setupStep: WorkerPhase | null = null;
const datasets = new DatasetCache();
/** N the page's proxy is ready to score, or null; see the 'proxy-evaluations' message. Kept across runs. */
let proxyEvaluationSize: number | null = null;
/** Where checkpoints go (the page's run store), once the page has sent it; the page itself until then. */
let checkpointPort: MessagePort | null = null;
const withLock = createTaskLock();

function setPhase(phase: WorkerPhase, detail?: string): void {
  post({ type: 'phase', phase, detail });
}

/** Reports the steady phase: failed, running or paused (a setup in progress reports its own steps). */
function reportSteadyPhase(): void {
  if (setupStep) return;
  setPhase(deviceLost || !session ? 'failed' : running ? 'running' : 'paused');
}

function setSetupStep(step: WorkerPhase, detail?: string): void {
  setupStep = step;
  setPhase(step, detail);
}

/** Stops the loop after its current iteration and says why. */
function stopWithError(source: 'training' | 'device', message: string, fatal: boolean): void {
  running = false;
  post({ type: 'error', source, message, fatal, iteration: session?.trainer.iteration });
  reportSteadyPhase();
}

async function ensureBackend(choice: GanConfig['backend']): Promise<void> {
  if (backend?.choice === choice) return;
  setSetupStep('starting', 'selecting the tfjs backend');
  const selection = await selectBackend(choice);
  const adapter = selection.backend === 'webgpu' ? await describeWebGPUAdapter() : null;
  backend = { choice, name: selection.backend, adapter, calibrated: choice !== 'auto' };
  post({ type: 'backend', backend: selection.backend, notice: selection.notice, adapter, calibration: null });
  if (selection.backend === 'webgpu' && choice !== 'auto') watchTrainingDevice();
}

/** backend=auto, once per worker: time the backends on this model (or recall the timing) and keep the fastest. */
async function calibrateAutoBackend(config: GanConfig, data: TrainingSet): Promise<void> {
  if (!backend || backend.calibrated) return;
  setSetupStep('starting', 'timing webgpu, webgl and cpu on this model (backend=auto)');
  const calibration = await chooseAutoBackend(config, data, backend.adapter);
  backend = { ...backend, name: calibration.backend, calibrated: true };
  const adapter = calibration.backend === 'webgpu' ? backend.adapter : null;
  post({
    type: 'backend',
    backend: calibration.backend,
    notice: unavailableNotice(calibration),
    adapter,
    calibration: describeCalibration(calibration),
  });
  if (calibration.backend === 'webgpu') watchTrainingDevice();
}

/** A lost GPU device ends this worker's use: the page offers a new worker on Reset. */
function watchTrainingDevice(): void {
  watchDeviceLoss((reason) => {
    deviceLost = true;
    session = null;
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
    const built = session;
    if (built) {
      await built.readBack().catch((error: unknown) => reportTrainingFailure(error));
      await built.readWeightsIfDue().catch((error: unknown) => reportTrainingFailure(error));
      await built.copyGeneratorIfDue().catch((error: unknown) => reportTrainingFailure(error));
      // A fresh run on webgpu: compile the training step's shaders now, in parallel, while the person
      // looks at the page; a Train click meanwhile waits on the lock for what is left.
      if (built.trainer.iteration === 0 && backend?.name === 'webgpu')
        await compileAhead(built.trainer.currentConfig, built.data).catch(() => undefined);
    }
  });
  if (running) play();
}

/** Posts what the run `id` reports, while it is the worker's run (a lost device drops it mid-iteration). */
function sinkFor(data: TrainingSet, config: GanConfig, id: number): SessionSink {
  const live = () => session !== null && runId === id;
  const send = (message: WorkerToPage, transfer: Transferable[] = []) => {
    if (live()) post(message, transfer);
  };
  const toy = isPointSet(data) ? { mixture: data.mixture, window: toyFieldWindow(config, data.mixture) } : null;
  return {
    onIteration: (iteration) => send({ type: 'iteration', iteration, runId: id }),
    onSwitches: (switches) => send({ type: 'norm-switches', switches, runId: id }),
    // A copy, transferred to the run store (the original stays here for a rollback).
    onCheckpoint: (checkpoint) => {
      const { copy, transfer } = copyForTransfer(checkpoint);
      if (checkpointPort && live()) checkpointPort.postMessage({ runId: id, checkpoint: copy }, transfer);
      else send({ type: 'checkpoint', checkpoint: copy, runId: id }, transfer);
    },
    onDiverged: ({ message, iteration, rollbackIteration }) => {
      if (!live()) return;
      const offer =
        rollbackIteration === null
          ? 'Reset to start again'
          : `Roll back to iteration ${rollbackIteration}, the last good checkpoint, or Reset`;
      stopWithError(
        'training',
        `${message}; training paused. ${offer} (a smaller lr or a normalization may help).`,
        false,
      );
      send({ type: 'diverged', iteration, rollbackIteration, runId: id });
    },
    onMetrics: (point, iterationsPerSecond) => send({ type: 'metrics', point, iterationsPerSecond, runId: id }),
    // 2-D data: the points, coverage and heat map replace the image grid (the page draws the scatter).
    onToyReadBack: async (trainer) => {
      if (toy) (await toyReadBack(trainer, toy.mixture, toy.window, id)).forEach((o) => send(o.message, o.transfer));
    },
    onSamples: (grid) => send({ type: 'samples', grid, runId: id }, [grid.rgba.buffer]),
    // The page hands the weights (transferred) to the spectrum worker: the read is all this thread pays.
    onWeights: (snapshot, alarm) => {
      const { message, transfer } = weightsPost(snapshot, alarm, id);
      send(message, transfer);
    },
    // The page's proxy worker rebuilds G from the copy and scores its images; the read is training time.
    onProxyDue: async (trainer) => {
      const { message, transfer } = await generatorPost(trainer, id);
      send(message, transfer);
      return message.type === 'generator-weights' ? message.seconds : 0;
    },
    onRolledBack: (iteration) => send({ type: 'rolled-back', iteration, runId: id }),
  };
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
    post({ type: 'setup-rejected', activeConfig: session?.activeConfig ?? null });
    return;
  }
  const data = loaded.set;
  try {
    await calibrateAutoBackend(config, data);
  } catch (error) {
    post({ type: 'error', source: 'backend', message: errorText(error), fatal: true });
    return;
  }
  post({
    type: 'data-loaded',
    name: data.name,
    count: data.count,
    classNames: data.classNames,
    fromFiles: [],
    shortfall: loaded.shortfall,
  });
  setSetupStep('building');
  session?.dispose();
  session = null;
  let trainer: GanTrainer;
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
  runId++;
  session = new TrainingSession(trainer, data, sinkFor(data, config, runId), { isRunning: () => running });
  session.setProxyEvaluationSize(proxyEvaluationSize);
  post({ type: 'ready', info: trainer.info, config, runId, resumedAt: resume ? resume.iteration : null });
  session.reportSwitches();
  // 2-D data (sample shape [2]): the page draws real against generated points, so it gets the real ones once.
  if (session.pointData && isPointSet(data)) {
    const real = data.points.slice(0, 2 * Math.min(data.count, TOY_REAL_POINTS));
    post({ type: 'toy-data', points: real, mixture: data.mixture, runId }, [real.buffer]);
  }
  post({ type: 'iteration', iteration: trainer.iteration, runId });
}

/** One iteration under the lock; the session reads back when due (or always, for a step). */
async function iterateOnce(forceReadBack: boolean): Promise<void> {
  try {
    await session?.iterate({ forceReadBack });
  } catch (error) {
    reportTrainingFailure(error);
  }
}

function reportTrainingFailure(error: unknown): void {
  if (deviceLost) return; // already reported, with a better message
  const iteration = session?.trainer.iteration ?? '?';
  stopWithError('training', `Training failed at iteration ${iteration}: ${errorText(error)}`, false);
}

/** On pause: a checkpoint of where the run stands (if its last read-back was finite), for the autosave. */
async function checkpointNow(): Promise<void> {
  if (!session || deviceLost) return;
  try {
    await session.checkpointNow();
  } catch (error) {
    reportTrainingFailure(error);
  }
}

/** Replaces the diverged trainer with one restored from the last good checkpoint; the run id stays. */
async function rollback(): Promise<void> {
  if (!session?.checkpoint) return;
  try {
    await session.rollback();
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
      if (!session) running = false;
      await yieldToEvents();
    }
  } finally {
    loopActive = false;
    // "Paused" once the GPU has run the loop's last iteration: its counter report comes first, so the
    // counter beside "Paused" is final (on webgpu it is reported when the queued work is done).
    await whenQueuedWorkDone()?.catch(() => undefined);
    reportSteadyPhase();
  }
}

function applyLive(settings: Partial<LiveSettings>): void {
  // Under the lock, so a change never lands in the middle of an iteration: it takes effect at the
  // next D update (every field flagged live in field-table.ts goes through applyLiveSettings).
  void withLock(async () => session?.applyLive(settings));
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
      if (!loopActive) reportSteadyPhase(); // a running loop reports it as it ends
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
    case 'checkpoint-port':
      checkpointPort = message.port;
      break;
    case 'proxy-evaluations':
      proxyEvaluationSize = message.n;
      session?.setProxyEvaluationSize(message.n);
      // A proxy that becomes ready on a due iteration (e.g. 0, right after loading) scores it now.
      void withLock(async () => session?.copyGeneratorIfDue().catch((error: unknown) => reportTrainingFailure(error)));
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

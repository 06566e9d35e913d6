// Owns the training worker: starts it, turns its messages into TrainingState, and offers the
// commands the controls need. A worker that can no longer train (lost GPU device, backend change)
// is replaced by a fresh one rather than repaired.
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { GanConfig } from '../../core/config/schema';
import type { TrainerCheckpoint } from '../../core/train/checkpoint';
import type { LiveSettings, PageToWorker, WorkerToPage } from '../../worker/protocol';
import type { PageToSpectrum, SpectrumToPage } from '../../worker/spectrum-protocol';
import { transferOf } from '../../core/runs/transfer-list';
import { runStore } from '../runs/run-store-client';
import {
  initialTrainingState,
  trainingReducer,
  type MessageSource,
  type SavedSeries,
  type TrainingState,
} from './training-state';

export interface TrainingCommands {
  /** Builds a fresh run from config (new weights, iteration 0). */
  setup(config: GanConfig, startRunning: boolean): void;
  /** Starts a new worker (and a new backend) and sets up config there. */
  restartWorker(config: GanConfig, startRunning: boolean, resume?: SavedRun): void;
  /** Sends changed live fields; a `norm` among them also counts as the person's choice (normInUse). */
  applyLive(settings: Partial<LiveSettings>): void;
  play(): void;
  pause(): void;
  /** After a divergence: continue from the last good checkpoint. */
  rollback(): void;
  /** Continue a saved run: its series come back first, then the worker rebuilds it from the checkpoint. */
  resume(config: GanConfig, saved: SavedRun): void;
  step(): void;
  /** Files go to the worker as they are (File is cloneable); it reads and checks them there. */
  loadFiles(files: File[]): void;
  /** N the proxy worker is ready to score, or null: the training worker generates images only while set. */
  setProxyEvaluationSize(n: number | null): void;
  addMessage(source: MessageSource, text: string): void;
  dismissMessage(id: number): void;
  setRunNotice(text: string | null): void;
}

/** A checkpoint and the series the page showed up to it: what resuming a run needs. */
export interface SavedRun extends SavedSeries {
  checkpoint: TrainerCheckpoint;
}

export interface TrainingWorkerHandlers {
  /** The worker's GPU device was lost (it can train no more). */
  onDeviceLost(): void;
  /** Called when a setup was refused (bad data set); the page puts the config in use back. */
  onSetupRejected(activeConfig: GanConfig | null): void;
  /** Called when dropped files were parsed and are ready to be used as the cifar10 data set. */
  onFilesLoaded(): void;
  /** A good checkpoint of run `runId` (the autosave keeps it). */
  onCheckpoint(checkpoint: TrainerCheckpoint, runId: number): void;
  /** The run went back to a checkpoint at `iteration`. */
  onRolledBack(runId: number, iteration: number): void;
  /** A copy of G's weights for the proxy worker to generate and score the evaluation images. */
  onGeneratorWeights(message: Extract<WorkerToPage, { type: 'generator-weights' }>): void;
}

function startWorker(): Worker {
  return new Worker(new URL('../../worker/training-worker.ts', import.meta.url), { type: 'module', name: 'training' });
}

function startSpectrumWorker(): Worker {
  return new Worker(new URL('../../worker/spectrum-worker.ts', import.meta.url), { type: 'module', name: 'spectrum' });
}

/**
 * Weight snapshots waiting in (or being decomposed by) the spectrum worker. Beyond this a new one is
 * dropped and counted, so a slow decomposition never piles up memory behind fast training.
 */
const MAX_SPECTRA_IN_FLIGHT = 2;

export function useTrainingWorker(
  initialConfig: GanConfig,
  handlers: TrainingWorkerHandlers,
): [TrainingState, TrainingCommands] {
  const [state, dispatch] = useReducer(trainingReducer, undefined, initialTrainingState);
  const workerRef = useRef<Worker | null>(null);
  const spectrumRef = useRef<{ worker: Worker; inFlight: number } | null>(null);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  /** The last evaluation size sent, so a replacement worker is told too. */
  const proxyEvaluationSize = useRef<number | null>(null);

  const send = useCallback((message: PageToWorker, transfer: Transferable[] = []) => {
    workerRef.current?.postMessage(message, transfer);
  }, []);

  /** A fresh spectrum worker (the old one, if any, is stopped with whatever it had queued). */
  const attachSpectrumWorker = useCallback(() => {
    spectrumRef.current?.worker.terminate();
    const worker = startSpectrumWorker();
    const entry = { worker, inFlight: 0 };
    worker.onmessage = (event: MessageEvent<SpectrumToPage>) => {
      const message = event.data;
      entry.inFlight = Math.max(0, entry.inFlight - 1);
      if (message.type === 'spectrum') dispatch({ type: 'spectrum', snapshot: message.snapshot, runId: message.runId });
      else
        dispatch({
          type: 'add-message',
          source: 'spectra',
          text: `The exact spectra could not be computed: ${message.message}`,
        });
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      entry.inFlight = 0;
      dispatch({
        type: 'add-message',
        source: 'spectra',
        text: `The spectrum worker failed: ${event.message || 'it could not be loaded'}`,
      });
    };
    spectrumRef.current = entry;
  }, []);

  const forwardWeights = useCallback((message: Extract<WorkerToPage, { type: 'weights' }>) => {
    const spectrum = spectrumRef.current;
    if (!spectrum) return;
    if (spectrum.inFlight >= MAX_SPECTRA_IN_FLIGHT) {
      dispatch({ type: 'spectrum-skipped' });
      return;
    }
    spectrum.inFlight++;
    const request: PageToSpectrum = {
      type: 'observe',
      runId: message.runId,
      weights: message.snapshot,
      alarm: message.alarm,
    };
    const transfer = message.snapshot.layers.flatMap((layer) => [layer.raw.buffer, layer.effective.buffer]);
    spectrum.worker.postMessage(request, transfer);
  }, []);

  const attach = useCallback(
    (worker: Worker) => {
      worker.onmessage = (event: MessageEvent<WorkerToPage>) => {
        const message = event.data;
        if (message.type === 'weights') {
          forwardWeights(message);
          return;
        }
        if (message.type === 'checkpoint') {
          handlersRef.current.onCheckpoint(message.checkpoint, message.runId);
          return;
        }
        if (message.type === 'generator-weights') {
          handlersRef.current.onGeneratorWeights(message);
          return;
        }
        dispatch({ type: 'worker', message });
        if (message.type === 'setup-rejected') handlersRef.current.onSetupRejected(message.activeConfig);
        if (message.type === 'rolled-back') handlersRef.current.onRolledBack(message.runId, message.iteration);
        if (message.type === 'error' && message.source === 'device') handlersRef.current.onDeviceLost();
        if (message.type === 'data-loaded' && message.fromFiles.length) handlersRef.current.onFilesLoaded();
      };
      // A worker script that fails to load or throws at the top level lands here, not in onmessage.
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        dispatch({
          type: 'worker',
          message: {
            type: 'error',
            source: 'worker',
            message: `The training worker failed: ${event.message || 'it could not be loaded'}`,
            fatal: true,
          },
        });
      };
      // Checkpoints go straight to the run store worker (about 100 MB at full size), not through here.
      const port = runStore().trainingPort();
      worker.postMessage({ type: 'checkpoint-port', port } satisfies PageToWorker, [port]);
      workerRef.current = worker;
    },
    [forwardWeights],
  );

  const restartWorker = useCallback(
    (config: GanConfig, startRunning: boolean, resume?: SavedRun) => {
      workerRef.current?.terminate();
      dispatch({ type: 'worker-restarted' });
      attachSpectrumWorker(); // the new worker's run ids start again at 1
      attach(startWorker());
      if (resume) dispatch({ type: 'load-saved-series', series: resume });
      // Transferred, not cloned: a full-size checkpoint is about 100 MB (the page keeps no copy).
      send(
        { type: 'setup', config, startRunning, resume: resume?.checkpoint },
        resume ? transferOf(resume.checkpoint) : [],
      );
      send({ type: 'proxy-evaluations', n: proxyEvaluationSize.current });
    },
    [attach, attachSpectrumWorker, send],
  );

  // One worker for the page's life (StrictMode mounts twice in development: the first is terminated).
  const initialConfigRef = useRef(initialConfig);
  useEffect(() => {
    attachSpectrumWorker();
    attach(startWorker());
    send({ type: 'setup', config: initialConfigRef.current, startRunning: false });
    return () => {
      workerRef.current?.terminate();
      workerRef.current = null;
      spectrumRef.current?.worker.terminate();
      spectrumRef.current = null;
    };
  }, [attach, attachSpectrumWorker, send]);

  const commands = useMemo<TrainingCommands>(
    () => ({
      setup: (config, startRunning) => send({ type: 'setup', config, startRunning }),
      restartWorker,
      applyLive: (settings) => {
        if (settings.norm !== undefined) dispatch({ type: 'norm-chosen' });
        send({ type: 'update-live', settings });
      },
      play: () => send({ type: 'play' }),
      rollback: () => send({ type: 'rollback' }),
      resume: (config, saved) => {
        dispatch({ type: 'load-saved-series', series: saved });
        send({ type: 'setup', config, startRunning: false, resume: saved.checkpoint }, transferOf(saved.checkpoint));
      },
      pause: () => send({ type: 'pause' }),
      step: () => send({ type: 'step' }),
      loadFiles: (files) => {
        dispatch({ type: 'files-sent', names: files.map((f) => f.name) });
        send({ type: 'load-files', files });
      },
      setProxyEvaluationSize: (n) => {
        proxyEvaluationSize.current = n;
        send({ type: 'proxy-evaluations', n });
      },
      addMessage: (source, text) => dispatch({ type: 'add-message', source, text }),
      dismissMessage: (id) => dispatch({ type: 'dismiss-message', id }),
      setRunNotice: (text) => dispatch({ type: 'run-notice', text }),
    }),
    [send, restartWorker],
  );

  return [state, commands];
}

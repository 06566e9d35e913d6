// Owns the proxy worker: tells it which data, recipe and N the run uses, starts its training when
// the first evaluation is due (or on request), hands it the copies of G the training worker sends,
// and turns its messages into ProxyState. At most one evaluation runs at a time; later G copies are
// dropped and counted, so evaluations never pile up behind fast training.
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { GanConfig } from '../../core/config/schema';
import type { WorkerToPage } from '../../worker/protocol';
import type { PageToProxy, ProxyToPage } from '../../worker/proxy-protocol';
import { downloadBlob } from '../charts/download-csv';
import { initialProxyState, proxyReducer, type ProxyState } from './proxy-state';
import { errorText } from '../../core/error-text';

export interface ProxyCommands {
  /** Train the proxy now instead of waiting for the first due evaluation. */
  train(): void;
  exportProxy(): void;
  importFile(file: File): void;
  /** A copy of G from the training worker: generated from and scored unless a scoring is still running. */
  score(message: Extract<WorkerToPage, { type: 'generator-weights' }>): void;
  /** CIFAR-10 files dropped on the page: the proxy worker reads them too. */
  loadFiles(files: File[]): void;
  /** The run rolled back to `iteration`: drop its later evaluations. */
  rolledBack(runId: number, iteration: number): void;
}

export interface ProxyWorkerHandlers {
  /** A message for the page's banner. */
  onError(text: string): void;
  /** N the proxy is ready to score (null: none): the training worker generates images only then. */
  onEvaluationSize(n: number | null): void;
}

function startProxyWorker(): Worker {
  return new Worker(new URL('../../worker/proxy-worker.ts', import.meta.url), { type: 'module', name: 'proxy' });
}

export function useProxyWorker(
  config: GanConfig,
  iteration: number,
  handlers: ProxyWorkerHandlers,
): [ProxyState, ProxyCommands] {
  const [state, dispatch] = useReducer(proxyReducer, undefined, initialProxyState);
  const workerRef = useRef<{ worker: Worker; scoring: boolean } | null>(null);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  const send = useCallback((message: PageToProxy, transfer: Transferable[] = []) => {
    workerRef.current?.worker.postMessage(message, transfer);
  }, []);

  useEffect(() => {
    const entry = { worker: startProxyWorker(), scoring: false };
    entry.worker.onmessage = (event: MessageEvent<ProxyToPage>) => {
      const message = event.data;
      if (message.type === 'evaluation' || message.type === 'evaluation-skipped') entry.scoring = false;
      if (message.type === 'exported') {
        downloadBlob(message.fileName, new Blob([message.bytes], { type: 'application/octet-stream' }));
        return;
      }
      if (message.type === 'error') {
        handlersRef.current.onError(message.message);
        return;
      }
      dispatch({ type: 'worker', message });
    };
    entry.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      entry.scoring = false;
      handlersRef.current.onError(`The proxy worker failed: ${event.message || 'it could not be loaded'}`);
    };
    workerRef.current = entry;
    return () => {
      entry.worker.terminate();
      workerRef.current = null;
    };
  }, []);

  // The data, recipe, N and backend the proxy is for; anything else about the run does not matter to it.
  const { dataset, subset, seed, proxy, proxyn, backend } = config;
  const classesText = config.classes.join(',');
  useEffect(() => {
    const classes = classesText.split(',').map(Number);
    send({ type: 'prepare', data: { dataset, classes, subset, seed }, recipe: proxy, n: proxyn, backend });
  }, [send, dataset, classesText, subset, seed, proxy, proxyn, backend]);

  // The training worker generates images only while a proxy is ready and evaluations are on.
  const readyN = state.phase === 'ready' && state.reference ? state.reference.n : null;
  const evaluationSize = config.proxyevery > 0 ? readyN : null;
  useEffect(() => {
    handlersRef.current.onEvaluationSize(evaluationSize);
  }, [evaluationSize]);

  // No cached proxy: it trains once the first evaluation is due, so short runs never pay for it.
  const trainRequested = useRef<string | null>(null);
  const due = config.proxyevery > 0 && iteration >= config.proxyevery;
  const waitingFor = state.phase === 'untrained' ? `${dataset}|${classesText}|${subset}|${seed}|${proxy}` : null;
  useEffect(() => {
    if (!due || waitingFor === null || trainRequested.current === waitingFor) return;
    trainRequested.current = waitingFor;
    send({ type: 'train' });
  }, [due, waitingFor, send]);

  const commands = useMemo<ProxyCommands>(
    () => ({
      train: () => send({ type: 'train' }),
      exportProxy: () => send({ type: 'export' }),
      importFile: (file) => {
        void file.arrayBuffer().then(
          (bytes) => send({ type: 'import', bytes, fileName: file.name }, [bytes]),
          (error: unknown) => handlersRef.current.onError(`${file.name} could not be read: ${errorText(error)}`),
        );
      },
      score: (message) => {
        const entry = workerRef.current;
        if (!entry) return;
        if (entry.scoring) {
          dispatch({ type: 'skipped' });
          return;
        }
        entry.scoring = true;
        const request: PageToProxy = {
          type: 'evaluate',
          runId: message.runId,
          iteration: message.iteration,
          generator: message.generator,
          weights: message.weights,
          readBackSeconds: message.seconds,
        };
        entry.worker.postMessage(
          request,
          message.weights.map((w) => w.buffer),
        );
      },
      loadFiles: (files) => send({ type: 'load-files', files }),
      rolledBack: (runId, iteration) => dispatch({ type: 'rolled-back', runId, iteration }),
    }),
    [send],
  );

  return [state, commands];
}

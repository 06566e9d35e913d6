// The spectrum worker: exact singular values of every D layer in float64, and the collapse alarm,
// off both the page's thread and the training worker's (which only reads the weights back).
import { SpectrumObserver } from '../core/metrics/spectrum-snapshot';
import type { PageToSpectrum, SpectrumToPage } from './spectrum-protocol';
import { errorText } from '../core/error-text';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** One observer per run: its collapse detector remembers that run's recent peaks. */
let observer: { runId: number; instance: SpectrumObserver } | null = null;

function post(message: SpectrumToPage): void {
  scope.postMessage(message);
}

scope.onmessage = (event: MessageEvent<PageToSpectrum>) => {
  const { runId, weights, alarm } = event.data;
  if (observer?.runId !== runId) observer = { runId, instance: new SpectrumObserver() };
  try {
    post({ type: 'spectrum', runId, snapshot: observer.instance.observe(weights, alarm) });
  } catch (error) {
    post({ type: 'error', runId, message: errorText(error) });
  }
};

// backend=auto in the training worker: the timing of each backend on this model (core's
// backend-calibration.ts), kept in IndexedDB per model shape and device, so the same model on the
// same machine is timed once. IndexedDB failing (private windows, quota) only costs a new timing.
import * as tf from '@tensorflow/tfjs';
import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { GanConfig } from '../core/config/schema';
import type { TrainingSet } from '../core/data/types';
import {
  calibrateBackends,
  calibrationKey,
  timeTrainer,
  type BackendCalibration,
  type CalibrationCache,
} from '../core/train/backend-calibration';
import { FALLBACK_ORDER, trySetBackend } from '../core/train/select-backend';
import type { AdapterDescription } from '../core/train/webgpu-adapter';

let store: UseStore | null = null;
// Opened on first use, not at import: Node (the tests) has no IndexedDB.
const calibrationStore = (): UseStore => (store ??= createStore('spectral-gan-backend-calibration', 'timings'));

const indexedDbCache: CalibrationCache = {
  get: (key) => get<BackendCalibration>(key, calibrationStore()).catch(() => undefined),
  set: (key, value) => set(key, value, calibrationStore()).catch(() => undefined),
};

/** The machine as far as a worker can tell: browser, cores, and the WebGPU adapter if any. */
function deviceName(adapter: AdapterDescription | null): string {
  const agent =
    typeof navigator === 'undefined'
      ? 'no navigator'
      : `${navigator.userAgent}; ${navigator.hardwareConcurrency} cores`;
  return `${agent}; ${adapter?.description ?? 'no WebGPU'}`;
}

/**
 * Leaves the fastest backend for this model active: the cached choice when this device timed this
 * model shape before (and that backend still starts), else a new timing of every candidate.
 */
export async function chooseAutoBackend(
  config: GanConfig,
  data: TrainingSet,
  adapter: AdapterDescription | null,
  cache: CalibrationCache = indexedDbCache,
): Promise<BackendCalibration> {
  const key = calibrationKey(config, data, deviceName(adapter));
  const cached = await cache.get(key);
  if (cached && (await trySetBackend(cached.backend))) return { ...cached, fromCache: true };
  const calibration = await calibrateBackends(FALLBACK_ORDER, trySetBackend, () => timeTrainer(config, data));
  await cache.set(key, calibration);
  releaseOtherBackends(calibration);
  return calibration;
}

/** The backends timed and not chosen let go of their GPU device or WebGL context (one backend per worker). */
function releaseOtherBackends(calibration: BackendCalibration): void {
  for (const { backend, msPerIteration } of calibration.timings) {
    if (backend !== calibration.backend && msPerIteration !== null && tf.findBackend(backend))
      tf.removeBackend(backend);
  }
}

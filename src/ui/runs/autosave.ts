// The run's autosave in IndexedDB (through idb-keyval): the latest checkpoint the training worker
// sent (at most every 30 s of training, and on pause) with the configuration and the series the page
// showed up to it. A reload, or a crash, finds it and offers to resume. IndexedDB commits each write
// before it resolves, so a completed autosave survives the tab closing.
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { checkCheckpoint } from '../../core/train/checkpoint';
import type { SavedRun } from '../app/use-training-worker';

export interface Autosave extends SavedRun {
  savedAt: string;
}

const KEY = 'current-run';
let store: UseStore | null = null;
function autosaveStore(): UseStore {
  store ??= createStore('spectral-gan-autosave', 'runs');
  return store;
}

export async function writeAutosave(autosave: Autosave): Promise<void> {
  await set(KEY, autosave, autosaveStore());
}

/** The saved run, or null when there is none or it is not one this build can resume (then it is left alone). */
export async function readAutosave(): Promise<Autosave | null> {
  const value = (await get(KEY, autosaveStore())) as Partial<Autosave> | undefined;
  if (!value || typeof value !== 'object') return null;
  try {
    checkCheckpoint(value.checkpoint);
  } catch {
    return null;
  }
  return {
    savedAt: String(value.savedAt ?? ''),
    checkpoint: value.checkpoint,
    history: Array.isArray(value.history) ? value.history : [],
    coverageHistory: Array.isArray(value.coverageHistory) ? value.coverageHistory : [],
    spectra: Array.isArray(value.spectra) ? value.spectra : [],
    alarms: Array.isArray(value.alarms) ? value.alarms : [],
  };
}

export async function clearAutosave(): Promise<void> {
  await del(KEY, autosaveStore());
}

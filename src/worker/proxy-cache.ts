// Trained proxy nets kept in the browser (IndexedDB, through idb-keyval), keyed by recipeKey: the
// recipe and the data it was trained on. A reload, or another tab on the same data, finds the proxy
// here instead of training it again. A broken store (private mode, quota) only costs the cache.
import { createStore, get, set, type UseStore } from 'idb-keyval';

export interface CachedProxy {
  /** ProxyNet.serialize() output (its header holds the recipe, the data key and the test accuracy). */
  bytes: ArrayBuffer;
  /** Seconds its training took, where it was trained (null for an imported file). */
  trainSeconds: number | null;
  /** Where it was trained: "webgpu", "cpu"… or "imported". */
  origin: string;
  savedAt: string;
}

const DATABASE = 'spectral-gan-playground';
const STORE = 'proxy-nets';

let store: UseStore | null = null;
function proxyStore(): UseStore {
  store ??= createStore(DATABASE, STORE);
  return store;
}

function isCachedProxy(value: unknown): value is CachedProxy {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<CachedProxy>;
  return record.bytes instanceof ArrayBuffer && typeof record.origin === 'string';
}

/** The cached proxy of `key`, or null (also when the store cannot be opened or holds something else). */
export async function readCachedProxy(key: string): Promise<CachedProxy | null> {
  const value: unknown = await get(key, proxyStore());
  return isCachedProxy(value) ? value : null;
}

export async function writeCachedProxy(key: string, entry: CachedProxy): Promise<void> {
  await set(key, entry, proxyStore());
}

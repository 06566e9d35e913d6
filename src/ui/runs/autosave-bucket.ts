// Where the autosaves live: a storage bucket of their own (the Storage Buckets API, in Chromium),
// named like the database, so that the browser accounts for them apart from the rest of the site
// (its quota and usage are the autosaves' alone) and a full bucket is a real QuotaExceededError on
// the write. Browsers without the API keep them in the origin's default storage. Autosaves of
// builds before the bucket are moved into it the first time it is opened.
import { createStore, del, get, keys, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { AUTOSAVE_DB, AUTOSAVE_STORE } from './autosave-slots';

/** The bucket's name (docs/files.md). */
export const AUTOSAVE_BUCKET = AUTOSAVE_DB;

/** The part of the Storage Buckets API used here (not yet in TypeScript's DOM types). */
interface StorageBucket {
  indexedDB: IDBFactory;
  estimate(): Promise<StorageEstimate>;
}
interface StorageBucketManager {
  open(name: string): Promise<StorageBucket>;
}

const bucketManager = (): StorageBucketManager | undefined =>
  (globalThis.navigator as { storageBuckets?: StorageBucketManager } | undefined)?.storageBuckets;

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(AUTOSAVE_DB);
  request.onupgradeneeded = () => request.result.createObjectStore(AUTOSAVE_STORE);
  return promisifyRequest(request);
}

/** idb-keyval's UseStore on an open database (its createStore opens the default storage's). */
function storeOf(database: Promise<IDBDatabase>): UseStore {
  return (mode, callback) =>
    database.then((db) => callback(db.transaction(AUTOSAVE_STORE, mode).objectStore(AUTOSAVE_STORE)));
}

/** The store in `factory`'s database, opened again after the browser closes it (as idb-keyval's createStore). */
function storeIn(factory: IDBFactory): UseStore {
  let database: Promise<IDBDatabase> | null = null;
  return (mode, callback) => {
    if (!database) {
      const opening = openDatabase(factory);
      database = opening;
      opening.then(
        (db) => (db.onclose = () => (database = null)),
        () => (database = null),
      );
    }
    return storeOf(database)(mode, callback);
  };
}

/** Moves every record of the default storage's autosave database into `target`, one at a time, then deletes it. */
async function moveEarlierAutosaves(target: UseStore): Promise<void> {
  const databases = (await indexedDB.databases?.()) ?? [];
  if (!databases.some((database) => database.name === AUTOSAVE_DB)) return;
  const database = await openDatabase(indexedDB);
  try {
    const source = storeOf(Promise.resolve(database));
    for (const key of await keys(source)) {
      const value: unknown = await get(key, source);
      // Another tab may have moved it meanwhile.
      if (value !== undefined) await set(key, value, target);
      await del(key, source);
    }
  } finally {
    database.close();
  }
  // Not waited for when a tab of an earlier build still has it open: it goes once that tab closes.
  const deletion = indexedDB.deleteDatabase(AUTOSAVE_DB);
  await new Promise((resolve) => (deletion.onsuccess = deletion.onerror = deletion.onblocked = resolve));
}

let opened: Promise<{ store: UseStore; bucket: StorageBucket | null }> | null = null;

function openAutosaves(): Promise<{ store: UseStore; bucket: StorageBucket | null }> {
  opened ??= (async () => {
    const manager = bucketManager();
    if (!manager) return { store: createStore(AUTOSAVE_DB, AUTOSAVE_STORE), bucket: null };
    const bucket = await manager.open(AUTOSAVE_BUCKET);
    const store = storeIn(bucket.indexedDB);
    await moveEarlierAutosaves(store);
    return { store, bucket };
  })();
  // A failed opening is tried again at the next use.
  opened.catch(() => (opened = null));
  return opened;
}

/** The autosave store, as idb-keyval's UseStore (opened, and earlier autosaves moved, on first use). */
export const autosaveStore: UseStore = (mode, callback) => openAutosaves().then(({ store }) => store(mode, callback));

/** Usage and quota of the autosaves' storage: their bucket's, or the origin's without buckets. */
export async function autosaveStorageEstimate(): Promise<StorageEstimate | null> {
  try {
    const { bucket } = await openAutosaves();
    return (await (bucket ?? globalThis.navigator?.storage)?.estimate()) ?? null;
  } catch {
    return null;
  }
}

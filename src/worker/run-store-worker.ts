// The run store: owns the tab's checkpoints off the page's thread. It holds the latest checkpoint
// of the current run (transferred to it, never cloned on the page), autosaves it in the tab's slot
// in IndexedDB, encodes the .sgrun export and decodes imports. The tab's slot is guarded by a Web
// Lock held as long as this worker lives, so another tab never writes it or offers it.
import { decodeRunFile, encodeRunFile } from '../core/runs/run-file';
import type { TrainerCheckpoint } from '../core/train/checkpoint';
import { errorText } from '../core/error-text';
import type { SavedSeries } from '../ui/app/training-state';
import { deleteAutosave, listSavedRuns, readAutosave, savedIteration, writeAutosave } from '../ui/runs/autosave';
import { autosaveStorageEstimate } from '../ui/runs/autosave-bucket';
import {
  AUTOSAVE_FORMAT,
  AUTOSAVE_VERSION,
  KEEP_AUTOSAVES,
  LEGACY_SLOT,
  notSavedMessage,
  offersFor,
  slotLockName,
  slotsToPrune,
  type AutosaveRecord,
} from '../ui/runs/autosave-slots';
import { copyForTransfer, transferOf } from '../core/runs/transfer-list';
import type { CheckpointPost, PageToStore, StoreRequest, StoreResults, StoreToPage } from './run-store-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: StoreToPage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** How long a reloaded tab waits for its previous document to let go of its slot's lock. */
const RECLAIM_WAIT_MS = 2000;

let slot: string | null = null;
let releaseSlot: (() => void) | null = null;
/** The legacy record was resumed here: it is deleted once this tab's slot holds the run. */
let legacyAdopted = false;
let held: { runId: number; checkpoint: TrainerCheckpoint } | null = null;
/** The training worker whose checkpoints are taken (the page's latest). */
let generation = 0;
let pending: { runId: number; checkpoint: TrainerCheckpoint; series: SavedSeries } | null = null;
let writing = false;
/** Settles once the tab's slot is claimed: autosaves and requests wait for it. */
let opened: Promise<void> = new Promise(() => undefined);

const locks = (): LockManager | null => (typeof navigator !== 'undefined' && navigator.locks) || null;

/** Holds `name`'s lock until the returned release is called (null: another tab holds it). */
function holdLock(name: string, waitMs: number): Promise<(() => void) | null> {
  const manager = locks();
  if (!manager) return Promise.resolve(() => undefined); // no Web Locks: one tab's behaviour
  return new Promise((resolve) => {
    const options: LockOptions = waitMs > 0 ? { signal: AbortSignal.timeout(waitMs) } : { ifAvailable: true };
    manager
      .request(name, options, (lock) => {
        if (!lock) return resolve(null);
        return new Promise<void>((release) => resolve(release));
      })
      .catch(() => resolve(null)); // the wait timed out: another live tab holds it
  });
}

/** Slots whose lock an open tab holds (this one's included). */
async function heldSlots(): Promise<Set<string>> {
  const prefix = slotLockName('');
  const snapshot = (await locks()?.query()) ?? {};
  return new Set(
    (snapshot.held ?? []).flatMap((lock) => (lock.name?.startsWith(prefix) ? [lock.name.slice(prefix.length)] : [])),
  );
}

const pick = ({ dataset, norm }: TrainerCheckpoint['config']) => ({ dataset, norm });

const newSlotName = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

async function open(preferred: string | null): Promise<void> {
  if (preferred && preferred !== LEGACY_SLOT) {
    releaseSlot = await holdLock(slotLockName(preferred), RECLAIM_WAIT_MS);
    if (releaseSlot) slot = preferred;
  }
  while (!slot) {
    const candidate = newSlotName();
    releaseSlot = await holdLock(slotLockName(candidate), 0);
    if (releaseSlot) slot = candidate;
  }
  try {
    post({ type: 'opened', slot, offers: await offers(), keep: KEEP_AUTOSAVES, error: null });
  } catch (error) {
    post({ type: 'opened', slot, offers: [], keep: KEEP_AUTOSAVES, error: errorText(error) });
  }
}

async function offers() {
  return offersFor(await listSavedRuns(), slot ?? '', await heldSlots());
}

async function drainAutosaves(): Promise<void> {
  if (writing) return;
  writing = true;
  try {
    while (pending) {
      const job = pending;
      pending = null; // a newer checkpoint arriving during the write replaces this one's successor
      await autosave(job);
    }
  } finally {
    writing = false;
  }
}

async function autosave(job: NonNullable<typeof pending>): Promise<void> {
  const own = slot;
  if (!own) return;
  const { runId, checkpoint, series } = job;
  const record: AutosaveRecord = {
    ...series,
    format: AUTOSAVE_FORMAT,
    version: AUTOSAVE_VERSION,
    slot: own,
    savedAt: new Date().toISOString(),
    checkpoint,
  };
  try {
    const times = await writeAutosave(record);
    post({ type: 'autosaved', runId, iteration: checkpoint.iteration, ...times });
  } catch (error) {
    const kept = await savedIteration(own).catch(() => null);
    const storage = await autosaveStorageEstimate();
    post({
      type: 'autosave-failed',
      runId,
      iteration: checkpoint.iteration,
      message: notSavedMessage(checkpoint.iteration, error, kept, storage ?? null),
    });
    return;
  }
  if (legacyAdopted) {
    legacyAdopted = false;
    await deleteAutosave(LEGACY_SLOT).catch(() => undefined);
  }
  // Old slots do not pile up: beyond the newest few, those no open tab holds go.
  const prune = slotsToPrune(await listSavedRuns(), own, await heldSlots());
  await Promise.all(prune.map((name) => deleteAutosave(name).catch(() => undefined)));
}

type Reply = { result: StoreResults[StoreRequest['type']]; transfer?: Transferable[] };

async function answer(request: StoreRequest): Promise<Reply> {
  switch (request.type) {
    case 'list':
      return { result: { offers: await offers() } };
    case 'load': {
      const record = await readAutosave(request.slot);
      if (request.slot === LEGACY_SLOT) legacyAdopted = true;
      else if (request.slot !== slot) await adopt(request.slot);
      const { format: _format, version: _version, slot: _slot, ...run } = record;
      return { result: { run, slot: slot ?? '' }, transfer: transferOf(run.checkpoint) };
    }
    case 'discard':
      await deleteAutosave(request.slot);
      return { result: { offers: await offers() } };
    case 'export': {
      const checkpoint = held?.runId === request.runId ? held.checkpoint : null;
      if (!checkpoint || checkpoint.iteration !== request.iteration)
        throw new Error(`the checkpoint of iteration ${request.iteration} is no longer held; pause and export again`);
      const started = performance.now();
      const bytes = encodeRunFile({ ...request.series, checkpoint });
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/gzip' });
      return { result: { blob, bytes: bytes.byteLength, encodeMs: performance.now() - started } };
    }
    case 'import': {
      const started = performance.now();
      const buffer = await request.file.arrayBuffer();
      const read = performance.now();
      const run = decodeRunFile(new Uint8Array(buffer));
      const result = { run, bytes: buffer.byteLength, readMs: read - started, decodeMs: performance.now() - read };
      return { result, transfer: transferOf(run.checkpoint) };
    }
    case 'held': {
      if (held?.runId !== request.runId) return { result: { checkpoint: null } };
      const { copy, transfer } = copyForTransfer(held.checkpoint);
      return { result: { checkpoint: copy }, transfer };
    }
  }
}

/** This tab takes over `name` (a run saved by a closed tab, resumed here); its own slot is let go. */
async function adopt(name: string): Promise<void> {
  const release = await holdLock(slotLockName(name), 0);
  if (!release) throw new Error('another open tab has just resumed it');
  releaseSlot?.();
  releaseSlot = release;
  slot = name;
}

scope.onmessage = (event: MessageEvent<PageToStore>) => {
  const message = event.data;
  if (message.type === 'open') {
    opened = open(message.preferredSlot);
  } else if (message.type === 'training-port') {
    generation = message.generation;
    const from = message.generation;
    message.port.onmessage = (event: MessageEvent<CheckpointPost>) => {
      if (from !== generation) return; // a replaced worker's last words
      const { runId, checkpoint } = event.data;
      held = { runId, checkpoint };
      const { iteration, config } = checkpoint;
      post({ type: 'checkpoint-held', generation: from, runId, iteration, config: pick(config) });
    };
  } else if (message.type === 'autosave') {
    const { runId, iteration, series } = message;
    // Only the checkpoint the page answered for: a newer one gets its own answer.
    if (message.generation !== generation || held?.runId !== runId || held.checkpoint.iteration !== iteration) return;
    pending = { runId, checkpoint: held.checkpoint, series };
    void opened.then(drainAutosaves);
  } else if (message.type === 'checkpoint') {
    held = { runId: message.runId, checkpoint: message.checkpoint };
    if (message.series) {
      pending = { runId: message.runId, checkpoint: message.checkpoint, series: message.series };
      void opened.then(drainAutosaves);
    }
  } else {
    const { id, request } = message;
    opened
      .then(() => answer(request))
      .then(
        ({ result, transfer }) => post({ type: 'reply', id, result }, transfer),
        (error: unknown) => post({ type: 'refused', id, message: errorText(error) }),
      );
  }
};

// The page's handle on the run store worker (src/worker/run-store-worker.ts): one per page, started
// on first use. Requests are promises; checkpoints go to it by transfer, so the page's thread never
// copies one. The tab's slot name is kept in sessionStorage, so a reload finds its own slot again.
import type { TrainerCheckpoint } from '../../core/train/checkpoint';
import type { SavedSeries } from '../app/training-state';
import { transferOf } from '../../core/runs/transfer-list';
import type { PageToStore, StoreRequest, StoreResults, StoreToPage } from '../../worker/run-store-protocol';

const SLOT_KEY = 'spectral-gan-autosave-slot';

export type StoreEvent = Extract<StoreToPage, { type: 'opened' | 'checkpoint-held' | 'autosaved' | 'autosave-failed' }>;
type Waiting = { resolve(result: unknown): void; reject(error: Error): void };

function rememberSlot(slot: string): void {
  try {
    sessionStorage.setItem(SLOT_KEY, slot);
  } catch {
    // storage disabled: the tab gets a new slot at each load, its old one is offered
  }
}

function rememberedSlot(): string | null {
  try {
    return sessionStorage.getItem(SLOT_KEY);
  } catch {
    return null;
  }
}

export class RunStoreClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  /** The training worker whose checkpoints count: the one given the latest port. */
  private generation = 0;
  /** The latest 'opened' (the store sends it once), for listeners that come later. */
  private openedEvent: StoreEvent | null = null;

  constructor() {
    this.worker = new Worker(new URL('../../worker/run-store-worker.ts', import.meta.url), {
      type: 'module',
      name: 'run-store',
    });
    this.worker.onmessage = (event: MessageEvent<StoreToPage>) => this.receive(event.data);
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const error = new Error(`the run store worker failed: ${event.message || 'it could not be loaded'}`);
      for (const entry of this.waiting.values()) entry.reject(error);
      this.waiting.clear();
    };
    this.send({ type: 'open', preferredSlot: rememberedSlot() });
  }

  private send(message: PageToStore, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private receive(message: StoreToPage): void {
    if (message.type === 'reply' || message.type === 'refused') {
      const entry = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.type === 'reply') entry?.resolve(message.result);
      else entry?.reject(new Error(message.message));
      return;
    }
    if (message.type === 'opened') {
      rememberSlot(message.slot);
      this.openedEvent = message;
    }
    for (const listener of this.listeners) listener(message);
  }

  /** Store events (opened, autosaved, autosave-failed); a late listener gets 'opened' at once. */
  listen(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.openedEvent) listener(this.openedEvent);
    return () => this.listeners.delete(listener);
  }

  request<T extends StoreRequest['type']>(
    request: Extract<StoreRequest, { type: T }>,
    transfer: Transferable[] = [],
  ): Promise<StoreResults[T]> {
    const id = this.nextId++;
    return new Promise<StoreResults[T]>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.send({ type: 'request', id, request }, transfer);
    }).then((result) => {
      if (request.type === 'load') rememberSlot((result as StoreResults['load']).slot);
      return result;
    });
  }

  /** A port for a new training worker to post its checkpoints on, straight to the store. */
  trainingPort(): MessagePort {
    const channel = new MessageChannel();
    this.generation++;
    this.send({ type: 'training-port', generation: this.generation, port: channel.port2 }, [channel.port2]);
    return channel.port1;
  }

  /** True for a checkpoint of the current training worker. */
  isCurrent(event: { generation: number }): boolean {
    return event.generation === this.generation;
  }

  /** Autosave the checkpoint the store holds for run `runId` at `iteration`, with these series. */
  autosave(runId: number, iteration: number, series: SavedSeries): void {
    this.send({ type: 'autosave', generation: this.generation, runId, iteration, series });
  }

  /** Hands the checkpoint over (its buffers are detached here afterwards); `series` null: hold, do not autosave. */
  checkpoint(runId: number, checkpoint: TrainerCheckpoint, series: SavedSeries | null): void {
    this.send({ type: 'checkpoint', runId, checkpoint, series }, transferOf(checkpoint));
  }
}

let client: RunStoreClient | null = null;

/** The page's run store (started on first use). */
export function runStore(): RunStoreClient {
  client ??= new RunStoreClient();
  return client;
}

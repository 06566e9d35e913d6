// The typed messages between the page and the run store worker (run-store-worker.ts), which owns the
// run's checkpoints off the page's thread: it holds the latest one, autosaves it in the tab's slot,
// encodes the .sgrun export and decodes imports. Checkpoints travel by transfer (checkpoint-transfer.ts).
import type { GanConfig } from '../core/config/schema';
import type { RunFileContents, RunFileInput } from '../core/runs/run-file';
import type { TrainerCheckpoint } from '../core/train/checkpoint';
import type { SavedSeries } from '../ui/app/training-state';
import type { SavedRunOffer } from '../ui/runs/autosave-slots';

/** A saved run handed back to the page to resume (its checkpoint transferred). */
export interface StoredRun extends SavedSeries {
  checkpoint: TrainerCheckpoint;
  savedAt: string;
}

/** What an export writes besides the checkpoint the store holds. */
export type RunFileSeries = Omit<RunFileInput, 'checkpoint'>;

/** What the training worker posts on its port to the store (run `runId`'s latest good checkpoint). */
export interface CheckpointPost {
  runId: number;
  checkpoint: TrainerCheckpoint;
}

export type PageToStore =
  /** First message: claim the tab's slot (the one it had before a reload, if no other tab holds it). */
  | { type: 'open'; preferredSlot: string | null }
  /** A new training worker posts its checkpoints (CheckpointPost) on this port; older ones are ignored. */
  | { type: 'training-port'; generation: number; port: MessagePort }
  /** Autosave the held checkpoint of that worker's run `runId` at `iteration`, with the page's series. */
  | { type: 'autosave'; generation: number; runId: number; iteration: number; series: SavedSeries }
  /**
   * The training worker's latest good checkpoint of run `runId` (transferred): the store holds it for
   * the export and a new worker, and autosaves it with `series` unless `series` is null.
   */
  | { type: 'checkpoint'; runId: number; checkpoint: TrainerCheckpoint; series: SavedSeries | null }
  | { type: 'request'; id: number; request: StoreRequest };

export type StoreRequest =
  /** The saved runs this tab may offer, newest first. */
  | { type: 'list' }
  /** The run saved in `slot`; the tab adopts that slot (its next autosaves replace it). */
  | { type: 'load'; slot: string }
  | { type: 'discard'; slot: string }
  /** A .sgrun of the held checkpoint of `runId` at `iteration`, with these series, as a Blob. */
  | { type: 'export'; runId: number; iteration: number; series: RunFileSeries }
  | { type: 'import'; file: File }
  /** A copy of the held checkpoint of `runId` (for a new training worker), or null. */
  | { type: 'held'; runId: number };

/** Each request's result, by type. */
export interface StoreResults {
  list: { offers: SavedRunOffer[] };
  load: { run: StoredRun; slot: string };
  discard: { offers: SavedRunOffer[] };
  export: { blob: Blob; bytes: number; encodeMs: number };
  import: { run: RunFileContents; bytes: number; readMs: number; decodeMs: number };
  held: { checkpoint: TrainerCheckpoint | null };
}

export type StoreToPage =
  /** The tab's slot; `error` when the saved runs could not be listed (IndexedDB unavailable). */
  | { type: 'opened'; slot: string; offers: SavedRunOffer[]; keep: number; error: string | null }
  /** A checkpoint arrived from the training worker of `generation`; the page answers with 'autosave'. */
  | {
      type: 'checkpoint-held';
      generation: number;
      runId: number;
      iteration: number;
      config: Pick<GanConfig, 'dataset' | 'norm'>;
    }
  | { type: 'autosaved'; runId: number; iteration: number; bytes: number; encodeMs: number; writeMs: number }
  /** An autosave failed; `message` names what was not saved and what is kept. */
  | { type: 'autosave-failed'; runId: number; iteration: number; message: string }
  | { type: 'reply'; id: number; result: StoreResults[StoreRequest['type']] }
  | { type: 'refused'; id: number; message: string };

// The page's side of autosave: hands each good checkpoint of the current run (with the series shown
// up to it) to the run store worker, which writes it in this tab's slot; lists the saved runs a
// reload offers. Offers and status live outside React state (useExternal in ResumeOffer), so an
// autosave re-renders the status line only, not the page.
import { useEffect, useRef, useState } from 'react';
import type { TrainerCheckpoint } from '../../core/train/checkpoint';
import { errorText } from '../../core/error-text';
import { seriesUpTo, type TrainingState } from '../app/training-state';
import type { SavedRun } from '../app/use-training-worker';
import type { SavedRunOffer } from './autosave-slots';
import { runStore, type StoreEvent } from './run-store-client';

export interface AutosaveStatus {
  iteration: number;
  /** Null while the write is under way. */
  saved: { bytes: number; encodeMs: number; writeMs: number; time: string } | null;
  /** Set when this autosave failed. */
  failed: string | null;
}

export interface AutosaveSnapshot {
  /** Saved runs this tab may resume, newest first (damaged ones can only be discarded). */
  offers: readonly SavedRunOffer[];
  /** This tab's slot (its own previous run, after a reload, is the offer with this slot). */
  ownSlot: string | null;
  /** Autosaves the browser keeps. */
  keep: number;
  status: AutosaveStatus | null;
  /** The slot being read for a resume. */
  loading: string | null;
}

export interface AutosaveView {
  subscribe(listener: () => void): () => void;
  snapshot(): AutosaveSnapshot;
  /** A good checkpoint of run `runId` arrived from the training worker (its buffers move to the store). */
  onCheckpoint(checkpoint: TrainerCheckpoint, runId: number): void;
  /** Reads the run saved in `slot` to resume it; null (with a message) when it cannot be. */
  take(slot: string): Promise<SavedRun | null>;
  discard(slot: string): void;
  /** A copy of the store's latest checkpoint of run `runId` (a new training worker continues it), or null. */
  heldCheckpoint(runId: number): Promise<TrainerCheckpoint | null>;
}

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);

/** The status line, e.g. "autosaved at iteration 120 (98.6 MB: encode 210 ms, write 840 ms), 14:02:11". */
export function statusText(status: AutosaveStatus): string {
  if (status.failed) return `iteration ${status.iteration} was not autosaved (see the message above)`;
  if (!status.saved) return `autosaving iteration ${status.iteration}…`;
  const { bytes, encodeMs, writeMs, time } = status.saved;
  return (
    `autosaved at iteration ${status.iteration} (${megabytes(bytes)} MB: encode ${Math.round(encodeMs)} ms, ` +
    `write ${Math.round(writeMs)} ms), ${time}`
  );
}

class AutosaveModel implements AutosaveView {
  private state: AutosaveSnapshot = { offers: [], ownSlot: null, keep: 0, status: null, loading: null };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly current: () => TrainingState,
    private readonly onError: (text: string) => void,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = () => this.state;

  private update(change: Partial<AutosaveSnapshot>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  readonly receive = (event: StoreEvent): void => {
    if (event.type === 'opened') {
      this.update({ offers: event.offers, ownSlot: event.slot, keep: event.keep });
      if (event.error) this.onError(`The saved runs could not be read: ${event.error}`);
      return;
    }
    if (event.type === 'checkpoint-held') {
      this.onHeld(event.generation, event.runId, event.iteration);
      return;
    }
    if (event.runId !== this.current().runId) return;
    performance.mark('autosave-end', { detail: { iteration: event.iteration } });
    if (event.type === 'autosave-failed') {
      this.update({ status: { iteration: event.iteration, saved: null, failed: event.message } });
      this.onError(event.message);
      return;
    }
    const { bytes, encodeMs, writeMs } = event;
    console.info(
      `autosave: iteration ${event.iteration}, ${bytes} bytes, encode ${encodeMs.toFixed(1)} ms, ` +
        `write ${writeMs.toFixed(1)} ms (run store worker)`,
    );
    this.update({
      // This tab's previous save, if offered, is replaced now.
      offers: this.state.offers.filter((offer) => offer.slot !== this.state.ownSlot),
      status: {
        iteration: event.iteration,
        saved: { bytes, encodeMs, writeMs, time: new Date().toLocaleTimeString() },
        failed: null,
      },
    });
  };

  /**
   * The store holds a new checkpoint of the current training worker (it came on the worker's port,
   * never through this thread): autosave it with the series shown up to it.
   */
  private onHeld(generation: number, runId: number, iteration: number): void {
    const state = this.current();
    if (!runStore().isCurrent({ generation }) || runId !== state.runId) return;
    this.handOver(iteration, () => runStore().autosave(runId, iteration, seriesUpTo(state, iteration)));
  }

  /** The checkpoint came through the page (a training worker without the store's port): pass it on. */
  onCheckpoint = (checkpoint: TrainerCheckpoint, runId: number): void => {
    const state = this.current();
    if (runId !== state.runId) return;
    const { iteration } = checkpoint;
    runStore().checkpoint(runId, checkpoint, iteration > 0 ? seriesUpTo(state, iteration) : null);
    this.handOver(iteration, () => undefined);
  };

  /** Marks what the page's thread pays for the autosave of `iteration` (the tests read the marks). */
  private handOver(iteration: number, send: () => void): void {
    // Iteration 0 is only the seed: saving it would replace a saved run nobody has resumed yet.
    if (iteration === 0) return;
    const detail = { iteration };
    const start = performance.mark('autosave-start', { detail }).startTime;
    send();
    const handover = performance.measure('autosave-handover', { start, end: performance.now(), detail });
    console.info(
      `autosave: iteration ${iteration} handed to the run store in ${handover.duration.toFixed(1)} ms of the ` +
        `page's thread`,
    );
    this.update({ status: { iteration, saved: null, failed: null } });
  }

  take = async (slot: string): Promise<SavedRun | null> => {
    this.update({ loading: slot });
    try {
      const { run, slot: own } = await runStore().request({ type: 'load', slot });
      // The tab now owns that slot; its previous run, if it had one saved, stays offered.
      this.update({ offers: this.state.offers.filter((offer) => offer.slot !== slot), ownSlot: own, loading: null });
      return run;
    } catch (error) {
      const why = errorText(error);
      this.update({
        loading: null,
        offers: this.state.offers.map((offer) => (offer.slot === slot ? { ...offer, damaged: why } : offer)),
      });
      this.onError(`The saved run cannot be resumed: ${why}. Discard it to remove it; the page goes on.`);
      return null;
    }
  };

  discard = (slot: string): void => {
    this.update({ offers: this.state.offers.filter((offer) => offer.slot !== slot) });
    runStore()
      .request({ type: 'discard', slot })
      .catch((error: unknown) => this.onError(`The saved run could not be discarded: ${errorText(error)}`));
  };

  heldCheckpoint = async (runId: number): Promise<TrainerCheckpoint | null> =>
    (await runStore().request({ type: 'held', runId })).checkpoint;
}

export function useAutosave(state: TrainingState, onError: (text: string) => void): AutosaveView {
  const stateRef = useRef(state);
  stateRef.current = state;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const [model] = useState(
    () =>
      new AutosaveModel(
        () => stateRef.current,
        (text) => onErrorRef.current(text),
      ),
  );
  useEffect(() => runStore().listen(model.receive), [model]);
  return model;
}

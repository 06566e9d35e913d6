// The page's side of autosave: writes each good checkpoint the training worker sends (with the
// series shown up to it), and at load offers to resume the run found in IndexedDB.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainerCheckpoint } from '../../core/train/checkpoint';
import { clearAutosave, readAutosave, writeAutosave, type Autosave } from './autosave';
import { seriesUpTo, type TrainingState } from '../app/training-state';
import { errorText } from '../../core/error-text';

export interface AutosaveView {
  /** A saved run found at load, until it is resumed, discarded or replaced by a newer save. */
  offer: Autosave | null;
  /** e.g. "autosaved at iteration 120, 14:02:11"; null before the first save. */
  status: string | null;
  onCheckpoint(checkpoint: TrainerCheckpoint, runId: number): void;
  takeOffer(): Autosave | null;
  discardOffer(): void;
}

export function useAutosave(state: TrainingState, onError: (text: string) => void): AutosaveView {
  const [offer, setOffer] = useState<Autosave | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(() => {
    let cancelled = false;
    readAutosave().then(
      (saved) => {
        if (!cancelled && saved) setOffer(saved);
      },
      (error: unknown) => onErrorRef.current(`The saved run could not be read: ${errorText(error)}`),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const onCheckpoint = useCallback((checkpoint: TrainerCheckpoint, runId: number) => {
    const current = stateRef.current;
    // Iteration 0 is only the seed: saving it would replace a saved run nobody has resumed yet.
    if (runId !== current.runId || checkpoint.iteration === 0) return;
    const autosave: Autosave = {
      savedAt: new Date().toISOString(),
      checkpoint,
      ...seriesUpTo(current, checkpoint.iteration),
    };
    writeAutosave(autosave).then(
      () => {
        setOffer(null); // the save it offered is replaced
        setStatus(`autosaved at iteration ${checkpoint.iteration}, ${new Date().toLocaleTimeString()}`);
      },
      (error: unknown) => onErrorRef.current(`The run could not be autosaved: ${errorText(error)}`),
    );
  }, []);

  const takeOffer = useCallback(() => {
    const taken = offer;
    setOffer(null);
    return taken;
  }, [offer]);

  const discardOffer = useCallback(() => {
    setOffer(null);
    void clearAutosave();
  }, []);

  return { offer, status, onCheckpoint, takeOffer, discardOffer };
}

// Keeps the last good checkpoint of a run and catches divergence: after each read-back with finite
// losses and weights it may take a checkpoint (at most every `intervalSeconds` of training time, and
// always the first time), and a read-back with a NaN or Inf says at which iteration it happened and
// which checkpoint a rollback would return to. TrainingSession owns one per run, for the worker and headless runs.
import type { TrainingSet } from '../data/types';
import type { TrainerCheckpoint } from './checkpoint';
import { divergenceMessage } from './divergence';
import { GanTrainer } from './gan-trainer';
import type { MetricsPoint } from './types';

/** Seconds of training between checkpoints: a rollback loses at most this much work. */
export const DEFAULT_CHECKPOINT_INTERVAL_SECONDS = 30;

export interface Divergence {
  /** Says what became non-finite, and at which iteration. */
  message: string;
  iteration: number;
  /** The iteration a rollback returns to, or null when no good checkpoint exists yet. */
  rollbackIteration: number | null;
}

export class RunGuard {
  private lastGood: { checkpoint: TrainerCheckpoint; seconds: number } | null = null;

  constructor(private readonly intervalSeconds = DEFAULT_CHECKPOINT_INTERVAL_SECONDS) {}

  /** The checkpoint a rollback would restore (the caller may also save it, e.g. as an autosave). */
  get checkpoint(): TrainerCheckpoint | null {
    return this.lastGood?.checkpoint ?? null;
  }

  /**
   * Call after each read-back: returns the divergence when the point is not finite; otherwise takes
   * a checkpoint if one is due (`seconds` is the run's training time) or `force`d, and returns null.
   */
  async observe(trainer: GanTrainer, point: MetricsPoint, force = false): Promise<Divergence | null> {
    const message = divergenceMessage(point, trainer.info.layerNames);
    if (message)
      return { message, iteration: point.iteration, rollbackIteration: this.lastGood?.checkpoint.iteration ?? null };
    const due = force || !this.lastGood || point.seconds - this.lastGood.seconds >= this.intervalSeconds;
    if (due && this.lastGood?.checkpoint.iteration !== trainer.iteration) {
      this.lastGood = { checkpoint: await trainer.checkpoint(), seconds: point.seconds };
    }
    return null;
  }

  /** A trainer back at the last good checkpoint (the caller disposes the diverged one). */
  async rollback(data: TrainingSet): Promise<GanTrainer> {
    if (!this.lastGood) throw new Error('there is no good checkpoint to roll back to yet');
    return GanTrainer.restore(data, this.lastGood.checkpoint);
  }

  /** Forget the kept checkpoint (a new run starts). */
  reset(): void {
    this.lastGood = null;
  }
}

// Remembers which data of a raw weight a power iteration last ran on. tfjs gives a variable new
// data at every assign (each optimizer step), so an unchanged dataId means an unchanged weight and
// the stored sigma equals v^T W u exactly.
import type * as tf from '@tensorflow/tfjs';
import type { NumberEntry } from './persistent-state';

export class WeightVersion {
  private seenData: object | null = null;

  record(raw: tf.Tensor): void {
    this.seenData = raw.dataId;
  }

  /** False until the first record: before it, persistent vectors are random and sigma means nothing. */
  get recorded(): boolean {
    return this.seenData !== null;
  }

  isCurrentFor(raw: tf.Tensor): boolean {
    return this.seenData === raw.dataId;
  }

  /**
   * After a checkpoint is loaded: whether an advance had run, but never current for any weight data
   * (the loaded weight is new data; its sigma is recomputed, as after any optimizer step).
   */
  restore(recorded: boolean): void {
    this.seenData = recorded ? {} : null;
  }

  /** Whether an advance had run, as the checkpoint's number `recorded` (1 or 0). */
  asEntry(): NumberEntry {
    return { get: () => (this.recorded ? 1 : 0), set: (value) => this.restore(value === 1) };
  }
}

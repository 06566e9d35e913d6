// Persistent state declared once, like PyTorch's registered buffers: a class lists its state as named
// entries (variables, steering numbers, nested parts) and PersistentState saves, restores and
// disposes them. Saved as plain data for checkpoints (autosave, rollback, resume): tensors copied out
// by name, numbers beside them, a part's names under its prefix (`sn.u`).
import * as tf from '@tensorflow/tfjs';
import { shapeSize } from '../numbers';

export interface TensorState {
  shape: number[];
  values: Float32Array;
}

export interface NormalizerState {
  tensors: Record<string, TensorState>;
  numbers: Record<string, number | null>;
}

/** A number that steers the state (a flag, an iteration); without `set` it is saved only (derived). */
export interface NumberEntry {
  get(): number | null;
  set?(value: number | null): void;
}

/** A variable whose shape is known only when first written (dynamic SR's r); empty until then. */
export class LazyVariable {
  private variable: tf.Variable | null = null;

  get value(): tf.Variable | null {
    return this.variable;
  }

  /** Assigns `tensor`, or makes the variable from it; the caller keeps `tensor`. */
  write(tensor: tf.Tensor): void {
    if (this.variable) this.variable.assign(tensor);
    else this.variable = tf.variable(tensor, false);
  }

  clear(): void {
    this.variable?.dispose();
    this.variable = null;
  }
}

/** One declared entry; null is a part that does not exist (yet), saved as nothing. */
export type StateEntry = tf.Variable | LazyVariable | NumberEntry | PersistentState | null;
/** Entries by name, in checkpoint order. */
export type StateEntries = Record<string, StateEntry>;

export abstract class PersistentState {
  /** The persistent state, by name. Called at each save, restore and dispose (parts may come later). */
  abstract declaredState(): StateEntries;

  /** Copies of the declared state (safe to keep and to transfer). */
  async saveState(): Promise<NormalizerState> {
    const flat = flatten(this.declaredState(), '');
    const tensors = await Promise.all(
      flat.tensors.map(async ([name, t]): Promise<[string, TensorState]> => [
        name,
        { shape: [...t.shape], values: new Float32Array(await t.data()) },
      ]),
    );
    return { tensors: Object.fromEntries(tensors), numbers: Object.fromEntries(flat.numbers) };
  }

  /**
   * Puts saveState()'s output back, in place. A part with nothing saved keeps its state (older
   * checkpoints lack parts made later, e.g. a dense layer's SR basis). `path` names a part in errors.
   */
  loadState(state: NormalizerState, path = ''): void {
    for (const [name, entry] of Object.entries(this.declaredState())) {
      if (entry === null) continue;
      if (entry instanceof PersistentState) {
        const part = unprefixed(state, `${name}.`);
        if (Object.keys(part.tensors).length + Object.keys(part.numbers).length > 0)
          entry.loadState(part, `${path}${name}.`);
      } else if (entry instanceof tf.Variable) {
        tf.tidy(() => entry.assign(tensorOf(state, name, entry.shape, path)));
      } else if (entry instanceof LazyVariable) {
        const saved = state.tensors[name];
        if (saved) tf.tidy(() => entry.write(tensorOf(state, name, saved.shape, path)));
        else entry.clear();
      } else {
        entry.set?.(numberOf(state, name, path));
      }
    }
  }

  dispose(): void {
    for (const entry of Object.values(this.declaredState())) {
      if (entry instanceof PersistentState || entry instanceof tf.Variable) entry.dispose();
      else if (entry instanceof LazyVariable) entry.clear();
    }
  }
}

/** Entries grouped under one name (a subclass's own state beside its base's). */
export function stateGroup(entries: StateEntries): PersistentState {
  return new (class extends PersistentState {
    declaredState(): StateEntries {
      return entries;
    }
  })();
}

/** The declared tensors and numbers with their full names, in order. */
function flatten(
  entries: StateEntries,
  prefix: string,
): { tensors: [string, tf.Tensor][]; numbers: [string, number | null][] } {
  const flat: ReturnType<typeof flatten> = { tensors: [], numbers: [] };
  for (const [name, entry] of Object.entries(entries)) {
    const full = `${prefix}${name}`;
    if (entry === null) continue;
    if (entry instanceof PersistentState) {
      const part = flatten(entry.declaredState(), `${full}.`);
      flat.tensors.push(...part.tensors);
      flat.numbers.push(...part.numbers);
    } else if (entry instanceof tf.Variable) flat.tensors.push([full, entry]);
    else if (entry instanceof LazyVariable) {
      if (entry.value) flat.tensors.push([full, entry.value]);
    } else flat.numbers.push([full, entry.get()]);
  }
  return flat;
}

/** The tensor `name` of a state, checked against the shape it must have. */
function tensorOf(state: NormalizerState, name: string, shape: readonly number[], path: string): tf.Tensor {
  const saved = state.tensors[name];
  if (!saved) throw new Error(`checkpoint: the normalizer state has no tensor ${path}${name}`);
  const size = shapeSize(shape);
  if (saved.shape.join(',') !== shape.join(',') || saved.values.length !== size) {
    throw new Error(
      `checkpoint: tensor ${path}${name} has shape [${saved.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  }
  return tf.tensor(saved.values, [...shape]);
}

/** The number `name` of a state (null is a value; a missing entry is an error). */
function numberOf(state: NormalizerState, name: string, path: string): number | null {
  if (!(name in state.numbers)) throw new Error(`checkpoint: the normalizer state has no number ${path}${name}`);
  return state.numbers[name];
}

/** The part of `state` under `prefix`, names without it. */
function unprefixed(state: NormalizerState, prefix: string): NormalizerState {
  const pick = <T>(record: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(record)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    );
  return { tensors: pick(state.tensors), numbers: pick(state.numbers) };
}

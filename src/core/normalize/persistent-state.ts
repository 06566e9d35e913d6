// A normalizer's persistent state as plain data, for checkpoints (autosave, rollback, resume): its
// tensors copied out by name, and the few numbers that steer it (a flag, an iteration). Composite
// normalizers (SR holds an SN) nest their parts' states under a name prefix.
import * as tf from '@tensorflow/tfjs';

export interface TensorState {
  shape: number[];
  values: Float32Array;
}

export interface NormalizerState {
  tensors: Record<string, TensorState>;
  numbers: Record<string, number | null>;
}

export function emptyState(): NormalizerState {
  return { tensors: {}, numbers: {} };
}

/** Copies of the named tensors' values (safe to keep and to transfer). */
export async function readTensors(named: Record<string, tf.Tensor>): Promise<Record<string, TensorState>> {
  const entries = await Promise.all(
    Object.entries(named).map(async ([name, tensor]): Promise<[string, TensorState]> => [
      name,
      { shape: [...tensor.shape], values: new Float32Array(await tensor.data()) },
    ]),
  );
  return Object.fromEntries(entries);
}

/** The tensor `name` of a state, checked against the shape it must have. */
export function tensorOf(state: NormalizerState, name: string, shape: readonly number[]): tf.Tensor {
  const saved = state.tensors[name];
  if (!saved) throw new Error(`checkpoint: the normalizer state has no tensor ${name}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (saved.shape.join(',') !== shape.join(',') || saved.values.length !== size) {
    throw new Error(`checkpoint: tensor ${name} has shape [${saved.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return tf.tensor(saved.values, [...shape]);
}

/** Assigns the saved tensor `name` to `variable` (same shape required). */
export function assignSaved(variable: tf.Variable, state: NormalizerState, name: string): void {
  tf.tidy(() => variable.assign(tensorOf(state, name, variable.shape)));
}

/** The number `name` of a state (null is a value; a missing entry is an error). */
export function numberOf(state: NormalizerState, name: string): number | null {
  if (!(name in state.numbers)) throw new Error(`checkpoint: the normalizer state has no number ${name}`);
  return state.numbers[name];
}

/** `state` with every name prefixed (`sn.` + `u`), to nest a part's state in its owner's. */
export function prefixed(state: NormalizerState, prefix: string): NormalizerState {
  const rename = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v]));
  return { tensors: rename(state.tensors), numbers: rename(state.numbers) };
}

/** The part of `state` under `prefix`, names without it. */
export function unprefixed(state: NormalizerState, prefix: string): NormalizerState {
  const pick = <T>(record: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(record)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    );
  return { tensors: pick(state.tensors), numbers: pick(state.numbers) };
}

export function mergeStates(...states: NormalizerState[]): NormalizerState {
  return {
    tensors: Object.assign({}, ...states.map((s) => s.tensors)) as NormalizerState['tensors'],
    numbers: Object.assign({}, ...states.map((s) => s.numbers)) as NormalizerState['numbers'],
  };
}

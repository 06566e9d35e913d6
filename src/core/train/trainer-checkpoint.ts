// Taking and loading a GanTrainer's checkpoint (the format and the optimizer codec are in
// checkpoint.ts): the trainer hands over its parts, so the training loop in gan-trainer.ts stays
// the loop and this file is the one place that knows which state a checkpoint holds.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig, NormName } from '../config/schema';
import type { SamplerPosition } from '../data/batch-sampler';
import type { SeededRandom } from '../data/seeded-random';
import type { Discriminator } from '../models/discriminator';
import type { Generator } from '../models/generator';
import type { NormalizerState } from '../normalize/persistent-state';
import type { PowerIterationState } from '../normalize/power-iteration-state';
import type { LayerNormalizer } from '../normalize/types';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  readOptimizer,
  writeOptimizer,
  type TrainerCheckpoint,
} from './checkpoint';
import type { NormSwitch } from './types';

/** What the last recorded updates left on the backend for the next read-back. */
export interface RecordedTensors {
  dLoss: tf.Scalar | null;
  gLoss: tf.Scalar | null;
  gradSquares: tf.Tensor1D | null;
  inputGradients: tf.Tensor1D | null;
}

/** The trainer's persistent parts a checkpoint copies out and writes back. */
export interface CheckpointParts {
  generator: Generator;
  discriminator: Discriminator;
  dOptimizer: tf.AdamOptimizer;
  gOptimizer: tf.AdamOptimizer;
  sigmaMonitors: readonly PowerIterationState[];
  effectiveMonitors: readonly PowerIterationState[];
  noiseRandom: SeededRandom;
}

/** Where the run stands: the plain values of a checkpoint beside the parts. */
export interface RunPosition {
  config: GanConfig;
  iteration: number;
  switches: readonly NormSwitch[];
  sampler: SamplerPosition;
  normalizers: ReadonlyMap<NormName, readonly LayerNormalizer[]>;
}

const copy = async (tensor: tf.Tensor) => new Float32Array(await tensor.data());
const firstValue = async (tensor: tf.Tensor | null) => (tensor ? (await tensor.data())[0] : null);
const allValues = async (tensor: tf.Tensor | null) => (tensor ? Array.from(await tensor.data()) : null);

/** Copies of everything needed to continue the run exactly (take it between iterations). */
export async function takeCheckpoint(
  parts: CheckpointParts,
  run: RunPosition,
  recorded: RecordedTensors,
): Promise<TrainerCheckpoint> {
  const normalizers: TrainerCheckpoint['normalizers'] = {};
  for (const [method, layers] of run.normalizers)
    normalizers[method] = await Promise.all(layers.map((n) => n.saveState()));
  const { config } = run;
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: { ...config, classes: [...config.classes], schedule: config.schedule.map((e) => ({ ...e })) },
    iteration: run.iteration,
    switches: run.switches.map((s) => ({ ...s })),
    generator: await parts.generator.readWeights(),
    discriminator: await Promise.all(parts.discriminator.variables.map(copy)),
    dOptimizer: await readOptimizer(parts.dOptimizer),
    gOptimizer: await readOptimizer(parts.gOptimizer),
    normalizers,
    sigmaMonitors: await Promise.all(parts.sigmaMonitors.map((m) => m.saveState())),
    effectiveMonitors: await Promise.all(parts.effectiveMonitors.map((m) => m.saveState())),
    sampler: run.sampler,
    noiseState: parts.noiseRandom.state32,
    lastDLoss: await firstValue(recorded.dLoss),
    lastGLoss: await firstValue(recorded.gLoss),
    lastGradSquares: await allValues(recorded.gradSquares),
    lastInputGradients: await allValues(recorded.inputGradients),
  };
}

/**
 * Writes a checkpoint's weights, optimizer moments and persistent states into a freshly built
 * trainer's parts (`normalizersOf` creates a method's normalizers on first use). Returns the
 * recorded tensors to hold; the sampler, iteration and switches are the trainer's to set.
 */
export async function loadCheckpointParts(
  parts: CheckpointParts,
  checkpoint: TrainerCheckpoint,
  normalizersOf: (method: NormName) => readonly LayerNormalizer[],
): Promise<RecordedTensors> {
  parts.generator.loadWeights(checkpoint.generator);
  const dVariables = parts.discriminator.variables;
  if (checkpoint.discriminator.length !== dVariables.length) {
    throw new Error(`checkpoint: ${checkpoint.discriminator.length} D weights for a D of ${dVariables.length}`);
  }
  dVariables.forEach((v, i) => {
    if (checkpoint.discriminator[i].length !== v.size)
      throw new Error(`checkpoint: D weight ${i} has ${checkpoint.discriminator[i].length} values, expected ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(checkpoint.discriminator[i], v.shape)));
  });
  await writeOptimizer(parts.dOptimizer, checkpoint.dOptimizer);
  await writeOptimizer(parts.gOptimizer, checkpoint.gOptimizer);
  for (const [method, states] of Object.entries(checkpoint.normalizers) as [NormName, NormalizerState[]][]) {
    const layers = normalizersOf(method);
    if (states.length !== layers.length)
      throw new Error(`checkpoint: ${states.length} ${method} states for ${layers.length} layers`);
    layers.forEach((n, i) => n.loadState(states[i]));
  }
  checkpoint.sigmaMonitors.forEach((state, i) => parts.sigmaMonitors[i]?.loadState(state));
  checkpoint.effectiveMonitors?.forEach((state, i) => parts.effectiveMonitors[i]?.loadState(state));
  parts.noiseRandom.state32 = checkpoint.noiseState;
  const inputGradients = checkpoint.lastInputGradients ?? null;
  return {
    dLoss: checkpoint.lastDLoss === null ? null : tf.scalar(checkpoint.lastDLoss),
    gLoss: checkpoint.lastGLoss === null ? null : tf.scalar(checkpoint.lastGLoss),
    gradSquares: checkpoint.lastGradSquares === null ? null : tf.tensor1d(checkpoint.lastGradSquares),
    inputGradients: inputGradients === null ? null : tf.tensor1d(inputGradients),
  };
}

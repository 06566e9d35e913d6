// Taking and loading a GanTrainer's checkpoint (the format and the optimizer codec are in
// checkpoint.ts): the trainer hands over its parts, so the training loop in gan-trainer.ts stays
// the loop and this file is the one place that knows which state a checkpoint holds.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig } from '../config/schema';
import type { SamplerPosition } from '../data/batch-sampler';
import type { SeededRandom } from '../data/seeded-random';
import type { Discriminator } from '../models/discriminator';
import type { Generator } from '../models/generator';
import { assignWeights } from './assign-weights';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  readOptimizer,
  writeOptimizer,
  type TrainerCheckpoint,
} from './checkpoint';
import type { NormalizerBank } from './normalizer-bank';
import type { SigmaMonitors } from './sigma-monitors';
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
  /** Every method created so far: each one's state is saved, whatever method is current. */
  normalizers: NormalizerBank;
  monitors: SigmaMonitors;
  noiseRandom: SeededRandom;
}

/** Where the run stands: the plain values of a checkpoint beside the parts, and the last losses. */
export interface RunPosition {
  config: GanConfig;
  iteration: number;
  switches: readonly NormSwitch[];
  sampler: SamplerPosition;
  recorded: RecordedTensors;
}

const copy = async (tensor: tf.Tensor) => new Float32Array(await tensor.data());
const firstValue = async (tensor: tf.Tensor | null) => (tensor ? (await tensor.data())[0] : null);
const allValues = async (tensor: tf.Tensor | null) => (tensor ? Array.from(await tensor.data()) : null);

/** Copies of everything needed to continue the run exactly (take it between iterations). */
export async function takeCheckpoint(parts: CheckpointParts, run: RunPosition): Promise<TrainerCheckpoint> {
  const { config, recorded } = run;
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
    normalizers: await parts.normalizers.saveStates(),
    sigmaMonitors: await Promise.all(parts.monitors.raw.map((m) => m.saveState())),
    effectiveMonitors: await Promise.all(parts.monitors.effective.map((m) => m.saveState())),
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
 * trainer's parts (each saved method's normalizers made on first use, whatever method is current).
 * Returns where the run stood, with new recorded tensors for the caller to hold.
 */
export async function loadCheckpointParts(parts: CheckpointParts, checkpoint: TrainerCheckpoint): Promise<RunPosition> {
  parts.generator.loadWeights(checkpoint.generator);
  assignWeights(parts.discriminator.variables, checkpoint.discriminator, 'checkpoint');
  await writeOptimizer(parts.dOptimizer, checkpoint.dOptimizer);
  await writeOptimizer(parts.gOptimizer, checkpoint.gOptimizer);
  parts.normalizers.loadStates(checkpoint.normalizers);
  checkpoint.sigmaMonitors.forEach((state, i) => parts.monitors.raw[i]?.loadState(state));
  checkpoint.effectiveMonitors?.forEach((state, i) => parts.monitors.effective[i]?.loadState(state));
  parts.noiseRandom.state32 = checkpoint.noiseState;
  const inputGradients = checkpoint.lastInputGradients ?? null;
  const { config, iteration, switches, sampler } = checkpoint;
  return {
    config,
    iteration,
    switches: switches.map((s) => ({ ...s })),
    sampler,
    recorded: {
      dLoss: checkpoint.lastDLoss === null ? null : tf.scalar(checkpoint.lastDLoss),
      gLoss: checkpoint.lastGLoss === null ? null : tf.scalar(checkpoint.lastGLoss),
      gradSquares: checkpoint.lastGradSquares === null ? null : tf.tensor1d(checkpoint.lastGradSquares),
      inputGradients: inputGradients === null ? null : tf.tensor1d(inputGradients),
    },
  };
}

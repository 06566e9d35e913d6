// A full-size run file made in Node, without training (ch=gch=64 takes minutes per iteration here):
// the real trainer's checkpoint of freshly built models, with Adam moments filled in as tf.train.adam
// keeps them after its first step (iter, every variable's first moment, every second moment, in
// variable order, then the beta products), random and incompressible like trained ones.
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { decodeConfig } from '../../src/core/config/url-codec';
import { loadDataset } from '../../src/core/data/load-dataset';
import { encodeRunFile } from '../../src/core/runs/run-file';
import type { OptimizerTensor, TrainerCheckpoint } from '../../src/core/train/checkpoint';
import { GanTrainer } from '../../src/core/train/gan-trainer';

/** The trainer's models (private fields), read here for the moments' shapes only. */
type Models = { generator: { variables: tf.Variable[] }; discriminator: { variables: tf.Variable[] } };

function seededFill(length: number, seed: number, scale: number, offset: number): Float32Array {
  const values = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = offset + scale * ((state >>> 0) / 4294967296 - 0.5);
  }
  return values;
}

function adamState(variables: tf.Variable[], steps: number, beta1: number, beta2: number, seed: number) {
  const moment = (suffix: 'm' | 'v', k: number): OptimizerTensor[] =>
    variables.map((variable, i) => ({
      name: `${variable.name}/${suffix}`,
      dtype: 'float32',
      shape: [...variable.shape],
      values: seededFill(variable.size, seed + 7919 * i + k, suffix === 'm' ? 2e-3 : 2e-6, suffix === 'm' ? 0 : 1e-6),
    }));
  const scalar = (name: string, value: number, dtype: 'float32' | 'int32' = 'float32'): OptimizerTensor => ({
    name,
    dtype,
    shape: [],
    values: Float32Array.of(value),
  });
  return [
    scalar('iter', steps, 'int32'),
    ...moment('m', 1),
    ...moment('v', 2),
    scalar('#accBeta1', beta1 ** steps),
    scalar('#accBeta2', beta2 ** steps),
  ];
}

/** A checkpoint of `query`'s models at `iteration` with full Adam state, and its size in bytes. */
export async function fullSizeCheckpoint(query: string, iteration: number): Promise<TrainerCheckpoint> {
  await tf.setBackend('cpu');
  const { config, errors } = decodeConfig(query);
  if (errors.length) throw new Error(errors.join('; '));
  const trainer = GanTrainer.create(config, (await loadDataset(config)).set);
  const checkpoint = await trainer.checkpoint();
  const models = trainer as unknown as Models;
  const { beta1, beta2, ndis } = config;
  return {
    ...checkpoint,
    iteration,
    // A trained run's last losses (a fresh one has none, which its first read-back would take for NaN).
    lastDLoss: 1.38,
    lastGLoss: 0.71,
    dOptimizer: adamState(models.discriminator.variables, iteration * ndis, beta1, beta2, 1),
    gOptimizer: adamState(models.generator.variables, iteration, beta1, beta2, 2),
  };
}

/** Writes the checkpoint as a .sgrun file at `path`; returns the file's size in bytes. */
export function writeRunFile(path: string, checkpoint: TrainerCheckpoint): number {
  const bytes = encodeRunFile({ checkpoint, history: [], coverageHistory: [], spectra: [], alarms: [], proxies: [] });
  writeFileSync(path, bytes);
  return bytes.byteLength;
}

// A checkpoint of a training run: everything GanTrainer needs to continue exactly where it was, as
// plain data (typed arrays and numbers) that IndexedDB and structured clone keep as they are: raw
// weights, both Adam states, every normalization's persistent state (of each method used so far),
// the sigma monitors, the data order, the noise stream, and the last losses.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig, NormName } from '../config/schema';
import type { SamplerPosition } from '../data/batch-sampler';
import type { NormalizerState } from '../normalize/persistent-state';
import type { NormSwitch } from './types';

export const CHECKPOINT_FORMAT = 'spectral-gan-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** One optimizer weight: Adam's iteration count (int32) or a moment accumulator (float32). */
export interface OptimizerTensor {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  values: Float32Array;
}

export interface TrainerCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** The trainer's configuration at the checkpoint, live changes and scheduled switches applied. */
  config: GanConfig;
  iteration: number;
  switches: NormSwitch[];
  /** Generator.variables order. */
  generator: Float32Array[];
  /** Discriminator.variables order (each layer's weight, then its bias if any). */
  discriminator: Float32Array[];
  dOptimizer: OptimizerTensor[];
  gOptimizer: OptimizerTensor[];
  /** Per method created so far, one state per D layer: switching back resumes a method's state. */
  normalizers: Partial<Record<NormName, NormalizerState[]>>;
  sigmaMonitors: NormalizerState[];
  /**
   * Power-iteration state on each effective weight (the sigma product of chart-lipschitz); absent in older
   * checkpoints.
   */
  effectiveMonitors?: NormalizerState[];
  sampler: SamplerPosition;
  /** SeededRandom state of the per-update noise seeds. */
  noiseState: number;
  lastDLoss: number | null;
  lastGLoss: number | null;
  lastGradSquares: number[] | null;
  /** The last read-back's input-gradient statistics (lipschitz-probe.ts); absent in older checkpoints. */
  lastInputGradients?: number[] | null;
}

/**
 * tfjs's Adam keeps beta^t as running products (accBeta1, accBeta2); its setWeights recomputes them
 * with pow, which differs in the last bits, so a resumed run would drift from the original by about
 * 1e-8. They are saved as they are, under these names.
 */
const ADAM_PRODUCTS = ['accBeta1', 'accBeta2'] as const;
type AdamProducts = Partial<Record<(typeof ADAM_PRODUCTS)[number], tf.Variable>>;

/** Copies of an optimizer's weights (getWeights hands out its live variables), and Adam's beta products. */
export async function readOptimizer(optimizer: tf.Optimizer): Promise<OptimizerTensor[]> {
  const named = await optimizer.getWeights();
  const products = optimizer as unknown as AdamProducts;
  for (const name of ADAM_PRODUCTS) {
    const product = products[name];
    if (product) named.push({ name: `#${name}`, tensor: product });
  }
  try {
    return await Promise.all(
      named.map(async ({ name, tensor }) => ({
        name,
        dtype: tensor.dtype === 'int32' ? ('int32' as const) : ('float32' as const),
        shape: [...tensor.shape],
        values: Float32Array.from(await tensor.data()),
      })),
    );
  } finally {
    // The iteration count comes as a fresh scalar; the moments are the optimizer's own variables.
    tf.dispose(named.filter((entry) => entry.name === 'iter').map((entry) => entry.tensor));
  }
}

/**
 * Loads saved weights into a fresh optimizer (one that has not applied gradients yet: setWeights
 * replaces its accumulators without disposing them). Adam matches accumulators to variables by
 * position, so the same model gives the same order.
 */
export async function writeOptimizer(optimizer: tf.Optimizer, saved: readonly OptimizerTensor[]): Promise<void> {
  const weights = saved.filter((entry) => !entry.name.startsWith('#'));
  const tensors = weights.map(({ name, dtype, shape, values }) => ({
    name,
    tensor:
      dtype === 'int32' ? tf.tensor(Int32Array.from(values), shape, 'int32') : tf.tensor(values, shape, 'float32'),
  }));
  try {
    await optimizer.setWeights(tensors);
  } finally {
    tf.dispose(tensors.map((t) => t.tensor));
  }
  const products = optimizer as unknown as AdamProducts;
  for (const name of ADAM_PRODUCTS) {
    const entry = saved.find((e) => e.name === `#${name}`);
    const product = products[name];
    if (entry && product) tf.tidy(() => product.assign(tf.tensor(entry.values, product.shape)));
  }
}

/** Throws a clear message when `value` is not a checkpoint this build can load. */
export function checkCheckpoint(value: unknown): asserts value is TrainerCheckpoint {
  const checkpoint = value as Partial<TrainerCheckpoint> | null;
  if (typeof checkpoint !== 'object' || checkpoint === null || checkpoint.format !== CHECKPOINT_FORMAT) {
    throw new Error('not a training checkpoint');
  }
  if (checkpoint.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `checkpoint version ${String(checkpoint.version)} is not supported (this build reads version ` +
        `${CHECKPOINT_VERSION})`,
    );
  }
  if (!Number.isInteger(checkpoint.iteration) || (checkpoint.iteration ?? -1) < 0)
    throw new Error('checkpoint: no valid iteration');
  if (!Array.isArray(checkpoint.generator) || !Array.isArray(checkpoint.discriminator))
    throw new Error('checkpoint: no model weights');
}

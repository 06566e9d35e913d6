// Each WGSL kernel against its tfjs-ops twin, on the weights of the configured discriminator, as
// one D update uses it: the twin first (the baseline), then the kernel, interleaved.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig } from '../core/config/schema';
import { bssnPowerIterationOps, bssnVectorLength } from '../core/kernels/bssn-power-iteration';
import { bssnPowerIterationWebGPU } from '../core/kernels/bssn-power-iteration-webgpu';
import { jacobiSweepsOps } from '../core/kernels/jacobi-rotation';
import { jacobiSweepsWebGPU } from '../core/kernels/jacobi-rotation-webgpu';
import { powerIterationOps } from '../core/kernels/power-iteration';
import { powerIterationWebGPU } from '../core/kernels/power-iteration-webgpu';
import { Discriminator } from '../core/models/discriminator';
import { JACOBI_SWEEPS_PER_PASS } from '../core/normalize/singular-basis';
import { matrixShape } from '../core/normalize/types';
import { timeSideBySide, type BenchRow } from './side-by-side';

export interface KernelTwinRows {
  kernel: string;
  /** [twin, WGSL kernel]: the ratio of the second is WGSL over twin. */
  rows: BenchRow[];
}

/** One input set per D layer; `run` maps them to one tensor per layer, which is read back. */
interface KernelWork<Input> {
  kernel: string;
  inputs: Input[];
  twin: (input: Input) => tf.Tensor;
  wgsl: (input: Input) => tf.Tensor;
}

async function timeKernelPair<Input>(work: KernelWork<Input>, repeats: number): Promise<KernelTwinRows> {
  const runAll = (implementation: (input: Input) => tf.Tensor) => async () => {
    const outputs = tf.tidy(() => tf.concat(work.inputs.map((input) => tf.reshape(implementation(input), [-1]))));
    await outputs.data();
    outputs.dispose();
  };
  const rows = await timeSideBySide(
    [
      { name: `${work.kernel}, tfjs-ops twin`, run: runAll(work.twin) },
      { name: `${work.kernel}, WGSL kernel`, run: runAll(work.wgsl) },
    ],
    repeats,
  );
  return { kernel: work.kernel, rows };
}

/** The stacked Jacobi state [T; I] of a layer's Gram T (n x n, n = min(K, c)), as SR forms it. */
function jacobiState(matrix: tf.Tensor2D): tf.Tensor2D {
  const [k, c] = matrix.shape;
  return tf.tidy(() => {
    const gram = k < c ? tf.matMul(matrix, matrix, false, true) : tf.matMul(matrix, matrix, true, false);
    return tf.concat([gram, tf.eye(gram.shape[0])], 0) as tf.Tensor2D;
  });
}

/** SN's power iteration, BSSN's pair of them and SR's Jacobi sweeps, each over its twin. */
export async function benchKernelTwins(config: GanConfig, repeats: number): Promise<KernelTwinRows[]> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`the WGSL kernels need webgpu, not ${tf.getBackend()}`);
  const discriminator = new Discriminator(config.arch, config.ch, config.seed);
  const weights = discriminator.layers.map((l) => l.weight);
  const matrices = weights.map((w) => tf.reshape(w, matrixShape(w.shape)) as tf.Tensor2D);
  const snVectors = matrices.map((m) => tf.randomNormal([m.shape[1]], 0, 1, 'float32', 1) as tf.Tensor1D);
  const bssnVectors = weights.map(
    (w) => tf.randomNormal([bssnVectorLength(w.shape)], 0, 1, 'float32', 2) as tf.Tensor1D,
  );
  const states = matrices.map(jacobiState);
  const iterations = config.sniters;
  try {
    return [
      await timeKernelPair(
        {
          kernel: 'SN power iteration',
          inputs: matrices.map((m, i) => [m, snVectors[i]] as const),
          twin: ([m, u]) => powerIterationOps(m, u, iterations).sigma,
          wgsl: ([m, u]) => powerIterationWebGPU(m, u, iterations).sigma,
        },
        repeats,
      ),
      await timeKernelPair(
        {
          kernel: 'BSSN power iterations',
          inputs: weights.map((w, i) => [w, bssnVectors[i]] as const),
          twin: ([w, u]) => bssnPowerIterationOps(w, u, iterations).sigma,
          wgsl: ([w, u]) => bssnPowerIterationWebGPU(w, u, iterations).sigma,
        },
        repeats,
      ),
      await timeKernelPair(
        {
          kernel: `SR Jacobi, ${JACOBI_SWEEPS_PER_PASS} sweeps`,
          inputs: states.filter((state) => state.shape[1] >= 2), // n = 1: no rotation to time
          twin: (state) => jacobiSweepsOps(state, JACOBI_SWEEPS_PER_PASS),
          wgsl: (state) => jacobiSweepsWebGPU(state, JACOBI_SWEEPS_PER_PASS),
        },
        repeats,
      ),
    ];
  } finally {
    tf.dispose([...matrices, ...snVectors, ...bssnVectors, ...states]);
    discriminator.dispose();
  }
}

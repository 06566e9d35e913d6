/**
 * BSSN's two power iterations as WGSL programs inside tfjs-backend-webgpu, registered as the tfjs
 * kernel 'BssnPowerIteration' for the 'webgpu' backend only (bssn-power-iteration.ts never calls it
 * elsewhere). The math and its tfjs-ops twin are in bssn-power-iteration-ops.ts; the WGSL and the
 * packed-vector layout in bssn-power-iteration.wgsl.ts.
 *
 * Dispatches for n iterations of *both* matrices: 2n + 4.
 *   y = [A1 u1; B u2]           RowsProgram; from the 2nd iteration on, u = norm(z) per half is folded in
 *   z = [A1^T v1; B^T v2]       ColumnsProgram (v = norm(y) per half folded in)
 * then u' = norm(z), v = norm(y) (per half), [sigma1, sigma2] = [|z1|, |z2|], and the gradient of the
 * mean sigma in W's layout (NormalizeHalvesProgram twice, SigmasProgram: one workgroup each;
 * MeanSigmaGradientProgram: one thread per weight element).
 *
 * Programs are made afresh for every dispatch (runWebGPUProgram overwrites shaderKey and dispatch).
 * Only type imports from the backend package: importing its code registers the backend, which in
 * Node must wait for initNodeWebGPU().
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { f32, FlatProgram, i32, type ProgramUniforms } from './flat-program';
import {
  assertBssnArgs,
  BSSN_EPSILON,
  weightAsBlocks,
  type BssnPowerIterationResult,
} from './bssn-power-iteration-ops';
import {
  BSSN_WORKGROUP_SIZE,
  COLUMNS_WGSL,
  INPUT_VECTOR,
  MEAN_SIGMA_GRADIENT_WGSL,
  NORMALIZE_HALVES_WGSL,
  NORMALIZED_U,
  NORMALIZED_V,
  ROWS_WGSL,
  SIGMAS_WGSL,
  WEIGHT_BLOCKS,
  type VectorWidth,
} from './bssn-power-iteration.wgsl';
import { registerKernelOnce, registerZeroGradientOnce } from './register-kernel';

export const BSSN_POWER_ITERATION_KERNEL = 'BssnPowerIteration';

/** A flat program of this kernel, in its workgroup size. */
abstract class BssnProgram extends FlatProgram {
  constructor(shaderKey: string, outputLength: number, threads: number) {
    super(shaderKey, outputLength, threads, BSSN_WORKGROUP_SIZE);
  }
}

type Blocks = readonly [number, number, number];

function widthOf([, , cout]: Blocks): VectorWidth {
  return cout % 4 === 0 ? 4 : 1;
}

/** y = [A1 u1; B u2]: P*cin + P*cout outputs. */
class RowsProgram extends BssnProgram {
  variableNames = [WEIGHT_BLOCKS, INPUT_VECTOR];
  uniforms = 'eps : f32, normalizeInput : i32,';
  private readonly width: VectorWidth;

  constructor(blocks: Blocks) {
    const [p, cin, cout] = blocks;
    const width = widthOf(blocks);
    // The width is in the key: tfjs's own key leaves out the bindings' element types.
    super(`bssn_power_iteration_rows_w${width}`, p * (cin + cout), p * cin + (p * cout) / width);
    this.width = width;
    if (width === 4) this.variableComponents = [4, 1];
  }

  getUserCode(): string {
    return ROWS_WGSL[this.width];
  }
}

/** z = [A1^T v1; B^T v2]: cout + cin outputs. */
class ColumnsProgram extends BssnProgram {
  variableNames = [WEIGHT_BLOCKS, INPUT_VECTOR];
  uniforms = 'eps : f32,';
  private readonly width: VectorWidth;

  constructor(blocks: Blocks) {
    const [, cin, cout] = blocks;
    const width = widthOf(blocks);
    super(`bssn_power_iteration_columns_w${width}`, cout + cin, cout / width + cin);
    this.width = width;
    if (width === 4) this.variableComponents = [4, 1];
  }

  getUserCode(): string {
    return COLUMNS_WGSL[this.width];
  }
}

/** Each half of a packed vector divided by its own norm; one workgroup. */
class NormalizeHalvesProgram extends BssnProgram {
  variableNames = [INPUT_VECTOR];
  uniforms = 'eps : f32, split : i32,';

  constructor(length: number) {
    super('bssn_power_iteration_normalize_halves', length, BSSN_WORKGROUP_SIZE);
  }

  getUserCode(): string {
    return NORMALIZE_HALVES_WGSL;
  }
}

/** [|z1|, |z2|]; one workgroup. */
class SigmasProgram extends BssnProgram {
  variableNames = [INPUT_VECTOR];
  uniforms = 'eps : f32, split : i32,';

  constructor() {
    super('bssn_power_iteration_sigmas', 2, BSSN_WORKGROUP_SIZE);
  }

  getUserCode(): string {
    return SIGMAS_WGSL;
  }
}

/** (v1 u1^T + T(v2 u2^T)) / 2 in W's layout; one thread per element. */
class MeanSigmaGradientProgram extends BssnProgram {
  variableNames = [NORMALIZED_U, NORMALIZED_V];
  uniforms = 'cin : i32, cout : i32,';

  constructor([p, cin, cout]: Blocks) {
    super('bssn_power_iteration_mean_sigma_gradient', p * cin * cout, p * cin * cout);
  }

  getUserCode(): string {
    return MEAN_SIGMA_GRADIENT_WGSL;
  }
}

function epsAndInt(eps: number, value: number): ProgramUniforms {
  return [f32(eps), i32(value)];
}

export interface BssnPowerIterationAttrs {
  iterations: number;
  eps: number;
}

function readAttrs(attrs: tf.NamedAttrMap | undefined): BssnPowerIterationAttrs {
  const iterations = attrs?.iterations;
  const eps = attrs?.eps;
  if (typeof iterations !== 'number' || typeof eps !== 'number') {
    throw new Error(`${BSSN_POWER_ITERATION_KERNEL} needs numeric attrs iterations and eps`);
  }
  return { iterations, eps };
}

/**
 * Kernel body on the blocks view [P, cin, cout] and packed u [cout + cin]. Outputs
 * [u' (cout + cin), v (P*cin + P*cout), sigmas (2), mean-sigma gradient ([P, cin, cout])];
 * frees every intermediate it made.
 */
const bssnPowerIterationKernel: tf.KernelFunc = (args): tf.TensorInfo[] => {
  const gpu = args.backend as WebGPUBackend;
  const { w, u } = args.inputs;
  if (w == null || u == null) throw new Error(`${BSSN_POWER_ITERATION_KERNEL} needs inputs w and u`);
  const { iterations, eps } = readAttrs(args.attrs);
  const blocks: Blocks = [w.shape[0], w.shape[1], w.shape[2]];
  const [p, cin, cout] = blocks;

  let y: tf.TensorInfo | undefined;
  let z: tf.TensorInfo | undefined;
  for (let i = 0; i < iterations; i++) {
    const nextY = gpu.runWebGPUProgram(new RowsProgram(blocks), [w, z ?? u], 'float32', epsAndInt(eps, z ? 1 : 0));
    if (y) gpu.disposeData(y.dataId);
    if (z) gpu.disposeData(z.dataId);
    y = nextY;
    z = gpu.runWebGPUProgram(new ColumnsProgram(blocks), [w, y], 'float32', [f32(eps)]);
  }
  if (!y || !z) throw new Error('unreachable: iterations >= 1');

  const nextU = gpu.runWebGPUProgram(new NormalizeHalvesProgram(cout + cin), [z], 'float32', epsAndInt(eps, cout));
  const v = gpu.runWebGPUProgram(new NormalizeHalvesProgram(p * (cin + cout)), [y], 'float32', epsAndInt(eps, p * cin));
  const sigmas = gpu.runWebGPUProgram(new SigmasProgram(), [z], 'float32', epsAndInt(eps, cout));
  const gradient = gpu.runWebGPUProgram(new MeanSigmaGradientProgram(blocks), [nextU, v], 'float32', [
    i32(cin),
    i32(cout),
  ]);
  gpu.disposeData(y.dataId);
  gpu.disposeData(z.dataId);
  // The gradient program writes a flat buffer; hand it out in the blocks shape over the same data,
  // as tfjs's own Reshape does.
  return [nextU, v, sigmas, { dataId: gradient.dataId, shape: [p, cin, cout], dtype: 'float32' }];
};

/**
 * Registers the kernel for 'webgpu' and its (zero) gradient: u, v and the sigmas are constants of
 * the normalization; the differentiable part is bssnNormalizedWeight's. Idempotent.
 */
export function registerBssnPowerIterationKernel(): void {
  registerKernelOnce(BSSN_POWER_ITERATION_KERNEL, 'webgpu', bssnPowerIterationKernel);
  registerZeroGradientOnce(BSSN_POWER_ITERATION_KERNEL, ['w', 'u']);
}

/** The WGSL path; call only while tf.getBackend() === 'webgpu'. Same contract as the twin. */
export function bssnPowerIterationWebGPU(
  weight: tf.Tensor,
  u: tf.Tensor1D,
  iterations: number,
  eps: number = BSSN_EPSILON,
): BssnPowerIterationResult {
  if (tf.getBackend() !== 'webgpu') {
    throw new Error(`bssnPowerIterationWebGPU needs the webgpu backend, not ${tf.getBackend()}`);
  }
  assertBssnArgs(weight, u, iterations);
  registerBssnPowerIterationKernel();
  return tf.tidy(() => {
    const attrs: BssnPowerIterationAttrs = { iterations, eps };
    const [nextU, v, sigma, gradient] = tf
      .engine()
      .runKernel<tf.Tensor[]>(BSSN_POWER_ITERATION_KERNEL, { w: weightAsBlocks(weight), u }, { ...attrs });
    return {
      u: nextU as tf.Tensor1D,
      v: v as tf.Tensor1D,
      sigma: sigma as tf.Tensor1D,
      meanSigmaGradient: tf.reshape(gradient, weight.shape),
    };
  });
}

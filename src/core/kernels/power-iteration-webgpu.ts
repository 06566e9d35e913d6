/**
 * Spectral-norm power iteration as WGSL programs inside tfjs-backend-webgpu, registered as the tfjs
 * kernel 'SpectralPowerIteration' for the 'webgpu' backend only (power-iteration.ts never calls it
 * on another backend). The math and its tfjs-ops twin are in power-iteration-ops.ts.
 *
 * Dispatches for n iterations: 2n + 3.
 *   y = A u                      MatrixVectorProgram('rows'); from the 2nd iteration on, u = norm(z)
 *                                is folded in (normalizeInput = 1)
 *   z = A^T norm(y) = A^T v      MatrixVectorProgram('columns')
 * then  u' = norm(z), v = norm(y), sigma = |z|   (NormalizeProgram twice, SigmaProgram: one
 *                                                 workgroup each, writing the three outputs)
 * Both products read A as vec4 when cout % 4 == 0 (power-iteration.wgsl.ts says why).
 *
 * Programs are made afresh for every dispatch: runWebGPUProgram overwrites their shaderKey and
 * dispatch fields.
 *
 * Only type imports from the backend package: importing its code registers the backend, and in Node
 * that must wait until navigator.gpu exists (see node-webgpu.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { f32, FlatProgram, i32, type ProgramUniforms } from './flat-program';
import { assertPowerIterationArgs, SPECTRAL_NORM_EPSILON, type PowerIterationResult } from './power-iteration-ops';
import {
  INPUT_VECTOR,
  MATRIX_TIMES_VECTOR_WGSL,
  MATRIX_TRANSPOSED_TIMES_VECTOR_WGSL,
  NORMALIZE_WGSL,
  POWER_ITERATION_WORKGROUP_SIZE,
  SIGMA_WGSL,
  WEIGHT_MATRIX,
  type VectorWidth,
} from './power-iteration.wgsl';
import { registerKernelOnce, registerZeroGradientOnce } from './register-kernel';

export const SPECTRAL_POWER_ITERATION_KERNEL = 'SpectralPowerIteration';

/** A flat program of this kernel: one thread per output element unless `threads` says otherwise. */
abstract class PowerIterationProgram extends FlatProgram {
  constructor(shaderKey: string, outputLength: number, threads: number = outputLength) {
    super(shaderKey, outputLength, threads, POWER_ITERATION_WORKGROUP_SIZE);
  }
}

/**
 * y = A x ('rows', K threads) or y = A^T x / max(|x|, eps) ('columns', cout / width threads).
 * Reads four columns of A per load whenever cout allows it (see power-iteration.wgsl.ts).
 */
class MatrixVectorProgram extends PowerIterationProgram {
  variableNames = [WEIGHT_MATRIX, INPUT_VECTOR];
  // Order must match matrixVectorUniforms().
  uniforms = 'eps : f32, normalizeInput : i32,';
  private readonly width: VectorWidth;

  constructor(
    private readonly orientation: 'rows' | 'columns',
    matrixShape: readonly [number, number],
  ) {
    const [rows, columns] = matrixShape;
    const width: VectorWidth = columns % 4 === 0 ? 4 : 1;
    super(
      // The width is part of the key: tfjs's own key omits the bindings' element types.
      `spectral_power_iteration_${orientation}_w${width}`,
      orientation === 'rows' ? rows : columns,
      orientation === 'rows' ? rows : columns / width,
    );
    this.width = width;
    if (width === 4) this.variableComponents = orientation === 'rows' ? [4, 4] : [4, 1];
  }

  getUserCode(): string {
    return this.orientation === 'rows'
      ? MATRIX_TIMES_VECTOR_WGSL[this.width]
      : MATRIX_TRANSPOSED_TIMES_VECTOR_WGSL[this.width];
  }
}

function matrixVectorUniforms(eps: number, normalizeInput: boolean): ProgramUniforms {
  return [f32(eps), i32(normalizeInput ? 1 : 0)];
}

/** x / max(|x|, eps), in one workgroup. */
class NormalizeProgram extends PowerIterationProgram {
  variableNames = [INPUT_VECTOR];
  uniforms = 'eps : f32,';

  constructor(length: number) {
    super('spectral_power_iteration_normalize', length, POWER_ITERATION_WORKGROUP_SIZE);
  }

  getUserCode(): string {
    return NORMALIZE_WGSL;
  }
}

/** |z| as sigma, in one workgroup. */
class SigmaProgram extends PowerIterationProgram {
  variableNames = [INPUT_VECTOR];
  uniforms = 'eps : f32,';

  constructor() {
    super('spectral_power_iteration_sigma', 1, POWER_ITERATION_WORKGROUP_SIZE);
  }

  getUserCode(): string {
    return SIGMA_WGSL;
  }
}

export interface SpectralPowerIterationAttrs {
  iterations: number;
  eps: number;
}

function readAttrs(attrs: tf.NamedAttrMap | undefined): SpectralPowerIterationAttrs {
  const iterations = attrs?.iterations;
  const eps = attrs?.eps;
  if (typeof iterations !== 'number' || typeof eps !== 'number') {
    throw new Error(`${SPECTRAL_POWER_ITERATION_KERNEL} needs numeric attrs iterations and eps`);
  }
  return { iterations, eps };
}

/** Kernel body. Outputs [u' (cout), v (K), sigma (scalar)]; frees every intermediate it made. */
const spectralPowerIterationWebGPU: tf.KernelFunc = (args): tf.TensorInfo[] => {
  const gpu = args.backend as WebGPUBackend;
  const { a, u } = args.inputs;
  if (a == null || u == null) throw new Error(`${SPECTRAL_POWER_ITERATION_KERNEL} needs inputs a and u`);
  const { iterations, eps } = readAttrs(args.attrs);
  const matrixShape: readonly [number, number] = [a.shape[0], a.shape[1]];

  let y: tf.TensorInfo | undefined;
  let z: tf.TensorInfo | undefined;
  for (let i = 0; i < iterations; i++) {
    const probe = z ?? u;
    const nextY = gpu.runWebGPUProgram(
      new MatrixVectorProgram('rows', matrixShape),
      [a, probe],
      'float32',
      matrixVectorUniforms(eps, z !== undefined),
    );
    if (y) gpu.disposeData(y.dataId);
    if (z) gpu.disposeData(z.dataId);
    y = nextY;
    z = gpu.runWebGPUProgram(
      new MatrixVectorProgram('columns', matrixShape),
      [a, y],
      'float32',
      matrixVectorUniforms(eps, true),
    );
  }
  if (!y || !z) throw new Error('unreachable: iterations >= 1');

  const epsUniform = [f32(eps)];
  const nextU = gpu.runWebGPUProgram(new NormalizeProgram(matrixShape[1]), [z], 'float32', epsUniform);
  const v = gpu.runWebGPUProgram(new NormalizeProgram(matrixShape[0]), [y], 'float32', epsUniform);
  const sigma = gpu.runWebGPUProgram(new SigmaProgram(), [z], 'float32', epsUniform);
  gpu.disposeData(y.dataId);
  gpu.disposeData(z.dataId);
  // The program writes a [1] buffer; hand it out as a scalar over the same data (as tfjs's Reshape does).
  return [nextU, v, { dataId: sigma.dataId, shape: [], dtype: 'float32' }];
};

/**
 * Registers the kernel for 'webgpu' and its gradient (zero: u, v and sigma of the power iteration
 * are constants of the normalization; the differentiable sigma is spectralNormalizedWeight's).
 * Idempotent, so module re-evaluation (vitest, HMR) does not trigger tfjs's duplicate warnings.
 */
export function registerSpectralPowerIterationKernel(): void {
  registerKernelOnce(SPECTRAL_POWER_ITERATION_KERNEL, 'webgpu', spectralPowerIterationWebGPU);
  registerZeroGradientOnce(SPECTRAL_POWER_ITERATION_KERNEL, ['a', 'u']);
}

/** The WGSL path; call only while tf.getBackend() === 'webgpu'. */
export function powerIterationWebGPU(
  a: tf.Tensor2D,
  u: tf.Tensor1D,
  iterations: number,
  eps: number = SPECTRAL_NORM_EPSILON,
): PowerIterationResult {
  if (tf.getBackend() !== 'webgpu') {
    throw new Error(`powerIterationWebGPU needs the webgpu backend, not ${tf.getBackend()}`);
  }
  assertPowerIterationArgs(a, u, iterations);
  registerSpectralPowerIterationKernel();
  const attrs: SpectralPowerIterationAttrs = { iterations, eps };
  const [nextU, v, sigma] = tf.engine().runKernel<tf.Tensor[]>(SPECTRAL_POWER_ITERATION_KERNEL, { a, u }, { ...attrs });
  return { u: nextU as tf.Tensor1D, v: v as tf.Tensor1D, sigma: sigma as tf.Scalar };
}

/**
 * Fused bias + batch norm (batch statistics) + ReLU as WGSL programs inside tfjs-backend-webgpu,
 * with a hand-written gradient. Two tfjs kernels, registered for 'webgpu' only
 * (batch-norm-relu.ts never calls them on another backend); the math and its tfjs-ops twin are in
 * batch-norm-relu-ops.ts, the WGSL in batch-norm-relu.wgsl.ts.
 *
 * 'BatchNormReluForward' (x, gamma, beta[, bias]) -> [y, stats]: 2 dispatches
 *   StatisticsProgram      stats [2, C] = mean, biased variance of x + bias  (one reduction)
 *   NormalizeReluProgram   y = max(0, gamma * xhat + beta)                   (elementwise)
 * 'BatchNormReluBackward' (dy, x, gamma, beta, stats[, bias]) -> [dx, dgamma, dbeta]: 4 dispatches
 *   GradientSumsProgram    [4, C] = S1 = sum g, S2 = sum g xhat, mean, var   (one reduction)
 *   InputGradientProgram   dx = gamma rstd / M (M g - S1 - xhat S2)          (elementwise)
 *   ExtractRowProgram x2   dbeta = S1, dgamma = S2 as [C] tensors (a program has one output, and
 *                          tfjs-backend-webgpu's Slice is a dispatch too)
 *
 * Both kernels run only inside the tf.customGrad of batchNormReluWebGPU: its forward runs at kernel
 * depth > 0 and backprop runs with the tape off, so neither lands on a gradient tape and neither
 * needs a registered gradient (a second-order gradient through batchNormRelu is not supported).
 *
 * Programs are made afresh for every dispatch (runWebGPUProgram overwrites shaderKey and dispatch).
 * Only type imports from the backend package: importing its code registers the backend, which in
 * Node must wait until navigator.gpu exists (see node-webgpu.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { assertBatchNormReluArgs, BATCH_NORM_EPSILON, type BatchNormScaleOffset } from './batch-norm-relu-ops';
import {
  BATCH_NORM_RELU_WORKGROUP_SIZE,
  BETA,
  BIAS,
  DY,
  EXTRACT_ROW_WGSL,
  GAMMA,
  GRADIENT_SUMS,
  gradientSumsWgsl,
  inputGradientWgsl,
  normalizeReluWgsl,
  PACKED,
  STATS,
  statisticsWgsl,
  X,
  type ChannelsPerWorkgroup,
  type VectorWidth,
} from './batch-norm-relu.wgsl';
import { f32, FlatProgram, i32 } from './flat-program';
import { registerKernelOnce } from './register-kernel';

export const BATCH_NORM_RELU_FORWARD_KERNEL = 'BatchNormReluForward';
export const BATCH_NORM_RELU_BACKWARD_KERNEL = 'BatchNormReluBackward';

const WG = BATCH_NORM_RELU_WORKGROUP_SIZE;

/** Channels per reduction workgroup: 1 when M >= WG, else enough that WG / P lanes cover M rows. */
export function channelsPerWorkgroup(rows: number): ChannelsPerWorkgroup {
  let p = 1;
  while (p < 16 && WG / p / 2 >= rows) p *= 2;
  return p as ChannelsPerWorkgroup;
}

/** One thread per channel block member and row lane: ceil(C / P) workgroups, C*2 or C*4 outputs. */
class ChannelReductionProgram extends FlatProgram {
  variableNames: string[];
  uniforms = 'epsilon : f32,';

  constructor(
    name: string,
    private readonly userCode: string,
    inputs: string[],
    channels: number,
    outputRows: number,
    p: ChannelsPerWorkgroup,
    hasBias: boolean,
  ) {
    // The shaderKey carries what tfjs's key omits from the WGSL text: P (and, for clarity, the bias).
    super(
      `batch_norm_relu_${name}_p${p}_${hasBias ? 'bias' : 'nobias'}`,
      outputRows * channels,
      Math.ceil(channels / p) * WG,
      WG,
    );
    this.variableNames = hasBias ? [...inputs, BIAS] : inputs;
  }

  getUserCode(): string {
    return this.userCode;
  }
}

/** One thread per element (width 1) or per 4 neighbouring elements of a channel row (width 4). */
class ElementwiseProgram extends FlatProgram {
  variableNames: string[];
  uniforms = 'epsilon : f32,';
  outputComponent: number;

  constructor(
    name: string,
    private readonly userCode: string,
    inputs: string[],
    size: number,
    width: VectorWidth,
    hasBias: boolean,
  ) {
    super(`batch_norm_relu_${name}_w${width}_${hasBias ? 'bias' : 'nobias'}`, size, size / width, WG);
    this.variableNames = hasBias ? [...inputs, BIAS] : inputs;
    this.outputComponent = width;
    // Every binding is read with the same width: x and dy per element vector, the rest per channel vector.
    this.variableComponents = this.variableNames.map(() => width);
  }

  getUserCode(): string {
    return this.userCode;
  }
}

/** Row `row` of a packed [R, C] buffer as a [C] tensor. */
class ExtractRowProgram extends FlatProgram {
  variableNames = [PACKED];
  uniforms = 'row : i32,';

  constructor(channels: number) {
    super('batch_norm_relu_extract_row', channels, channels, WG);
  }

  getUserCode(): string {
    return EXTRACT_ROW_WGSL;
  }
}

interface Layout {
  /** x and dy as [M, C] (same data, a view). */
  asMatrix: (t: tf.TensorInfo) => tf.TensorInfo;
  rows: number;
  channels: number;
  width: VectorWidth;
  p: ChannelsPerWorkgroup;
}

function layoutOf(x: tf.TensorInfo): Layout {
  const channels = x.shape[x.shape.length - 1];
  const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return {
    asMatrix: (t) => ({ dataId: t.dataId, shape: [rows, channels], dtype: t.dtype }),
    rows,
    channels,
    width: channels % 4 === 0 ? 4 : 1,
    p: channelsPerWorkgroup(rows),
  };
}

function readEpsilon(attrs: tf.NamedAttrMap | undefined, kernel: string): number {
  const epsilon = attrs?.epsilon;
  if (typeof epsilon !== 'number') throw new Error(`${kernel} needs a numeric attr epsilon`);
  return epsilon;
}

function requireInputs(inputs: tf.NamedTensorInfoMap, names: string[], kernel: string): tf.TensorInfo[] {
  return names.map((name) => {
    const t = inputs[name];
    if (t == null) throw new Error(`${kernel} needs input ${name}`);
    return t;
  });
}

/** Forward kernel body: [y (x's shape), stats [2, C]]. */
const batchNormReluForwardWebGPU: tf.KernelFunc = (args): tf.TensorInfo[] => {
  const gpu = args.backend as WebGPUBackend;
  const kernel = BATCH_NORM_RELU_FORWARD_KERNEL;
  const [x, gamma, beta] = requireInputs(args.inputs, [X, GAMMA, BETA], kernel);
  const bias = args.inputs[BIAS];
  const hasBias = bias != null;
  const epsilon = readEpsilon(args.attrs, kernel);
  const { asMatrix, rows, channels, width, p } = layoutOf(x);
  const biasInput = hasBias ? [bias] : [];
  const uniforms = [f32(epsilon)];

  const stats = gpu.runWebGPUProgram(
    new ChannelReductionProgram('statistics', statisticsWgsl(p, hasBias), [X], channels, 2, p, hasBias),
    [asMatrix(x), ...biasInput],
    'float32',
    uniforms,
  );
  const y = gpu.runWebGPUProgram(
    new ElementwiseProgram(
      'normalize_relu',
      normalizeReluWgsl(width, hasBias),
      [X, GAMMA, BETA, STATS],
      rows * channels,
      width,
      hasBias,
    ),
    [asMatrix(x), gamma, beta, stats, ...biasInput],
    'float32',
    uniforms,
  );
  return [
    { dataId: y.dataId, shape: x.shape, dtype: 'float32' },
    { dataId: stats.dataId, shape: [2, channels], dtype: 'float32' },
  ];
};

/** Backward kernel body: [dx (x's shape), dgamma [C], dbeta [C]]; frees its intermediate. */
const batchNormReluBackwardWebGPU: tf.KernelFunc = (args): tf.TensorInfo[] => {
  const gpu = args.backend as WebGPUBackend;
  const kernel = BATCH_NORM_RELU_BACKWARD_KERNEL;
  const [dy, x, gamma, beta, stats] = requireInputs(args.inputs, [DY, X, GAMMA, BETA, STATS], kernel);
  const bias = args.inputs[BIAS];
  const hasBias = bias != null;
  const epsilon = readEpsilon(args.attrs, kernel);
  const { asMatrix, rows, channels, width, p } = layoutOf(x);
  const biasInput = hasBias ? [bias] : [];
  const uniforms = [f32(epsilon)];

  const sums = gpu.runWebGPUProgram(
    new ChannelReductionProgram(
      'gradient_sums',
      gradientSumsWgsl(p, hasBias),
      [DY, X, GAMMA, BETA, STATS],
      channels,
      4,
      p,
      hasBias,
    ),
    [asMatrix(dy), asMatrix(x), gamma, beta, stats, ...biasInput],
    'float32',
    uniforms,
  );
  const dx = gpu.runWebGPUProgram(
    new ElementwiseProgram(
      'input_gradient',
      inputGradientWgsl(width, hasBias),
      [DY, X, GAMMA, BETA, GRADIENT_SUMS],
      rows * channels,
      width,
      hasBias,
    ),
    [asMatrix(dy), asMatrix(x), gamma, beta, sums, ...biasInput],
    'float32',
    uniforms,
  );
  const row = (r: number) => gpu.runWebGPUProgram(new ExtractRowProgram(channels), [sums], 'float32', [i32(r)]);
  const dbeta = row(0);
  const dgamma = row(1);
  gpu.disposeData(sums.dataId);
  return [{ dataId: dx.dataId, shape: x.shape, dtype: 'float32' }, dgamma, dbeta];
};

/** Registers both kernels for 'webgpu'; idempotent (module re-evaluation under vitest or HMR). */
export function registerBatchNormReluKernels(): void {
  registerKernelOnce(BATCH_NORM_RELU_FORWARD_KERNEL, 'webgpu', batchNormReluForwardWebGPU);
  registerKernelOnce(BATCH_NORM_RELU_BACKWARD_KERNEL, 'webgpu', batchNormReluBackwardWebGPU);
}

type Grads = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

/**
 * The customGrad body for inputs (x, gamma, beta[, bias]). Saves x, gamma, beta, stats (and bias):
 * saving is a refcount in tfjs-backend-webgpu, no copy; y and the ReLU mask are recomputed in
 * backward from x and stats rather than saved.
 */
function fusedWithGradient(epsilon: number, hasBias: boolean) {
  return (...args: Array<tf.Tensor | tf.GradSaveFunc>): { value: tf.Tensor; gradFunc: Grads } => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [x, gamma, beta, bias] = args.slice(0, -1) as tf.Tensor[];
    const inputs: tf.NamedTensorMap = hasBias ? { x, gamma, beta, bias } : { x, gamma, beta };
    const [y, stats] = tf.engine().runKernel<tf.Tensor[]>(BATCH_NORM_RELU_FORWARD_KERNEL, inputs, { epsilon });
    save(hasBias ? [x, gamma, beta, stats, bias] : [x, gamma, beta, stats]);
    const gradFunc: Grads = (dy, saved) => {
      const [sx, sGamma, sBeta, sStats, sBias] = saved;
      const backwardInputs: tf.NamedTensorMap = { dy, x: sx, gamma: sGamma, beta: sBeta, stats: sStats };
      if (hasBias) backwardInputs.bias = sBias;
      const [dx, dgamma, dbeta] = tf.engine().runKernel<tf.Tensor[]>(BATCH_NORM_RELU_BACKWARD_KERNEL, backwardInputs, {
        epsilon,
      });
      // dbias is exactly zero: batch norm subtracts the per-channel batch mean, which absorbs any
      // per-channel shift, so y does not depend on bias at all. tf.zeros uploads zeros, no dispatch
      // (tf.zerosLike would run a fill program).
      return hasBias ? [dx, dgamma, dbeta, tf.zeros(sBias.shape)] : [dx, dgamma, dbeta];
    };
    return { value: y, gradFunc };
  };
}

const fusedOps = new Map<string, (...inputs: tf.Tensor[]) => tf.Tensor>();

function fusedOp(epsilon: number, hasBias: boolean): (...inputs: tf.Tensor[]) => tf.Tensor {
  const key = `${epsilon}_${hasBias}`;
  let op = fusedOps.get(key);
  if (!op) {
    op = tf.customGrad(fusedWithGradient(epsilon, hasBias));
    fusedOps.set(key, op);
  }
  return op;
}

/**
 * The fused path: relu(batchNorm(x + bias)) with batch statistics over all axes but the last, and
 * its gradient (dx, dgamma, dbeta; dbias = 0). Call only while tf.getBackend() === 'webgpu'.
 */
export function batchNormReluWebGPU(
  x: tf.Tensor,
  params: BatchNormScaleOffset,
  bias?: tf.Tensor,
  epsilon: number = BATCH_NORM_EPSILON,
): tf.Tensor {
  if (tf.getBackend() !== 'webgpu') {
    throw new Error(`batchNormReluWebGPU needs the webgpu backend, not ${tf.getBackend()}`);
  }
  assertBatchNormReluArgs(x, params, bias);
  if (x.size === 0) throw new Error('batchNormRelu needs a non-empty x');
  registerBatchNormReluKernels();
  const inputs = bias === undefined ? [x, params.gamma, params.beta] : [x, params.gamma, params.beta, bias];
  return fusedOp(epsilon, bias !== undefined)(...inputs);
}

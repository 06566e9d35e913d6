/**
 * The fused Adam step as WGSL inside tfjs-backend-webgpu, two tfjs kernels for 'webgpu' only
 * (fused-adam.ts never calls them on another backend; the math and its twin are in fused-adam-ops.ts):
 * - 'FusedAdamStep': one dispatch per variable, reading value, m, v, gradient and this step's
 *   [1 - accBeta1, 1 - accBeta2], writing new value, m and v into three FRESH buffers (never in
 *   place: tfjs shares data ids between a variable and its clones and snapshots, and the old buffers
 *   may still be read by queued commands).
 * - 'FusedAdamAccBeta': one dispatch per optimizer step, [1 - accBeta1, 1 - accBeta2] and the next
 *   step's accBeta products.
 * So an Adam step over N variables is N + 1 dispatches; tfjs's AdamOptimizer issues 14 per variable
 * plus 4 (measured in tests/gpu/fused-adam.test.ts, cpu forwarding off).
 *
 * Both write several outputs, which runWebGPUProgram cannot, so they record their own pipelines
 * (fused-adam-dispatch.ts). Eight storage bindings per dispatch at most: Dawn's default limit per
 * shader stage, which tfjs does not raise; that is why accBeta1 and accBeta2 reach the step as one
 * [2] buffer. No gradient is registered: optimizers run outside gradient tapes.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  bufferBinding,
  dispatchShape,
  pipelineFor,
  recordDispatch,
  webgpuInternals,
  type UniformData,
} from './fused-adam-dispatch';
import {
  assertFusedAdamStepInputs,
  FUSED_ADAM_ACC_BETA_KERNEL,
  FUSED_ADAM_STEP_KERNEL,
  type AccBetaStepResult,
  type AdamHyperparameters,
  type FusedAdamStepInputs,
  type FusedAdamStepResult,
} from './fused-adam-ops';
import { FUSED_ADAM_ACC_BETA_WGSL, FUSED_ADAM_STEP_WGSL, FUSED_ADAM_WORKGROUP_SIZE } from './fused-adam.wgsl';
import { registerKernelOnce } from './register-kernel';

export { FUSED_ADAM_ACC_BETA_KERNEL, FUSED_ADAM_STEP_KERNEL };

/**
 * Test hook: a smaller maxComputeWorkgroupsPerDimension than the device's, so a test can reach the
 * 2-D dispatch (over 16.7M elements with the real limit) with a small tensor. Undefined: the device's.
 */
export const fusedAdamDispatchLimits: { maxWorkgroupsPerDimension?: number } = {};

function numberAttr(attrs: tf.NamedAttrMap | undefined, name: string, kernel: string): number {
  const value = attrs?.[name];
  if (typeof value !== 'number') throw new Error(`${kernel} needs the numeric attr ${name}`);
  return value;
}

function f32(value: number): UniformData[number] {
  return { type: 'float32', data: [value] };
}

function inputsOf(args: Parameters<tf.KernelFunc>[0], names: readonly string[], kernel: string): tf.TensorInfo[] {
  return names.map((name) => {
    const info = args.inputs[name];
    if (info == null) throw new Error(`${kernel}: missing input ${name}`);
    return info;
  });
}

const STEP_INPUTS = ['value', 'firstMoment', 'secondMoment', 'gradient', 'oneMinusAccBeta'] as const;

/** Kernel body of 'FusedAdamStep': outputs [value, firstMoment, secondMoment], all new data. */
const fusedAdamStepKernel: tf.KernelFunc = (args): tf.TensorInfo[] => {
  const gpu = args.backend as WebGPUBackend;
  const kernel = FUSED_ADAM_STEP_KERNEL;
  const reads = inputsOf(args, STEP_INPUTS, kernel);
  const shape = reads[0].shape;
  const learningRate = numberAttr(args.attrs, 'learningRate', kernel);
  const beta1 = numberAttr(args.attrs, 'beta1', kernel);
  const beta2 = numberAttr(args.attrs, 'beta2', kernel);
  const epsilon = numberAttr(args.attrs, 'epsilon', kernel);
  const size = tf.util.sizeFromShape(shape);
  if (size === 0) return [0, 1, 2].map(() => gpu.makeTensorInfo(shape, 'float32', new Float32Array(0)));

  const maxPerDimension =
    fusedAdamDispatchLimits.maxWorkgroupsPerDimension ?? gpu.device.limits.maxComputeWorkgroupsPerDimension;
  const workgroups = dispatchShape(Math.ceil(size / FUSED_ADAM_WORKGROUP_SIZE), maxPerDimension);
  const writes = [0, 1, 2].map(() => gpu.makeTensorInfo(shape, 'float32'));
  const bound = [...writes, ...reads];
  for (const info of bound) gpu.uploadToGPU(info.dataId);
  // The order of Params in FUSED_ADAM_STEP_WGSL. 1 - beta and -lr in float64, rounded once, as tfjs's
  // scalar tensors are.
  const uniforms = webgpuInternals(gpu).makeUniforms([
    f32(beta1),
    f32(beta2),
    f32(1 - beta1),
    f32(1 - beta2),
    f32(-learningRate),
    f32(epsilon),
    { type: 'uint32', data: [size] },
  ]);
  recordDispatch(gpu, {
    pipeline: pipelineFor(gpu.device, 'fused_adam_step', FUSED_ADAM_STEP_WGSL),
    resources: [...bound.map((info) => bufferBinding(gpu, info)), uniforms],
    workgroups,
    dataIds: bound.map((info) => info.dataId),
  });
  return writes;
};

/** Kernel body of 'FusedAdamAccBeta': outputs [oneMinusAccBeta [2], nextAccBeta1 [], nextAccBeta2 []]. */
const fusedAdamAccBetaKernel: tf.KernelFunc = (args): tf.TensorInfo[] => {
  const gpu = args.backend as WebGPUBackend;
  const kernel = FUSED_ADAM_ACC_BETA_KERNEL;
  const reads = inputsOf(args, ['accBeta1', 'accBeta2'], kernel);
  const beta1 = numberAttr(args.attrs, 'beta1', kernel);
  const beta2 = numberAttr(args.attrs, 'beta2', kernel);
  const writes = [
    gpu.makeTensorInfo([2], 'float32'),
    gpu.makeTensorInfo([], 'float32'),
    gpu.makeTensorInfo([], 'float32'),
  ];
  const bound = [...writes, ...reads];
  for (const info of bound) gpu.uploadToGPU(info.dataId);
  const uniforms = webgpuInternals(gpu).makeUniforms([f32(beta1), f32(beta2)]);
  recordDispatch(gpu, {
    pipeline: pipelineFor(gpu.device, 'fused_adam_acc_beta', FUSED_ADAM_ACC_BETA_WGSL),
    resources: [...bound.map((info) => bufferBinding(gpu, info)), uniforms],
    workgroups: [1, 1],
    dataIds: bound.map((info) => info.dataId),
  });
  return writes;
};

/** Registers both kernels for 'webgpu'; idempotent (module re-evaluation in vitest and HMR). */
export function registerFusedAdamKernels(): void {
  registerKernelOnce(FUSED_ADAM_STEP_KERNEL, 'webgpu', fusedAdamStepKernel);
  registerKernelOnce(FUSED_ADAM_ACC_BETA_KERNEL, 'webgpu', fusedAdamAccBetaKernel);
}

function assertWebGPU(caller: string): void {
  if (tf.getBackend() !== 'webgpu') throw new Error(`${caller} needs the webgpu backend, not ${tf.getBackend()}`);
}

/** The WGSL step of one variable; call only while tf.getBackend() === 'webgpu'. */
export function fusedAdamStepWebGPU(inputs: FusedAdamStepInputs, hyper: AdamHyperparameters): FusedAdamStepResult {
  assertWebGPU('fusedAdamStepWebGPU');
  assertFusedAdamStepInputs(inputs);
  registerFusedAdamKernels();
  const { value, firstMoment, secondMoment, gradient, oneMinusAccBeta } = inputs;
  const [newValue, newFirstMoment, newSecondMoment] = tf
    .engine()
    .runKernel<tf.Tensor[]>(
      FUSED_ADAM_STEP_KERNEL,
      { value, firstMoment, secondMoment, gradient, oneMinusAccBeta },
      { ...hyper },
    );
  return { value: newValue, firstMoment: newFirstMoment, secondMoment: newSecondMoment };
}

/** The WGSL per-step accBeta update; call only while tf.getBackend() === 'webgpu'. */
export function accBetaStepWebGPU(
  accBeta1: tf.Scalar,
  accBeta2: tf.Scalar,
  beta1: number,
  beta2: number,
): AccBetaStepResult {
  assertWebGPU('accBetaStepWebGPU');
  for (const product of [accBeta1, accBeta2]) {
    if (product.dtype !== 'float32' || product.size !== 1)
      throw new Error('fused Adam: accBeta must be float32 scalars');
  }
  registerFusedAdamKernels();
  const [oneMinusAccBeta, nextAccBeta1, nextAccBeta2] = tf
    .engine()
    .runKernel<tf.Tensor[]>(FUSED_ADAM_ACC_BETA_KERNEL, { accBeta1, accBeta2 }, { beta1, beta2 });
  return {
    oneMinusAccBeta: oneMinusAccBeta as tf.Tensor1D,
    nextAccBeta1: nextAccBeta1 as tf.Scalar,
    nextAccBeta2: nextAccBeta2 as tf.Scalar,
  };
}

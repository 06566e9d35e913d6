/**
 * Fused conv2d / matMul + bias + activation on webgpu, differentiable. Two layer kernels, registered
 * for 'webgpu' only (fused-layer.ts never calls them elsewhere):
 *
 *   FusedLayerConv2D   x [N, H, W, cin], filter [kh, kw, cin, cout], bias? [cout]; 'same' padding
 *   FusedLayerMatMul   a [batch, in], b [in, out], bias? [out]
 *
 * Forward: tfjs-backend-webgpu's own FusedConv2D / _FusedMatMul kernel function (bias and activation
 * in the matmul's epilogue). tfjs's tf.fused ops cannot be used under a gradient tape: they fall back
 * to unfused ops there (shouldFuse) and have no gradient for leaky ReLU.
 *
 * Backward (registered gradients, one lazy function per input, so backprop computes only what it
 * needs: no filter gradient in a G step, no input gradient for D's first layer in a D step; a
 * tf.customGrad would compute all three every time):
 *   dyAct = dy * (y > 0 ? 1 : alpha)   FusedLayerActivationGrad, one elementwise dispatch (none for linear)
 *   dx    = Conv2DBackpropInput(dyAct, filter)    or dyAct b^T (matMul) for dense
 *   dw    = Conv2DBackpropFilter(x, dyAct)        or a^T dyAct (matMul) for dense
 *   dbias = sum of dyAct over all but the last axis   FusedLayerBiasGrad, one dispatch
 * The conv attrs are those tfjs's own Conv2D gradient passes for tf.conv2d(x, w, stride, 'same').
 *
 * Only type imports from the backend package (power-iteration-webgpu.ts says why).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { f32, FlatProgram, i32 } from './flat-program';
import type { LayerActivation } from './fused-layer-ops';
import {
  ACTIVATION_GRADIENT_WGSL,
  ACTIVATION_OUTPUT,
  ACTIVATION_GRADIENT_WORKGROUP_SIZE,
  biasGradientWgsl,
  biasGradientWorkgroupSize,
  UPSTREAM_GRADIENT,
} from './fused-layer.wgsl';
import { registerKernelOnce } from './register-kernel';

export const FUSED_LAYER_CONV_KERNEL = 'FusedLayerConv2D';
export const FUSED_LAYER_DENSE_KERNEL = 'FusedLayerMatMul';
export const ACTIVATION_GRADIENT_KERNEL = 'FusedLayerActivationGrad';
export const BIAS_GRADIENT_KERNEL = 'FusedLayerBiasGrad';

/** dy * (y > 0 ? 1 : alpha), one thread per element. */
class ActivationGradientProgram extends FlatProgram {
  variableNames = [UPSTREAM_GRADIENT, ACTIVATION_OUTPUT];
  uniforms = 'alpha : f32,';

  constructor(length: number) {
    super('fused_layer_activation_gradient', length, length, ACTIVATION_GRADIENT_WORKGROUP_SIZE);
  }

  getUserCode(): string {
    return ACTIVATION_GRADIENT_WGSL;
  }
}

/** Column sums of dy [rows, channels]: one workgroup per channel, 64 or 256 threads by rows. */
class BiasGradientProgram extends FlatProgram {
  variableNames = [UPSTREAM_GRADIENT];
  uniforms = 'rows : i32,';

  constructor(
    channels: number,
    rows: number,
    private readonly threads = biasGradientWorkgroupSize(rows),
  ) {
    // The width is in the WGSL text; tfjs's key has the workgroup size too, the shaderKey says it anyway.
    super(`fused_layer_bias_gradient_${threads}`, channels, channels * threads, threads);
  }

  getUserCode(): string {
    return biasGradientWgsl(this.threads);
  }
}

interface LayerAttrs {
  stride: number;
  activation: LayerActivation;
  alpha: number;
}

const isLayerActivation = (value: unknown): value is LayerActivation =>
  value === 'linear' || value === 'relu' || value === 'leakyrelu';

function readLayerAttrs(attrs: tf.NamedAttrMap | undefined): LayerAttrs {
  const { stride, activation, alpha } = attrs ?? {};
  if (typeof stride !== 'number' || typeof alpha !== 'number') throw new Error('fused layer: bad stride or alpha');
  if (!isLayerActivation(activation)) throw new Error(`fused layer: unsupported activation ${String(activation)}`);
  return { stride, activation, alpha };
}

/** Runs another kernel's webgpu implementation directly (as backend code does), not via the engine. */
function delegate(kernelName: string, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'webgpu');
  if (!kernel) throw new Error(`fused layer: kernel ${kernelName} is not registered for webgpu`);
  return kernel.kernelFunc(args) as tf.TensorInfo;
}

const fusedConvWebGPU: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { stride, activation, alpha } = readLayerAttrs(attrs);
  return delegate(tf.FusedConv2D, {
    inputs: { x: inputs.x, filter: inputs.filter, bias: inputs.bias },
    backend,
    attrs: { strides: stride, pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], activation, leakyreluAlpha: alpha },
  });
};

const fusedDenseWebGPU: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { activation, alpha } = readLayerAttrs(attrs);
  return delegate(tf._FusedMatMul, {
    inputs: { a: inputs.a, b: inputs.b, bias: inputs.bias },
    backend,
    attrs: { transposeA: false, transposeB: false, activation, leakyreluAlpha: alpha },
  });
};

const activationGradientWebGPU: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, y } = inputs;
  const alpha = attrs?.alpha;
  if (!dy || !y || typeof alpha !== 'number') throw new Error(`${ACTIVATION_GRADIENT_KERNEL} needs dy, y, alpha`);
  const length = tf.util.sizeFromShape(dy.shape);
  const out = (backend as WebGPUBackend).runWebGPUProgram(new ActivationGradientProgram(length), [dy, y], 'float32', [
    f32(alpha),
  ]);
  // The program writes a flat buffer; hand it out in dy's shape over the same data (as Reshape does).
  return { dataId: out.dataId, shape: dy.shape, dtype: 'float32' };
};

const biasGradientWebGPU: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy } = inputs;
  if (!dy || dy.shape.length < 1) throw new Error(`${BIAS_GRADIENT_KERNEL} needs dy`);
  const channels = dy.shape[dy.shape.length - 1];
  const rows = tf.util.sizeFromShape(dy.shape) / channels;
  return (backend as WebGPUBackend).runWebGPUProgram(new BiasGradientProgram(channels, rows), [dy], 'float32', [
    i32(rows),
  ]);
};

const run = <T extends tf.Tensor>(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): T =>
  tf.engine().runKernel<T>(kernelName, inputs, attrs);

/** dyAct; dy itself for a linear layer (no dispatch). ReLU is the alpha = 0 case of the same kernel. */
function activationGradient(dy: tf.Tensor, y: tf.Tensor, { activation, alpha }: LayerAttrs): tf.Tensor {
  if (activation === 'linear') return dy;
  return run(ACTIVATION_GRADIENT_KERNEL, { dy, y }, { alpha: activation === 'relu' ? 0 : alpha });
}

const biasGradient = (dyAct: tf.Tensor): tf.Tensor1D => run(BIAS_GRADIENT_KERNEL, { dy: dyAct });

function registerGradients(): void {
  if (tf.getGradient(FUSED_LAYER_CONV_KERNEL) == null) {
    tf.registerGradient({
      kernelName: FUSED_LAYER_CONV_KERNEL,
      inputsToSave: ['x', 'filter'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [x, filter, y] = saved;
        const layer = readLayerAttrs(attrs);
        const dyAct = activationGradient(dy as tf.Tensor, y, layer);
        // What tfjs's Conv2D gradient passes for tf.conv2d(x, w, stride, 'same').
        const conv = { strides: layer.stride, pad: 'same', dataFormat: 'NHWC' };
        return {
          x: () => run(tf.Conv2DBackpropInput, { dy: dyAct, filter }, { ...conv, inputShape: x.shape }),
          filter: () => run(tf.Conv2DBackpropFilter, { x, dy: dyAct }, { ...conv, filterShape: filter.shape }),
          bias: () => biasGradient(dyAct),
        };
      },
    });
  }
  if (tf.getGradient(FUSED_LAYER_DENSE_KERNEL) == null) {
    tf.registerGradient({
      kernelName: FUSED_LAYER_DENSE_KERNEL,
      inputsToSave: ['a', 'b'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [a, b, y] = saved;
        const dyAct = activationGradient(dy as tf.Tensor, y, readLayerAttrs(attrs));
        // BatchMatMul's gradient for transposeA = transposeB = false.
        return {
          a: () => tf.matMul(dyAct, b, false, true),
          b: () => tf.matMul(a, dyAct, true, false),
          bias: () => biasGradient(dyAct),
        };
      },
    });
  }
  // The backward kernels run at gradient depth 0 unless someone nests gradients; then they need these.
  if (tf.getGradient(ACTIVATION_GRADIENT_KERNEL) == null) {
    tf.registerGradient({
      kernelName: ACTIVATION_GRADIENT_KERNEL,
      inputsToSave: ['y'],
      gradFunc: (g, [y], attrs) => ({
        dy: () => run(ACTIVATION_GRADIENT_KERNEL, { dy: g as tf.Tensor, y }, attrs),
        y: () => tf.zerosLike(y), // the mask is piecewise constant in y
      }),
    });
  }
  if (tf.getGradient(BIAS_GRADIENT_KERNEL) == null) {
    tf.registerGradient({
      kernelName: BIAS_GRADIENT_KERNEL,
      inputsToSave: [UPSTREAM_GRADIENT],
      gradFunc: (g, [dy]) => ({ dy: () => tf.broadcastTo(g as tf.Tensor, dy.shape) }),
    });
  }
}

/** Registers the four kernels for 'webgpu' and their gradients; idempotent. */
export function registerFusedLayerKernels(): void {
  registerKernelOnce(FUSED_LAYER_CONV_KERNEL, 'webgpu', fusedConvWebGPU);
  registerKernelOnce(FUSED_LAYER_DENSE_KERNEL, 'webgpu', fusedDenseWebGPU);
  registerKernelOnce(ACTIVATION_GRADIENT_KERNEL, 'webgpu', activationGradientWebGPU);
  registerKernelOnce(BIAS_GRADIENT_KERNEL, 'webgpu', biasGradientWebGPU);
  registerGradients();
}

function requireWebGPU(name: string): void {
  if (tf.getBackend() !== 'webgpu') throw new Error(`${name} needs the webgpu backend, not ${tf.getBackend()}`);
}

function assertBias(bias: tf.Tensor | null, outputs: number, name: string): void {
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outputs)) {
    throw new Error(`${name}: bias [${bias.shape.join(', ')}] does not fit ${outputs} outputs`);
  }
}

/** The fused conv layer; call only while tf.getBackend() === 'webgpu'. */
export function convBiasActivationWebGPU(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  stride: number,
  activation: LayerActivation,
  alpha: number,
): tf.Tensor4D {
  const name = 'convBiasActivationWebGPU';
  requireWebGPU(name);
  if (x.rank !== 4 || w.rank !== 4 || w.shape[2] !== x.shape[3]) {
    throw new Error(`${name}: filter [${w.shape.join(', ')}] does not fit input [${x.shape.join(', ')}]`);
  }
  assertBias(bias, w.shape[3], name);
  registerFusedLayerKernels();
  const inputs: tf.NamedTensorMap = bias ? { x, filter: w, bias } : { x, filter: w };
  return run<tf.Tensor4D>(FUSED_LAYER_CONV_KERNEL, inputs, { stride, activation, alpha });
}

/** The fused dense layer; call only while tf.getBackend() === 'webgpu'. */
export function denseBiasActivationWebGPU(
  a: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  activation: LayerActivation,
  alpha: number,
): tf.Tensor2D {
  const name = 'denseBiasActivationWebGPU';
  requireWebGPU(name);
  if (a.rank !== 2 || w.rank !== 2 || w.shape[0] !== a.shape[1]) {
    throw new Error(`${name}: weight [${w.shape.join(', ')}] does not fit input [${a.shape.join(', ')}]`);
  }
  assertBias(bias, w.shape[1], name);
  registerFusedLayerKernels();
  const inputs: tf.NamedTensorMap = bias ? { a, b: w, bias } : { a, b: w };
  return run<tf.Tensor2D>(FUSED_LAYER_DENSE_KERNEL, inputs, { stride: 1, activation, alpha });
}

/**
 * Parallel cyclic Jacobi sweeps as a WGSL program inside tfjs-backend-webgpu, registered as the tfjs
 * kernel 'SymmetricJacobiSweeps' for 'webgpu' (jacobi-rotation-cpu.ts registers the same name for
 * 'cpu'; webgl uses the tfjs-ops twin). The math and the twin are in jacobi-rotation-ops.ts.
 *
 * One dispatch per round, (n_even - 1) rounds per sweep; intermediates are freed as it goes. No
 * gradient is registered: SR calls it after the optimizer step, never on a gradient tape.
 *
 * Only type imports from the backend package (see power-iteration-webgpu.ts for why).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { assertJacobiState, jacobiRoundsPerSweep, SYMMETRIC_JACOBI_SWEEPS_KERNEL } from './jacobi-rotation-ops';
import { JACOBI_ROUND_WGSL, JACOBI_STATE, JACOBI_WORKGROUP_SIZE } from './jacobi-rotation.wgsl';
import { registerKernelOnce } from './register-kernel';
import { i32 } from './flat-program';

export { SYMMETRIC_JACOBI_SWEEPS_KERNEL };

/** One round: [T; Q] -> [J^T T J; Q J], one thread per entry. */
class JacobiRoundProgram implements WebGPUProgram {
  variableNames = [JACOBI_STATE];
  // Order must match the uniform data passed in the kernel body below.
  uniforms = 'n : i32, round : i32,';
  outputShape: number[];
  shaderKey = 'symmetric_jacobi_round';
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [JACOBI_WORKGROUP_SIZE, 1, 1];
  size = true;

  constructor(n: number) {
    this.outputShape = [2 * n, n];
    this.dispatch = [Math.ceil((2 * n * n) / JACOBI_WORKGROUP_SIZE), 1, 1];
  }

  getUserCode(): string {
    return JACOBI_ROUND_WGSL;
  }
}

function readSweeps(attrs: tf.NamedAttrMap | undefined): number {
  const sweeps = attrs?.sweeps;
  if (typeof sweeps !== 'number' || !Number.isInteger(sweeps) || sweeps < 0) {
    throw new Error(`${SYMMETRIC_JACOBI_SWEEPS_KERNEL} needs a whole number attr sweeps >= 0`);
  }
  return sweeps;
}

const symmetricJacobiSweepsWebGPU: tf.KernelFunc = (args): tf.TensorInfo => {
  const gpu = args.backend as WebGPUBackend;
  const { state } = args.inputs;
  if (state == null) throw new Error(`${SYMMETRIC_JACOBI_SWEEPS_KERNEL} needs input state`);
  const sweeps = readSweeps(args.attrs);
  const n = state.shape[1];
  const rounds = jacobiRoundsPerSweep(n);
  // runKernel's output must be new data, so the no-op case is the caller's (jacobiSweepsWebGPU clones).
  if (sweeps * rounds === 0)
    throw new Error(`${SYMMETRIC_JACOBI_SWEEPS_KERNEL}: nothing to do for n=${n}, sweeps=${sweeps}`);
  // The caller keeps its input: the first round reads it, later rounds read (and free) our own.
  let current: tf.TensorInfo = state;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let round = 0; round < rounds; round++) {
      const next = gpu.runWebGPUProgram(new JacobiRoundProgram(n), [current], 'float32', [i32(n), i32(round)]);
      if (current !== state) gpu.disposeData(current.dataId);
      current = next;
    }
  }
  return current;
};

/** Registers the kernel for 'webgpu'. Idempotent (module re-evaluation under vitest or HMR). */
export function registerSymmetricJacobiKernel(): void {
  registerKernelOnce(SYMMETRIC_JACOBI_SWEEPS_KERNEL, 'webgpu', symmetricJacobiSweepsWebGPU);
}

/** The WGSL path; call only while tf.getBackend() === 'webgpu'. Returns the new state [T'; Q']. */
export function jacobiSweepsWebGPU(state: tf.Tensor2D, sweeps: number): tf.Tensor2D {
  if (tf.getBackend() !== 'webgpu') {
    throw new Error(`jacobiSweepsWebGPU needs the webgpu backend, not ${tf.getBackend()}`);
  }
  const n = assertJacobiState(state);
  if (sweeps === 0 || jacobiRoundsPerSweep(n) === 0) return tf.clone(state);
  registerSymmetricJacobiKernel();
  return tf.engine().runKernel(SYMMETRIC_JACOBI_SWEEPS_KERNEL, { state }, { sweeps }) as tf.Tensor2D;
}

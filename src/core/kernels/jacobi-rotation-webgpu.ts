/**
 * Parallel cyclic Jacobi sweeps as WGSL programs inside tfjs-backend-webgpu, registered as the tfjs
 * kernel 'SymmetricJacobiSweeps' for 'webgpu' (jacobi-rotation-cpu.ts registers the same name for
 * 'cpu'; webgl uses the tfjs-ops twin). The math and the twin are in jacobi-rotation-ops.ts.
 *
 * Two paths, the same rotations bit for bit (jacobi-rotation.wgsl.ts shares their code):
 * - n <= 128: TWO dispatches per call, whatever the sweep count. One workgroup of 256 threads runs
 *   every round of every sweep, ping-ponging between two copies of the state in its output buffer
 *   [4n, n] with barriers between rounds; a flat copy then moves the final copy out to [2n, n].
 *   Dispatches, not arithmetic, dominate at these sizes (n_even - 1 rounds per sweep, a few sweeps,
 *   dozens of layers: thousands of dispatches per SR call on the per-round path).
 * - n > 128 (or `perRound`): one dispatch per round, (n_even - 1) rounds per sweep, one thread per
 *   entry; intermediates are freed as it goes.
 * No gradient is registered: SR calls it after the optimizer step, never on a gradient tape.
 *
 * Only type imports from the backend package (see power-iteration-webgpu.ts for why).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { assertJacobiState, jacobiRoundsPerSweep, SYMMETRIC_JACOBI_SWEEPS_KERNEL } from './jacobi-rotation-ops';
import {
  JACOBI_COPY_WGSL,
  JACOBI_ONE_WORKGROUP_MAX_N,
  JACOBI_ROUND_WGSL,
  JACOBI_STATE,
  JACOBI_SWEEPS_WGSL,
  JACOBI_SWEEPS_WORKGROUP_SIZE,
  JACOBI_WORKGROUP_SIZE,
} from './jacobi-rotation.wgsl';
import { registerKernelOnce } from './register-kernel';
import { i32 } from './flat-program';

export { JACOBI_ONE_WORKGROUP_MAX_N, SYMMETRIC_JACOBI_SWEEPS_KERNEL };

type Triple = [number, number, number];

/** One round: [T; Q] -> [J^T T J; Q J], one thread per entry. */
class JacobiRoundProgram implements WebGPUProgram {
  variableNames = [JACOBI_STATE];
  // Order must match the uniform data passed in the kernel body below.
  uniforms = 'n : i32, round : i32,';
  outputShape: number[];
  shaderKey = 'symmetric_jacobi_round';
  dispatchLayout = { x: [0, 1] };
  dispatch: Triple;
  workgroupSize: Triple = [JACOBI_WORKGROUP_SIZE, 1, 1];
  size = true;

  constructor(n: number) {
    this.outputShape = [2 * n, n];
    this.dispatch = [Math.ceil((2 * n * n) / JACOBI_WORKGROUP_SIZE), 1, 1];
  }

  getUserCode(): string {
    return JACOBI_ROUND_WGSL;
  }
}

/** Every round of every sweep in one workgroup: [2n, n] -> [copy 0; copy 1] = [4n, n], result in copy 0. */
class JacobiSweepsProgram implements WebGPUProgram {
  variableNames = [JACOBI_STATE];
  // Order must match the uniform data passed in the kernel body below.
  uniforms = 'n : i32, roundsPerSweep : i32, totalRounds : i32,';
  outputShape: number[];
  shaderKey = 'symmetric_jacobi_sweeps_one_workgroup';
  dispatchLayout = { x: [0, 1] };
  dispatch: Triple = [1, 1, 1];
  workgroupSize: Triple = [JACOBI_SWEEPS_WORKGROUP_SIZE, 1, 1];
  size = false;

  constructor(n: number) {
    this.outputShape = [4 * n, n];
  }

  getUserCode(): string {
    return JACOBI_SWEEPS_WGSL;
  }
}

/** The first [2n, n] rows of the sweeps program's output (a flat copy). */
class JacobiCopyOutProgram implements WebGPUProgram {
  variableNames = [JACOBI_STATE];
  uniforms = '';
  outputShape: number[];
  shaderKey = 'symmetric_jacobi_copy_out';
  dispatchLayout = { x: [0, 1] };
  dispatch: Triple;
  workgroupSize: Triple = [JACOBI_SWEEPS_WORKGROUP_SIZE, 1, 1];
  size = true;

  constructor(n: number) {
    this.outputShape = [2 * n, n];
    this.dispatch = [Math.ceil((2 * n * n) / JACOBI_SWEEPS_WORKGROUP_SIZE), 1, 1];
  }

  getUserCode(): string {
    return JACOBI_COPY_WGSL;
  }
}

function readAttrs(attrs: tf.NamedAttrMap | undefined): { sweeps: number; perRound: boolean } {
  const sweeps = attrs?.sweeps;
  if (typeof sweeps !== 'number' || !Number.isInteger(sweeps) || sweeps < 0) {
    throw new Error(`${SYMMETRIC_JACOBI_SWEEPS_KERNEL} needs a whole number attr sweeps >= 0`);
  }
  return { sweeps, perRound: attrs?.perRound === true };
}

/** The per-round path: the caller keeps `state`; the first round reads it, later rounds read (and free) ours. */
function sweepsPerRound(gpu: WebGPUBackend, state: tf.TensorInfo, n: number, sweeps: number): tf.TensorInfo {
  let current = state;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let round = 0; round < jacobiRoundsPerSweep(n); round++) {
      const next = gpu.runWebGPUProgram(new JacobiRoundProgram(n), [current], 'float32', [i32(n), i32(round)]);
      if (current !== state) gpu.disposeData(current.dataId);
      current = next;
    }
  }
  return current;
}

/** The one-workgroup path (n <= JACOBI_ONE_WORKGROUP_MAX_N): two dispatches in all. */
function sweepsOneWorkgroup(gpu: WebGPUBackend, state: tf.TensorInfo, n: number, sweeps: number): tf.TensorInfo {
  const rounds = jacobiRoundsPerSweep(n);
  const uniforms = [i32(n), i32(rounds), i32(sweeps * rounds)];
  const pingPong = gpu.runWebGPUProgram(new JacobiSweepsProgram(n), [state], 'float32', uniforms);
  const out = gpu.runWebGPUProgram(new JacobiCopyOutProgram(n), [pingPong], 'float32');
  gpu.disposeData(pingPong.dataId);
  return out;
}

const symmetricJacobiSweepsWebGPU: tf.KernelFunc = (args): tf.TensorInfo => {
  const gpu = args.backend as WebGPUBackend;
  const { state } = args.inputs;
  if (state == null) throw new Error(`${SYMMETRIC_JACOBI_SWEEPS_KERNEL} needs input state`);
  const { sweeps, perRound } = readAttrs(args.attrs);
  const n = state.shape[1];
  // runKernel's output must be new data, so the no-op case is the caller's (jacobiSweepsWebGPU clones).
  if (sweeps * jacobiRoundsPerSweep(n) === 0)
    throw new Error(`${SYMMETRIC_JACOBI_SWEEPS_KERNEL}: nothing to do for n=${n}, sweeps=${sweeps}`);
  return perRound || n > JACOBI_ONE_WORKGROUP_MAX_N
    ? sweepsPerRound(gpu, state, n, sweeps)
    : sweepsOneWorkgroup(gpu, state, n, sweeps);
};

/** Registers the kernel for 'webgpu'. Idempotent (module re-evaluation under vitest or HMR). */
export function registerSymmetricJacobiKernel(): void {
  registerKernelOnce(SYMMETRIC_JACOBI_SWEEPS_KERNEL, 'webgpu', symmetricJacobiSweepsWebGPU);
}

export interface JacobiWebGPUOptions {
  /** One dispatch per round even for n <= 128 (the old path; for tests and benchmarks). */
  perRound?: boolean;
}

/** The WGSL path; call only while tf.getBackend() === 'webgpu'. Returns the new state [T'; Q']. */
export function jacobiSweepsWebGPU(state: tf.Tensor2D, sweeps: number, options: JacobiWebGPUOptions = {}): tf.Tensor2D {
  if (tf.getBackend() !== 'webgpu') {
    throw new Error(`jacobiSweepsWebGPU needs the webgpu backend, not ${tf.getBackend()}`);
  }
  const n = assertJacobiState(state);
  if (sweeps === 0 || jacobiRoundsPerSweep(n) === 0) return tf.clone(state);
  registerSymmetricJacobiKernel();
  const attrs = { sweeps, perRound: options.perRound === true };
  return tf.engine().runKernel(SYMMETRIC_JACOBI_SWEEPS_KERNEL, { state }, attrs) as tf.Tensor2D;
}

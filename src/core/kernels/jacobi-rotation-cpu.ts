/**
 * The 'SymmetricJacobiSweeps' kernel for tfjs's 'cpu' backend: the same rounds as the WGSL kernel
 * (jacobi-rotation.wgsl.ts, math in jacobi-rotation-ops.ts), in plain loops over float32 arrays.
 *
 * Why a third implementation: on the cpu backend the tfjs-ops twin pays ~50 op dispatches per
 * round, which made one SR pass on a 128 x 128 Gram take about 8 s; these loops do the same work
 * directly (the cpu backend reads its data synchronously, at no cost). Tested against the twin.
 */
import * as tf from '@tensorflow/tfjs';
import {
  JACOBI_LARGE_TAU,
  jacobiPartners,
  jacobiRoundsPerSweep,
  SYMMETRIC_JACOBI_SWEEPS_KERNEL,
} from './jacobi-rotation-ops';
import { registerKernelOnce } from './register-kernel';

const f32 = Math.fround;

/** One round from `from` into `to` (both [T; Q], row-major [2n, n]). */
function round(from: Float32Array, to: Float32Array, n: number, roundIndex: number): void {
  const partner = jacobiPartners(roundIndex, n);
  const c = new Float32Array(n);
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = partner[i];
    if (p >= n) {
      partner[i] = i;
      c[i] = 1;
      continue;
    }
    const [low, high] = i < p ? [i, p] : [p, i];
    const offDiagonal = from[low * n + high];
    // Every step rounded to float32 as the WGSL kernel and the twin compute it.
    let t = 0;
    if (offDiagonal !== 0) {
      const tau = f32(f32(from[high * n + high] - from[low * n + low]) / f32(2 * offDiagonal));
      t =
        Math.abs(tau) > JACOBI_LARGE_TAU
          ? f32(0.5 / tau)
          : f32((tau >= 0 ? 1 : -1) / f32(Math.abs(tau) + f32(Math.sqrt(f32(1 + f32(tau * tau))))));
    }
    c[i] = f32(1 / f32(Math.sqrt(f32(1 + f32(t * t)))));
    g[i] = (i > p ? 1 : -1) * f32(t * c[i]);
  }
  for (let row = 0; row < n; row++) {
    const pr = partner[row];
    for (let col = 0; col < n; col++) {
      const pc = partner[col];
      const inner = f32(f32(c[col] * from[row * n + col]) + f32(g[col] * from[row * n + pc]));
      const innerPartner = f32(f32(c[col] * from[pr * n + col]) + f32(g[col] * from[pr * n + pc]));
      to[row * n + col] = f32(c[row] * inner) + f32(g[row] * innerPartner);
    }
  }
  for (let row = n; row < 2 * n; row++) {
    for (let col = 0; col < n; col++) {
      to[row * n + col] = f32(c[col] * from[row * n + col]) + f32(g[col] * from[row * n + partner[col]]);
    }
  }
}

const symmetricJacobiSweepsCpu: tf.KernelFunc = ({ inputs, backend, attrs }): tf.TensorInfo => {
  const cpu = backend as tf.KernelBackend;
  const { state } = inputs;
  const sweeps = attrs?.sweeps;
  if (state == null || typeof sweeps !== 'number')
    throw new Error(`${SYMMETRIC_JACOBI_SWEEPS_KERNEL} needs state and sweeps`);
  const n = state.shape[1];
  let from = Float32Array.from(cpu.readSync(state.dataId) as Float32Array);
  let to = new Float32Array(from.length);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let r = 0; r < jacobiRoundsPerSweep(n); r++) {
      round(from, to, n, r);
      [from, to] = [to, from];
    }
  }
  return { dataId: cpu.write(from, state.shape, 'float32'), shape: state.shape, dtype: 'float32' };
};

/** Registers the kernel for 'cpu'. Idempotent (module re-evaluation under vitest or HMR). */
export function registerSymmetricJacobiCpuKernel(): void {
  registerKernelOnce(SYMMETRIC_JACOBI_SWEEPS_KERNEL, 'cpu', symmetricJacobiSweepsCpu);
}

/** The loop path; call only while tf.getBackend() === 'cpu'. Returns the new state [T'; Q']. */
export function jacobiSweepsCpu(state: tf.Tensor2D, sweeps: number): tf.Tensor2D {
  if (tf.getBackend() !== 'cpu') throw new Error(`jacobiSweepsCpu needs the cpu backend, not ${tf.getBackend()}`);
  if (sweeps === 0 || jacobiRoundsPerSweep(state.shape[1]) === 0) return tf.clone(state);
  registerSymmetricJacobiCpuKernel();
  return tf.engine().runKernel(SYMMETRIC_JACOBI_SWEEPS_KERNEL, { state }, { sweeps }) as tf.Tensor2D;
}

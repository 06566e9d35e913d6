// Counts GPU compute dispatches at the WebGPU API and the tfjs kernel calls that issue them, for the
// `dispatches` benchmark (`npm run bench:dispatches`) and its GPU test.
//
// Two patches, both undone by uninstall():
// - GPUComputePassEncoder.prototype.dispatchWorkgroups (the `webgpu` package's class in Node, the
//   browser's own elsewhere), reached from a pass encoder made on the backend's device, so it is the
//   class the backend really records into, whichever global it is exported as (or none).
// - tf.engine().runKernelFunc, through which every registered kernel runs: ops, gradients (backprop
//   runs ops), optimizers and this project's own kernels (SpectralPowerIteration, BssnPowerIteration,
//   SymmetricJacobiSweeps, ...), including those registered lazily after install. It keeps a stack of
//   kernel names, so a dispatch goes to the innermost kernel running; customGrad invocations (no
//   kernel name) push nothing, their ops count as themselves. A kernel's direct calls of another
//   kernel's function (backend code) never reach the engine and count as the calling kernel's.
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export interface KernelTally {
  /** Engine calls of the kernel (one per runKernel, nested ones included). */
  calls: number;
  /** dispatchWorkgroups calls made while it was the innermost kernel running. */
  dispatches: number;
}

export interface DispatchCount {
  dispatches: number;
  kernelCalls: number;
  byKernel: Record<string, KernelTally>;
}

/** Where a dispatch made while no kernel runs (backend housekeeping, other WebGPU users) is counted. */
export const OUTSIDE_KERNELS = '(outside kernels)';

const DISPATCH = 'dispatchWorkgroups';

interface KernelInvocation {
  kernelName?: unknown;
}
type RunKernelFunc = (this: unknown, params: KernelInvocation) => unknown;
interface EngineInternals {
  runKernelFunc: RunKernelFunc;
}

export function emptyCount(): DispatchCount {
  return { dispatches: 0, kernelCalls: 0, byKernel: {} };
}

function tallyOf(count: DispatchCount, kernel: string): KernelTally {
  const existing = count.byKernel[kernel];
  if (existing) return existing;
  const created = { calls: 0, dispatches: 0 };
  count.byKernel[kernel] = created;
  return created;
}

/**
 * The object on the prototype chain of a real compute pass encoder that owns dispatchWorkgroups.
 * The probe pass is ended and its encoder finished, never submitted: it records nothing.
 */
export function computePassPrototype(device: GPUDevice): object {
  const encoder = device.createCommandEncoder({ label: 'dispatch-count probe' });
  const pass = encoder.beginComputePass();
  try {
    if (Object.prototype.hasOwnProperty.call(pass, DISPATCH)) {
      throw new Error(`${DISPATCH} is an own property of each pass encoder here: no prototype to count on`);
    }
    let owner: object | null = Object.getPrototypeOf(pass) as object | null;
    while (owner && !Object.prototype.hasOwnProperty.call(owner, DISPATCH)) {
      owner = Object.getPrototypeOf(owner) as object | null;
    }
    if (!owner) throw new Error(`no ${DISPATCH} on the prototype chain of GPUComputePassEncoder`);
    return owner;
  } finally {
    pass.end();
    encoder.finish();
  }
}

/** The device the active webgpu backend records into; throws on any other backend. */
function backendDevice(): GPUDevice {
  if (tf.getBackend() !== 'webgpu') {
    throw new Error(`counting dispatches needs the webgpu backend, not ${tf.getBackend()}`);
  }
  return (tf.backend() as WebGPUBackend).device;
}

let installed: DispatchCounter | null = null;

/** An installed counter: measure() as often as wanted, then uninstall(). One at a time per process. */
export class DispatchCounter {
  private current: DispatchCount | null = null;
  private readonly kernelStack: string[] = [];
  private restorers: Array<() => void> = [];

  private constructor() {}

  /** Patches the pass encoder prototype and the engine; throws unless the webgpu backend is active. */
  static install(): DispatchCounter {
    if (installed) throw new Error('a DispatchCounter is already installed: uninstall it first');
    const counter = new DispatchCounter();
    const prototype = computePassPrototype(backendDevice());
    counter.patchDispatch(prototype);
    try {
      counter.patchEngine();
    } catch (error) {
      counter.uninstall();
      throw error;
    }
    installed = counter;
    return counter;
  }

  get isInstalled(): boolean {
    return installed === this;
  }

  /**
   * Counts what `work` issues until its promise settles. Runs nothing else meanwhile: counting is
   * process-wide, so other GPU work running concurrently would be counted too.
   */
  async measure(work: () => unknown): Promise<DispatchCount> {
    if (!this.isInstalled) throw new Error('the DispatchCounter was uninstalled');
    if (this.current) throw new Error('DispatchCounter.measure does not nest');
    const count = emptyCount();
    this.current = count;
    try {
      await work();
    } finally {
      this.current = null;
    }
    return count;
  }

  /** Restores the prototype and the engine exactly as found. Idempotent. */
  uninstall(): void {
    const restorers = this.restorers;
    this.restorers = [];
    for (const restore of restorers.reverse()) restore();
    if (installed === this) installed = null;
  }

  private patchDispatch(prototype: object): void {
    const original = Object.getOwnPropertyDescriptor(prototype, DISPATCH);
    const value: unknown = original?.value;
    if (!original || typeof value !== 'function') throw new Error(`${DISPATCH} is not a plain method`);
    const dispatch = value as (this: unknown, ...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper's `this` is the encoder
    const counter = this;
    function countedDispatch(this: unknown, ...args: unknown[]): unknown {
      counter.onDispatch();
      return dispatch.apply(this, args);
    }
    Object.defineProperty(prototype, DISPATCH, { ...original, value: countedDispatch });
    this.restorers.push(() => Object.defineProperty(prototype, DISPATCH, original));
  }

  private patchEngine(): void {
    const engine = tf.engine() as unknown as EngineInternals;
    const hadOwn = Object.prototype.hasOwnProperty.call(engine, 'runKernelFunc');
    const original = engine.runKernelFunc;
    if (typeof original !== 'function') throw new Error('tf.engine() has no runKernelFunc: tfjs changed');
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper's `this` is the engine
    const counter = this;
    engine.runKernelFunc = function countedRunKernelFunc(this: unknown, params: KernelInvocation): unknown {
      const name = typeof params?.kernelName === 'string' ? params.kernelName : undefined;
      if (name === undefined) return original.call(this, params);
      counter.onKernelCall(name);
      counter.kernelStack.push(name);
      try {
        return original.call(this, params);
      } finally {
        counter.kernelStack.pop();
      }
    };
    this.restorers.push(() => {
      if (hadOwn) engine.runKernelFunc = original;
      else Reflect.deleteProperty(engine, 'runKernelFunc');
    });
  }

  private onDispatch(): void {
    const count = this.current;
    if (!count) return;
    count.dispatches++;
    tallyOf(count, this.kernelStack[this.kernelStack.length - 1] ?? OUTSIDE_KERNELS).dispatches++;
  }

  private onKernelCall(name: string): void {
    const count = this.current;
    if (!count) return;
    count.kernelCalls++;
    tallyOf(count, name).calls++;
  }
}

/** Installs a counter, counts `work`, uninstalls (also when `work` throws). */
export async function countDispatches(work: () => unknown): Promise<DispatchCount> {
  const counter = DispatchCounter.install();
  try {
    return await counter.measure(work);
  } finally {
    counter.uninstall();
  }
}

// Where the GPU time of some work goes, per tfjs kernel: `tf.profile` around the work, its per-kernel
// entries summed by kernel name. For `npm run bench:dispatches -- --profile` and its GPU test.
//
// What tf.profile reports (tfjs 4.22, checked in engine.js, profiler.js and backend_webgpu.js):
// - one entry per engine kernel call, nested calls included: the kernels that gradients run, and
//   those that this project's kernels (FusedAdamStep, SpectralPowerIteration, BatchNormReluForward,
//   FusedLayerConv2D, ...) or ops run inside another kernel, each under its own name. A customGrad
//   invocation is an entry too, named after the scope it runs in (not a registered kernel): `scope`.
// - kernelTimeMs: on webgpu with 'timestamp-query', the sum of the timestamped durations of the
//   programs the call recorded through runWebGPUProgram itself; the programs of nested kernel calls
//   go to those calls (the backend keeps a timer per call and drops nested ones from the outer sum),
//   so the per-kernel times add up without double counting. A call that recorded no program
//   (Reshape, a CPU-forwarded op) reports 0 with no program in extraInfo: no GPU time, not 0 ms.
//   Dispatches recorded outside runWebGPUProgram (FusedAdamStep's own pipelines) are never timed.
//   Without timestamps kernelTimeMs is an {error} object, 0 per program, or undefined: no GPU time.
// Profiling ends the compute pass and submits after every timed dispatch, then waits for each
// timestamp: it serializes the GPU, so a profiled iteration's wall time is no iteration time.
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export interface KernelTime {
  /** Calls of the kernel in the profiled work (nested calls included). */
  calls: number;
  /** Summed GPU ms of its timed programs; undefined when none of its calls had one. */
  gpuMs?: number;
  /** Programs that carried a timestamp (one dispatch each). */
  timedPrograms: number;
  /** Not a registered kernel: a customGrad invocation, named after its scope. */
  scope?: true;
}

export interface KernelProfile {
  byKernel: Record<string, KernelTime>;
  /** All kernels' GPU ms summed. */
  gpuMs: number;
  /** Wall ms of the work itself (profiled: serialized), not counting the timestamps' read-back after it. */
  wallMs: number;
  /** Whether the backend timed programs with GPU timestamps (webgpu with 'timestamp-query'). */
  timestamps: boolean;
}

/** The fields of a tf.profile kernel entry that the sum reads. */
export interface ProfiledKernelEntry {
  name: string;
  kernelTimeMs?: unknown;
  extraInfo?: unknown;
}

/** How many timed programs tfjs's webgpu extraInfo lists ("ProgramName: ms, ProgramName: ms"). */
export function timedProgramCount(extraInfo: unknown): number {
  if (typeof extraInfo !== 'string' || extraInfo.trim() === '') return 0;
  return extraInfo.split(', ').length;
}

/**
 * The entries summed by name. An entry's time counts when the backend has timestamps, the time is a
 * finite number and the entry lists a timed program; anything else is no GPU time.
 */
export function sumKernelEntries(
  entries: readonly ProfiledKernelEntry[],
  options: { timestamps: boolean; isKernel?: (name: string) => boolean },
): Pick<KernelProfile, 'byKernel' | 'gpuMs'> {
  const byKernel: Record<string, KernelTime> = {};
  let gpuMs = 0;
  for (const entry of entries) {
    const into = (byKernel[entry.name] ??= { calls: 0, timedPrograms: 0 });
    if (options.isKernel && !options.isKernel(entry.name)) into.scope = true;
    into.calls++;
    const programs = timedProgramCount(entry.extraInfo);
    const ms = entry.kernelTimeMs;
    if (!options.timestamps || programs === 0 || typeof ms !== 'number' || !Number.isFinite(ms)) continue;
    into.timedPrograms += programs;
    into.gpuMs = (into.gpuMs ?? 0) + ms;
    gpuMs += ms;
  }
  return { byKernel, gpuMs };
}

/** Whether the active backend times programs with GPU timestamps. */
export function backendHasTimestamps(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  const device = (tf.backend() as WebGPUBackend).device;
  return device.features.has('timestamp-query');
}

/**
 * Profiles `fn` (which should await its GPU results, as a trainer's flush does) and sums its
 * kernels' GPU times by kernel name. Runs nothing else meanwhile: profiling is engine-wide.
 */
export async function profileKernels(fn: () => unknown): Promise<KernelProfile> {
  const timestamps = backendHasTimestamps();
  const backendName = tf.getBackend();
  let wallMs = 0;
  const info = await tf.profile(async () => {
    const started = performance.now();
    await fn();
    wallMs = performance.now() - started;
    return undefined as unknown as tf.TensorContainer;
  });
  const entries = info.kernels as unknown as ProfiledKernelEntry[];
  const isKernel = (name: string) => tf.getKernel(name, backendName) !== undefined;
  return { ...sumKernelEntries(entries, { timestamps, isKernel }), wallMs, timestamps };
}

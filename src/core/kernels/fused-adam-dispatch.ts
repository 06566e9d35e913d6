/**
 * Recording a compute dispatch of our own pipeline into tfjs-backend-webgpu's command stream.
 *
 * Why not runWebGPUProgram: it gives a program exactly one writable binding (its output), and the
 * fused Adam step writes three buffers (variable, first and second moment). So the kernels here
 * compile their own WGSL into a GPUComputePipeline and record it the way the backend's
 * recordAndSubmit does (backend_webgpu.js, tfjs 4.22): same command encoder, same compute pass, same
 * deferred-submit batching, same bookkeeping of which data ids the queued commands still read.
 *
 * That needs members that tfjs 4.22 declares private. They are named, typed narrowly and checked
 * once at run time in `webgpuInternals`, so a tfjs upgrade that changes them fails loudly here
 * instead of corrupting buffers. Only type imports from the backend package (power-iteration-webgpu.ts
 * says why).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

type DataId = tf.TensorInfo['dataId'];

/** Uniform data in the backend's makeUniforms format: one entry per WGSL struct field, in order. */
export type UniformData = Array<{ type: 'float32' | 'int32' | 'uint32'; data: number[] }>;

/**
 * The private WebGPUBackend members this file uses, and why:
 * - commandEncoder / computePassEncoder: the open encoder and pass that tfjs's own programs record
 *   into; ours must go into the same ones, in order, or they would run out of order with them.
 * - ensureCommandEncoderReady / endComputePassEncoder / submitQueue: open, close, submit as
 *   recordAndSubmit does.
 * - dispatchCountInPass: recordAndSubmit submits every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE dispatches;
 *   ours count toward that batch too.
 * - commandQueueOwnedIds: disposeData defers freeing the buffer of a data id in this set until the
 *   queue is submitted. Without it, an input (say the variable's old value, released by assign) could
 *   go back to the buffer pool and be overwritten before our recorded dispatch has read it.
 * - activeTimers: non-null inside tf.time / tf.profile, where recordAndSubmit ends the pass after each
 *   dispatch; ours are not timed, but end their pass the same way.
 * - makeUniforms: writes a uniform buffer and frees it after the next submit.
 * - tensorToBinding: the GPUBuffer behind a data id, as a binding.
 */
interface WebGPUBackendInternals {
  device: GPUDevice;
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  dispatchCountInPass: number;
  commandQueueOwnedIds: WeakSet<DataId>;
  activeTimers: unknown[] | null | undefined;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  makeUniforms(uniforms: UniformData): GPUBufferBinding;
  tensorToBinding(tensor: tf.TensorInfo): GPUBindingResource | null;
}

const REQUIRED_METHODS = [
  'ensureCommandEncoderReady',
  'endComputePassEncoder',
  'submitQueue',
  'makeUniforms',
  'tensorToBinding',
  'uploadToGPU',
  'makeTensorInfo',
] as const;

const checkedBackends = new WeakSet<WebGPUBackend>();

/** The backend's private members (see above), after checking once that tfjs still has them. */
export function webgpuInternals(backend: WebGPUBackend): WebGPUBackendInternals {
  const internals = backend as unknown as WebGPUBackendInternals & Record<string, unknown>;
  if (!checkedBackends.has(backend)) {
    const missing: string[] = REQUIRED_METHODS.filter((name) => typeof internals[name] !== 'function');
    if (typeof internals.dispatchCountInPass !== 'number') missing.push('dispatchCountInPass');
    if (!(internals.commandQueueOwnedIds instanceof WeakSet)) missing.push('commandQueueOwnedIds');
    if (!('computePassEncoder' in internals) || !('commandEncoder' in internals)) {
      missing.push('commandEncoder/computePassEncoder');
    }
    if (missing.length > 0) {
      throw new Error(
        `fused Adam: this tfjs-backend-webgpu lacks ${missing.join(', ')} (written against 4.22); ` +
          'use tf.train.adam instead',
      );
    }
    checkedBackends.add(backend);
  }
  return internals;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** One pipeline per device and key, compiled on first use (synchronously, as tfjs does by default). */
export function pipelineFor(device: GPUDevice, key: string, wgsl: string): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) {
    cache = new Map();
    pipelines.set(device, cache);
  }
  let pipeline = cache.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ label: key, code: wgsl });
    pipeline = device.createComputePipeline({ label: key, layout: 'auto', compute: { module, entryPoint: 'main' } });
    cache.set(key, pipeline);
  }
  return pipeline;
}

/**
 * Workgroup counts [x, y] for `workgroups` workgroups: all along x when they fit in
 * `maxPerDimension`, otherwise rows of `maxPerDimension` (the shader skips the overhang).
 */
export function dispatchShape(workgroups: number, maxPerDimension: number): [number, number] {
  if (workgroups <= maxPerDimension) return [Math.max(workgroups, 1), 1];
  const y = Math.ceil(workgroups / maxPerDimension);
  if (y > maxPerDimension) throw new Error(`fused Adam: ${workgroups} workgroups do not fit a 2-D dispatch`);
  return [maxPerDimension, y];
}

/** A data id's buffer as a binding; throws for data that is not in a GPUBuffer (textures). */
export function bufferBinding(backend: WebGPUBackend, tensor: tf.TensorInfo): GPUBufferBinding {
  const binding = webgpuInternals(backend).tensorToBinding(tensor);
  if (binding == null || typeof binding !== 'object' || !('buffer' in binding)) {
    throw new Error('fused Adam: every input must live in a GPU buffer');
  }
  return binding;
}

export interface RecordedDispatch {
  pipeline: GPUComputePipeline;
  /** Binding i of group 0, in the WGSL's order. */
  resources: GPUBindingResource[];
  workgroups: [number, number];
  /** Every data id the dispatch reads or writes: their buffers stay alive until the queue is submitted. */
  dataIds: DataId[];
}

/** Records one dispatch into the backend's current compute pass (recordAndSubmit, without timers). */
export function recordDispatch(backend: WebGPUBackend, dispatch: RecordedDispatch): void {
  // Compile-only mode (compile-ahead.ts) records no work, as runWebGPUProgram does in it.
  if (tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY')) return;
  const gpu = webgpuInternals(backend);
  const bindGroup = gpu.device.createBindGroup({
    layout: dispatch.pipeline.getBindGroupLayout(0),
    entries: dispatch.resources.map((resource, binding) => ({ binding, resource })),
  });
  for (const dataId of dispatch.dataIds) gpu.commandQueueOwnedIds.add(dataId);
  gpu.ensureCommandEncoderReady();
  if (!gpu.computePassEncoder) {
    const encoder = gpu.commandEncoder;
    if (!encoder) throw new Error('fused Adam: no command encoder after ensureCommandEncoderReady');
    gpu.computePassEncoder = encoder.beginComputePass({});
  }
  const pass = gpu.computePassEncoder;
  pass.setPipeline(dispatch.pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(dispatch.workgroups[0], dispatch.workgroups[1], 1);
  gpu.dispatchCountInPass++;
  const timed = gpu.activeTimers != null;
  const batchSize = Number(tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'));
  if (timed || batchSize <= gpu.dispatchCountInPass) {
    gpu.endComputePassEncoder();
    // Under timers recordAndSubmit leaves the submit to its timer query; so do we.
    if (!timed) gpu.submitQueue();
  }
}

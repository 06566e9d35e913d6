// When the GPU has done what a training step queued. tfjs on webgpu returns from an iteration as
// soon as its commands are recorded, and the loop queues the next ones; on software WebGPU the GPU
// can be several iterations behind, so a counter of iterations queued runs ahead of every chart.
// The device queue says when submitted work is done, without reading anything back.
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-webgpu 4.22's backend used here (public methods, untyped in tfjs's d.ts). */
interface SubmittingBackend {
  device: GPUDevice;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/**
 * A promise resolved when the work queued so far has run on the GPU, or null on backends whose
 * iterations are done when they return (cpu) or that offer no such signal cheaply (webgl).
 */
export function whenQueuedWorkDone(): Promise<void> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as SubmittingBackend;
  // Recorded commands wait for a batch to fill up; send them now, as tfjs's own reads do.
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
  return backend.device.queue.onSubmittedWorkDone();
}

// Both GPU workers (training, proxy) watch their own WebGPU device: a lost device (driver reset, out
// of memory, a tab in the background too long) ends that worker's use of the GPU, and the page must
// be told in words, not left with a silent stall.
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/**
 * Calls onLost with the browser's reason once the current webgpu backend's device is lost (not when we destroyed it).
 */
export function watchDeviceLoss(onLost: (reason: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as WebGPUBackend).device;
  void device.lost.then((info) => {
    if (info.reason === 'destroyed') return; // we destroyed it ourselves
    onLost(info.message || info.reason);
  });
}

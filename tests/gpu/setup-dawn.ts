/**
 * Setup of the `gpu` vitest project: tfjs on WebGPU through Dawn (the `webgpu` npm package) on a
 * software Vulkan driver (SwiftShader by default; GPU_ICD=lavapipe|swiftshader|system|<manifest path>
 * chooses, an explicit VK_ICD_FILENAMES wins). See src/core/kernels/node-webgpu.ts.
 *
 * Fails loudly instead of falling back: a GPU test that silently ran on cpu would prove nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { initNodeWebGPU } from '../../src/core/kernels/node-webgpu';

const active = await initNodeWebGPU();
if (!active || tf.getBackend() !== 'webgpu') {
  throw new Error(
    `GPU tests need the tfjs webgpu backend, but it did not start (backend now: ${tf.getBackend()}; ` +
      `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? '(unset)'}, ` +
      `XDG_RUNTIME_DIR=${process.env.XDG_RUNTIME_DIR ?? '(unset)'}). ` +
      'Install Chromium (for its SwiftShader Vulkan driver) or set GPU_ICD / VK_ICD_FILENAMES.',
  );
}

// Idempotent tfjs kernel registration shared by the custom kernels: module re-evaluation (vitest,
// Vite HMR) would otherwise register twice and make tfjs warn.
import * as tf from '@tensorflow/tfjs';

type KernelFunc = Parameters<typeof tf.registerKernel>[0]['kernelFunc'];

export function registerKernelOnce(kernelName: string, backendName: string, kernelFunc: KernelFunc): void {
  if (tf.getKernel(kernelName, backendName) == null) tf.registerKernel({ kernelName, backendName, kernelFunc });
}

/**
 * A zero gradient for every input: the power iterations' outputs are constants of a normalization
 * (its differentiable part is written elsewhere), but a kernel that can land on a gradient tape needs
 * a registered gradient or backprop throws.
 */
export function registerZeroGradientOnce(kernelName: string, inputNames: readonly string[]): void {
  if (tf.getGradient(kernelName) != null) return;
  tf.registerGradient({
    kernelName,
    inputsToSave: [...inputNames],
    gradFunc: (_dy, saved) => Object.fromEntries(inputNames.map((name, i) => [name, () => tf.zerosLike(saved[i])])),
  });
}

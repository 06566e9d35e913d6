/**
 * Fused Adam, the public entry points: the WGSL kernels on webgpu, the tfjs-ops twin on webgl and
 * cpu. The optimizer built on them is src/core/train/fused-adam-optimizer.ts.
 */
import * as tf from '@tensorflow/tfjs';
import {
  accBetaStepOps,
  fusedAdamStepOps,
  type AccBetaStepResult,
  type AdamHyperparameters,
  type FusedAdamStepInputs,
  type FusedAdamStepResult,
} from './fused-adam-ops';
import { accBetaStepWebGPU, fusedAdamStepWebGPU } from './fused-adam-webgpu';

export {
  accBetaStepOps,
  fusedAdamStepOps,
  FUSED_ADAM_ACC_BETA_KERNEL,
  FUSED_ADAM_STEP_KERNEL,
  type AccBetaStepResult,
  type AdamHyperparameters,
  type FusedAdamStepInputs,
  type FusedAdamStepResult,
} from './fused-adam-ops';

/**
 * One variable's Adam step: new value, m and v as new tensors (the caller assigns them to its
 * variables and disposes them, or runs this inside tf.tidy). One dispatch on webgpu.
 */
export function fusedAdamStep(inputs: FusedAdamStepInputs, hyper: AdamHyperparameters): FusedAdamStepResult {
  return tf.getBackend() === 'webgpu' ? fusedAdamStepWebGPU(inputs, hyper) : fusedAdamStepOps(inputs, hyper);
}

/**
 * Once per optimizer step, before the variables: [1 - accBeta1, 1 - accBeta2] for this step, and
 * accBeta * beta to assign after it. One dispatch on webgpu.
 */
export function accBetaStep(accBeta1: tf.Scalar, accBeta2: tf.Scalar, beta1: number, beta2: number): AccBetaStepResult {
  return tf.getBackend() === 'webgpu'
    ? accBetaStepWebGPU(accBeta1, accBeta2, beta1, beta2)
    : accBetaStepOps(accBeta1, accBeta2, beta1, beta2);
}

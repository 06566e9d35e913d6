/**
 * The fused Adam step in stock tfjs ops: the twin of the WGSL kernel (fused-adam-webgpu.ts), the
 * path on every backend but webgpu, and the GPU tests' oracle. The ops and their order are exactly
 * those of tfjs 4.22's AdamOptimizer.applyGradients (tfjs-core/dist/optimizers/adam_optimizer.js),
 * so on one backend the twin and tf.train.adam give the same bits.
 */
import * as tf from '@tensorflow/tfjs';

export const FUSED_ADAM_STEP_KERNEL = 'FusedAdamStep';
export const FUSED_ADAM_ACC_BETA_KERNEL = 'FusedAdamAccBeta';

/** Adam's constants, as tfjs's AdamOptimizer holds them (epsilon already resolved). */
export interface AdamHyperparameters {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** One variable's step inputs. `oneMinusAccBeta` is [1 - accBeta1, 1 - accBeta2] of this step. */
export interface FusedAdamStepInputs {
  value: tf.Tensor;
  firstMoment: tf.Tensor;
  secondMoment: tf.Tensor;
  gradient: tf.Tensor;
  oneMinusAccBeta: tf.Tensor1D;
}

/** New tensors (never the inputs' data): the caller assigns them to its variables. */
export interface FusedAdamStepResult {
  value: tf.Tensor;
  firstMoment: tf.Tensor;
  secondMoment: tf.Tensor;
}

/** Once per optimizer step: this step's bias-correction denominators and the next step's products. */
export interface AccBetaStepResult {
  oneMinusAccBeta: tf.Tensor1D;
  nextAccBeta1: tf.Scalar;
  nextAccBeta2: tf.Scalar;
}

export function assertFusedAdamStepInputs(inputs: FusedAdamStepInputs): void {
  const { value, firstMoment, secondMoment, gradient, oneMinusAccBeta } = inputs;
  for (const [name, tensor] of Object.entries({ value, firstMoment, secondMoment, gradient, oneMinusAccBeta })) {
    if (tensor.dtype !== 'float32') throw new Error(`fused Adam: ${name} must be float32, not ${tensor.dtype}`);
  }
  for (const [name, tensor] of Object.entries({ firstMoment, secondMoment, gradient })) {
    if (!tf.util.arraysEqual(tensor.shape, value.shape)) {
      throw new Error(`fused Adam: ${name} has shape [${tensor.shape}], the variable [${value.shape}]`);
    }
  }
  if (oneMinusAccBeta.size !== 2) throw new Error('fused Adam: oneMinusAccBeta must hold 2 values');
}

/** tfjs's per-step preamble and epilogue: sub(1, accBeta) before the variables, accBeta * beta after. */
export function accBetaStepOps(
  accBeta1: tf.Scalar,
  accBeta2: tf.Scalar,
  beta1: number,
  beta2: number,
): AccBetaStepResult {
  return tf.tidy(() => ({
    oneMinusAccBeta: tf.stack([tf.sub(1, accBeta1), tf.sub(1, accBeta2)]) as tf.Tensor1D,
    nextAccBeta1: tf.mul(accBeta1, beta1) as tf.Scalar,
    nextAccBeta2: tf.mul(accBeta2, beta2) as tf.Scalar,
  }));
}

/** One variable's Adam step, tfjs's ops in tfjs's order (the comments name tfjs's intermediates). */
export function fusedAdamStepOps(inputs: FusedAdamStepInputs, hyper: AdamHyperparameters): FusedAdamStepResult {
  assertFusedAdamStepInputs(inputs);
  const { value, firstMoment, secondMoment, gradient, oneMinusAccBeta } = inputs;
  const { learningRate, beta1, beta2, epsilon } = hyper;
  return tf.tidy(() => {
    // Scalars sliced out of the [2] tensor hold exactly tfjs's sub(1, accBeta) values.
    const oneMinusAccBeta1 = tf.reshape(tf.slice(oneMinusAccBeta, [0], [1]), []);
    const oneMinusAccBeta2 = tf.reshape(tf.slice(oneMinusAccBeta, [1], [1]), []);
    const newFirstMoment = tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, 1 - beta1));
    const newSecondMoment = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2));
    const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
    const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
    const newValue = tf.add(
      tf.mul(tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), epsilon)), -learningRate),
      value,
    );
    return { value: newValue, firstMoment: newFirstMoment, secondMoment: newSecondMoment };
  });
}

/**
 * tfjs's Adam with one GPU dispatch per variable on webgpu (plus one per step for the accBeta
 * products), instead of the 14 elementwise dispatches per variable of tf.train.adam. Same math in the
 * same order (src/core/kernels/fused-adam.wgsl.ts), the same state in the same fields: moments created
 * lazily as `${name}/m` and `${name}/v` in tfjs's own arrays, the accBeta1/accBeta2 variables updated
 * as running products. So getWeights/setWeights and checkpoint.ts (which reads accBeta1 and accBeta2
 * by name) work unchanged, and checkpoints and run files of tf.train.adam resume here and back.
 *
 * On every other backend applyGradients is tfjs's own (super), so cpu and webgl runs stay bit for bit
 * what tf.train.adam gives. path 'fused' takes the fused loop everywhere (the tfjs-ops twin off webgpu);
 * the unit tests use it to check the loop against tf.train.adam bit for bit on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { accBetaStep, fusedAdamStep, type AdamHyperparameters } from '../kernels/fused-adam';

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** tfjs's OptimizerVariable (not exported by the tfjs package). */
interface OptimizerVariable {
  originalName: string;
  variable: tf.Variable;
}

/**
 * AdamOptimizer's state: private fields in tfjs 4.22's typings, read and written here because the
 * fused path must keep exactly tfjs's state (see the file comment). applyFused checks they exist.
 */
interface AdamState {
  accBeta1: tf.Variable<tf.Rank.R0>;
  accBeta2: tf.Variable<tf.Rank.R0>;
  accumulatedFirstMoment: OptimizerVariable[];
  accumulatedSecondMoment: OptimizerVariable[];
}

/** 'auto': fused on webgpu, tfjs's own applyGradients elsewhere. 'fused': fused on every backend. */
export type FusedAdamPath = 'auto' | 'fused';

/** A zero moment as tfjs makes it (not trainable, an automatic variable name). */
function zeroMoment(originalName: string, value: tf.Variable): OptimizerVariable {
  return { originalName, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  private readonly path: FusedAdamPath;

  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number, path: FusedAdamPath = 'auto') {
    super(learningRate, beta1, beta2, epsilon);
    this.path = path;
  }

  /** Whether applyGradients takes the fused path now (on the current backend). */
  usesFusedPath(): boolean {
    return this.path === 'fused' || tf.getBackend() === 'webgpu';
  }

  override applyGradients(variableGradients: VariableGradients): void {
    if (this.usesFusedPath()) this.applyFused(variableGradients);
    else super.applyGradients(variableGradients);
  }

  /** tfjs's AdamOptimizer.applyGradients with its per-variable ops replaced by one fusedAdamStep. */
  private applyFused(variableGradients: VariableGradients): void {
    const state = this.adamState();
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((entry) => entry.name)
      : Object.keys(variableGradients);
    const hyper: AdamHyperparameters = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
    tf.tidy(() => {
      const products = accBetaStep(state.accBeta1, state.accBeta2, this.beta1, this.beta2);
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        if (value == null) throw new Error(`FusedAdamOptimizer: no variable named ${name}`);
        // Created even when the gradient is missing, at index i, as tfjs does.
        state.accumulatedFirstMoment[i] ??= zeroMoment(`${name}/m`, value);
        state.accumulatedSecondMoment[i] ??= zeroMoment(`${name}/v`, value);
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const firstMoment = state.accumulatedFirstMoment[i].variable;
        const secondMoment = state.accumulatedSecondMoment[i].variable;
        const next = fusedAdamStep(
          { value, firstMoment, secondMoment, gradient, oneMinusAccBeta: products.oneMinusAccBeta },
          hyper,
        );
        firstMoment.assign(next.firstMoment);
        secondMoment.assign(next.secondMoment);
        value.assign(next.value);
      });
      state.accBeta1.assign(products.nextAccBeta1);
      state.accBeta2.assign(products.nextAccBeta2);
    });
    this.incrementIterations();
  }

  private adamState(): AdamState {
    const state = this as unknown as Partial<AdamState>;
    const { accBeta1, accBeta2, accumulatedFirstMoment, accumulatedSecondMoment } = state;
    if (!accBeta1 || !accBeta2 || !Array.isArray(accumulatedFirstMoment) || !Array.isArray(accumulatedSecondMoment)) {
      throw new Error('FusedAdamOptimizer: tfjs AdamOptimizer no longer has the 4.22 state fields');
    }
    return state as AdamState;
  }
}

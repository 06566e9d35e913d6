// Writing saved values into D's variables: restoring a checkpoint, or replacing the raw layer
// weights with chosen ones (a test's spectra, a NaN). All sizes are checked before any write, so a
// mismatched checkpoint leaves the model as it was.
import * as tf from '@tensorflow/tfjs';

/** Assigns `values[i]` to `variables[i]` (same order and sizes); `what` names them in errors. */
export function assignWeights(variables: readonly tf.Variable[], values: readonly Float32Array[], what: string): void {
  if (values.length !== variables.length)
    throw new Error(`${what}: ${values.length} D weights given, the model has ${variables.length}`);
  variables.forEach((variable, i) => {
    if (values[i].length !== variable.size)
      throw new Error(`${what}: D weight ${i} has ${values[i].length} values, expected ${variable.size}`);
  });
  tf.tidy(() => variables.forEach((variable, i) => variable.assign(tf.tensor(values[i], variable.shape))));
}

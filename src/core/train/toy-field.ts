// GAN Lab's picture for 2-D data: D's output over the plane as a heat map behind the scatter, and the
// direction G's loss moves a few generated points (the negative gradient of the G loss with respect
// to each point's position). Computed on the backend at read-backs; plain arrays come out.
import * as tf from '@tensorflow/tfjs';

/** The square window the heat map covers, in data coordinates: the toy sets lie within about ±4.5. */
export interface FieldWindow {
  min: number;
  max: number;
  /** Cells per side. */
  side: number;
}

export interface ToyField {
  window: FieldWindow;
  /** D's logit at each cell centre, row-major, row 0 at y = max (top of the picture). */
  logits: Float32Array;
  /** Generated points [n, 2] the arrows start at. */
  points: Float32Array;
  /** -dL_G/dx for each of those points [n, 2]: where G's update pushes them. */
  arrows: Float32Array;
}

/** Cell centres [side * side, 2], row-major from the top-left corner. */
export function fieldCellCentres(window: FieldWindow): Float32Array {
  const { min, max, side } = window;
  const step = (max - min) / side;
  const centres = new Float32Array(side * side * 2);
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      const i = row * side + column;
      centres[2 * i] = min + (column + 0.5) * step;
      centres[2 * i + 1] = max - (row + 0.5) * step;
    }
  }
  return centres;
}

/**
 * D's logits on the window's cells, and the G loss's descent direction at `points` (a [n, 2] tensor
 * of generated points). `discriminator` maps [k, 2] points to [k, 1] logits; `generatorLoss` maps
 * those logits to G's scalar loss.
 */
export async function computeToyField(
  window: FieldWindow,
  points: tf.Tensor2D,
  discriminator: (samples: tf.Tensor) => tf.Tensor,
  generatorLoss: (logits: tf.Tensor) => tf.Scalar,
): Promise<ToyField> {
  const [logits, arrows] = tf.tidy(() => {
    const cells = tf.tensor2d(fieldCellCentres(window), [window.side * window.side, 2]);
    const surface = tf.reshape(discriminator(cells), [-1]);
    const descent = tf.neg(tf.grad((x: tf.Tensor) => generatorLoss(discriminator(x)))(points));
    return [surface, descent];
  });
  const [logitValues, arrowValues, pointValues] = await Promise.all([logits.data(), arrows.data(), points.data()]);
  tf.dispose([logits, arrows]);
  return {
    window,
    logits: new Float32Array(logitValues),
    points: new Float32Array(pointValues),
    arrows: new Float32Array(arrowValues),
  };
}

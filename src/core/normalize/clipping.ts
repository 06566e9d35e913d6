// Weight clipping (WGAN; the SN paper's comparison at c = 0.01): the forward pass uses the raw weight,
// and after each D optimizer step every raw element is clipped to [-c, c]. Elementwise and stateless.
import * as tf from '@tensorflow/tfjs';
import { NormalizerBase } from './normalizer-base';
import type { UpdateContext } from './types';

export class WeightClipper extends NormalizerBase {
  readonly method = 'clip' as const;

  // Every D update, whatever the G iteration: the context is not needed.
  override afterDiscriminatorUpdate(raw: tf.Variable, _context: UpdateContext): void {
    const c = this.settings.clipValue;
    tf.tidy(() => {
      raw.assign(tf.clipByValue(raw, -c, c));
    });
  }
}

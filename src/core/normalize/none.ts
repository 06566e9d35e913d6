// No normalization: the forward pass uses the raw weight (every hook of the base as it is).
import { NormalizerBase } from './normalizer-base';

export class NoNormalizer extends NormalizerBase {
  readonly method = 'none' as const;
}

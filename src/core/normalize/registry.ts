// Maps a method name to its normalizer. One file per method; adding one means adding a case here.
import type { NormName } from '../config/schema';
import { NoNormalizer } from './none';
import { SpectralNormalizer } from './spectral';
import type { LayerDescription, LayerNormalizer, NormalizerSettings } from './types';

export function createNormalizer(
  method: NormName,
  layer: LayerDescription,
  seed: number,
  settings: NormalizerSettings,
): LayerNormalizer {
  switch (method) {
    case 'none':
      return new NoNormalizer();
    case 'sn':
      return new SpectralNormalizer(layer, seed, settings);
    default:
      // Being written in this change: sr-static, sr-dynamic, bssn, wn, ortho, clip.
      throw new Error(`normalization ${method} is not available yet`);
  }
}

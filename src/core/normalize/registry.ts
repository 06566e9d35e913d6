// Maps a method name to its normalizer. One file per method; adding one means adding a line here.
import type { NormName } from '../config/schema';
import { NoNormalizer } from './none';
import { SpectralNormalizer } from './spectral';
import type { LayerNormalizer, NormalizerSettings } from './types';

export function createNormalizer(
  method: NormName,
  weightShape: readonly number[],
  seed: number,
  settings: NormalizerSettings,
): LayerNormalizer {
  switch (method) {
    case 'none':
      return new NoNormalizer();
    case 'sn':
      return new SpectralNormalizer(weightShape, seed, settings);
  }
}

// Maps a method name to its normalizer. One file per method; adding one means adding a case here.
import type { NormName } from '../config/schema';
import { BssnNormalizer } from './bssn';
import { WeightClipper } from './clipping';
import { NoNormalizer } from './none';
import { OrthonormalRegularizer } from './orthonormal';
import { SpectralNormalizer } from './spectral';
import { DynamicSpectralRegularizer } from './spectral-regularization-dynamic';
import { StaticSpectralRegularizer } from './spectral-regularization-static';
import type { LayerDescription, LayerNormalizer, NormalizerSettings } from './types';
import { WeightNormalizer } from './weight-norm';

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
    case 'sr-static':
      return new StaticSpectralRegularizer(layer, seed, settings);
    case 'sr-dynamic':
      return new DynamicSpectralRegularizer(layer, seed, settings);
    case 'bssn':
      return new BssnNormalizer(layer, seed, settings);
    case 'wn':
      return new WeightNormalizer(layer, seed, settings);
    case 'ortho':
      return new OrthonormalRegularizer(layer, seed, settings);
    case 'clip':
      return new WeightClipper(layer, seed, settings);
  }
}

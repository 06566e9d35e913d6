// Every method's normalizer by name. One file per method; adding one means adding an entry here.
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

/** Builds one layer's normalizer; `seed` seeds its random initial state, if any. */
export type NormalizerFactory = new (
  layer: LayerDescription,
  seed: number,
  settings: NormalizerSettings,
) => LayerNormalizer;

export const NORMALIZERS: Readonly<Record<NormName, NormalizerFactory>> = {
  none: NoNormalizer,
  sn: SpectralNormalizer,
  'sr-static': StaticSpectralRegularizer,
  'sr-dynamic': DynamicSpectralRegularizer,
  bssn: BssnNormalizer,
  wn: WeightNormalizer,
  ortho: OrthonormalRegularizer,
  clip: WeightClipper,
};

export function createNormalizer(
  method: NormName,
  layer: LayerDescription,
  seed: number,
  settings: NormalizerSettings,
): LayerNormalizer {
  return new NORMALIZERS[method](layer, seed, settings);
}

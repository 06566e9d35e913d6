// The normalizer parameters of a configuration (URL fields -> NormalizerSettings).
import type { GanConfig } from '../config/schema';
import type { NormalizerSettings } from './types';

export type NormalizationFields = Pick<GanConfig, 'sniters' | 'bssnc' | 'srfrac' | 'srevery' | 'orthobeta' | 'clipc'>;

export function normalizerSettings(config: NormalizationFields): NormalizerSettings {
  return {
    powerIterations: config.sniters,
    bssnScale: config.bssnc,
    srFraction: config.srfrac,
    srEvery: config.srevery,
    orthoBeta: config.orthobeta,
    clipValue: config.clipc,
  };
}

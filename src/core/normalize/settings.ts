// The normalizer parameters of a configuration (URL fields -> NormalizerSettings).
import type { GanConfig } from '../config/schema';
import type { NormalizerSettings } from './types';

export type NormalizationFields = Pick<
  GanConfig,
  'sniters' | 'snwarmup' | 'bssnc' | 'srfrac' | 'srevery' | 'srlayers' | 'orthobeta' | 'clipc'
>;

export function normalizerSettings(config: NormalizationFields): NormalizerSettings {
  return {
    powerIterations: config.sniters,
    bssnScale: config.bssnc,
    srFraction: config.srfrac,
    srEvery: config.srevery,
    srLayers: config.srlayers,
    powerWarmup: config.snwarmup,
    orthoBeta: config.orthobeta,
    clipValue: config.clipc,
  };
}

// Optimizer settings A-F from Table 1 of the SN paper (Miyato et al. 2018): lr, beta1, beta2, n_dis.
import type { GanConfig } from './schema';

export type OptimizerPreset = Pick<GanConfig, 'lr' | 'beta1' | 'beta2' | 'ndis'>;

export const SN_PAPER_PRESETS: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', OptimizerPreset> = {
  A: { lr: 1e-4, beta1: 0.5, beta2: 0.9, ndis: 5 },
  B: { lr: 1e-4, beta1: 0.5, beta2: 0.999, ndis: 1 },
  C: { lr: 2e-4, beta1: 0.5, beta2: 0.999, ndis: 1 },
  D: { lr: 1e-3, beta1: 0.5, beta2: 0.9, ndis: 5 },
  E: { lr: 1e-3, beta1: 0.5, beta2: 0.999, ndis: 5 },
  F: { lr: 1e-3, beta1: 0.9, beta2: 0.999, ndis: 5 },
};

export type PresetName = keyof typeof SN_PAPER_PRESETS;

/** The preset whose four settings the config matches exactly, or null for a custom setting. */
export function matchingPreset(config: GanConfig): PresetName | null {
  for (const [name, preset] of Object.entries(SN_PAPER_PRESETS)) {
    if (
      preset.lr === config.lr &&
      preset.beta1 === config.beta1 &&
      preset.beta2 === config.beta2 &&
      preset.ndis === config.ndis
    ) {
      return name as PresetName;
    }
  }
  return null;
}

export function applyPreset(config: GanConfig, name: PresetName): GanConfig {
  return { ...config, ...SN_PAPER_PRESETS[name] };
}

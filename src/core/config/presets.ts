// Presets: named settings from the papers. A preset only sets URL fields (nothing is added to the
// schema), so a link to a preset is simply the resulting fields, and the page recognizes a preset
// by comparing those fields.
// - SN_PAPER_PRESETS: optimizer settings A-F of the SN paper (Miyato et al. 2018, Table 1): lr,
//   beta1, beta2, n_dis. Applied alone, they change only the optimizer.
// - SETUP_PRESETS: full set-ups. "SN paper setting X, standard CNN": A-F with the paper's standard
//   CNN (ch 64, gch 64, z 128, batch 64, the standard loss of its Table 1 runs). "SR-GAN grid":
//   the SN paper's CIFAR ResNet with the optimizer of its ResNet runs (2e-4, 0, 0.9, n_dis 5, hinge),
//   on a grid of (batch, D channels), the SR-GAN paper's X_{batch-ch} naming; small D channels with
//   large batches are where SN collapses. "Toy 2-D MLP": the MLP pair for the ring8 / grid25 points,
//   sized and tuned so SN captures the ring's modes in a couple of thousand iterations on the CPU
//   (tests/unit/core/train/toy-gan.test.ts holds it to that).
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

const OPTIMIZER_KEYS = ['lr', 'beta1', 'beta2', 'ndis'] as const;

/** The optimizer preset whose four settings the config matches exactly, or null for a custom setting. */
export function matchingPreset(config: GanConfig): PresetName | null {
  for (const [name, preset] of Object.entries(SN_PAPER_PRESETS)) {
    if (OPTIMIZER_KEYS.every((key) => preset[key] === config[key])) return name as PresetName;
  }
  return null;
}

export function applyPreset(config: GanConfig, name: PresetName): GanConfig {
  return { ...config, ...SN_PAPER_PRESETS[name] };
}

/** The fields a full set-up fixes; data, seed, normalization and its parameters stay the person's. */
export type SetupFields = Pick<
  GanConfig,
  'arch' | 'ch' | 'gch' | 'zdim' | 'batch' | 'loss' | 'lr' | 'beta1' | 'beta2' | 'ndis'
>;
export const SETUP_KEYS: readonly (keyof SetupFields)[] = [
  'arch',
  'ch',
  'gch',
  'zdim',
  'batch',
  'loss',
  'lr',
  'beta1',
  'beta2',
  'ndis',
];

export interface SetupPreset {
  /** Stable id, e.g. `sn-C` or `sr-256-32`. */
  id: string;
  group: 'sn-paper' | 'sr-grid' | 'toy';
  label: string;
  /** SR-GAN: small D channels with a large batch, where SN-GAN collapses. */
  collapseProne: boolean;
  fields: SetupFields;
}

export const SETUP_GROUP_TITLES: Record<SetupPreset['group'], string> = {
  'sn-paper': 'SN paper settings (Table 1), standard CNN',
  'sr-grid': 'SR-GAN (batch, D channels) grid, ResNet',
  toy: '2-D toy data (ring8, grid25), MLP',
};

const SN_CNN = { arch: 'cnn', ch: 64, gch: 64, zdim: 128, batch: 64, loss: 'ns' } as const;

const snPaperSetups: SetupPreset[] = Object.entries(SN_PAPER_PRESETS).map(([name, optimizer]) => ({
  id: `sn-${name}`,
  group: 'sn-paper',
  label:
    `SN paper setting ${name}, standard CNN (lr ${optimizer.lr}, β ` +
    `${optimizer.beta1}/${optimizer.beta2}, n_dis ${optimizer.ndis})`,
  collapseProne: false,
  fields: { ...SN_CNN, ...optimizer },
}));

export const SR_GRID_BATCHES = [64, 128, 256, 512] as const;
/**
 * D channels as the SR-GAN names count them: the ResNet D width, which is 2 * ch (ch is the URL field;
 * see resnetDiscriminatorWidth, not imported here so the page bundle stays free of tfjs).
 */
export const SR_GRID_D_WIDTHS = [128, 64, 32, 16] as const;

/** Where SN is expected to collapse: D width 32 or less with a batch of 256 or more. */
export function isCollapseProne(batch: number, dWidth: number): boolean {
  return dWidth <= 32 && batch >= 256;
}

const SN_RESNET = {
  arch: 'resnet',
  gch: 64,
  zdim: 128,
  loss: 'hinge',
  lr: 2e-4,
  beta1: 0,
  beta2: 0.9,
  ndis: 5,
} as const;

const srGridSetups: SetupPreset[] = SR_GRID_BATCHES.flatMap((batch) =>
  SR_GRID_D_WIDTHS.map((dWidth): SetupPreset => {
    const ch = dWidth / 2;
    const collapseProne = isCollapseProne(batch, dWidth);
    const paper = batch === 64 && dWidth === 128 ? " = the SN paper's CIFAR ResNet" : '';
    return {
      id: `sr-${batch}-${dWidth}`,
      group: 'sr-grid',
      label:
        `X_{${batch}-${dWidth}}: ResNet, batch ${batch}, D ch ${dWidth} ` +
        `(ch=${ch})${paper}${collapseProne ? ' — collapse-prone under SN' : ''}`,
      collapseProne,
      fields: { ...SN_RESNET, ch, batch },
    };
  }),
);

/**
 * The 2-D MLP pair at toy-GAN scale: D 2 -> 32 -> 32 -> 1 (ch 8), G z16 -> 64 -> 64 -> 2 (gch 16),
 * batch 64, the standard loss, Adam 2e-3 / 0.5 / 0.9, one D step per G step. In the sweep behind it
 * (ring8, SN, 1500-2000 iterations) hinge loss collapsed to one to three modes with D and G of 64
 * units at lr 1e-3 and 2e-3, while the standard loss reached all eight.
 */
export const TOY_SETUP: SetupPreset = {
  id: 'toy-mlp',
  group: 'toy',
  label:
    'Toy 2-D MLP for ring8 / grid25 (D 32, G 64 units, z 16, batch 64, standard loss, lr 0.002, β 0.5/0.9, n_dis 1)',
  collapseProne: false,
  fields: { arch: 'mlp', ch: 8, gch: 16, zdim: 16, batch: 64, loss: 'ns', lr: 2e-3, beta1: 0.5, beta2: 0.9, ndis: 1 },
};

export const SETUP_PRESETS: readonly SetupPreset[] = [...snPaperSetups, ...srGridSetups, TOY_SETUP];

export function findSetupPreset(id: string): SetupPreset | undefined {
  return SETUP_PRESETS.find((p) => p.id === id);
}

/** The set-up whose fields the config has exactly, or null ("custom"). */
export function matchingSetupPreset(config: GanConfig): SetupPreset | null {
  return SETUP_PRESETS.find((p) => SETUP_KEYS.every((key) => p.fields[key] === config[key])) ?? null;
}

export function applySetupPreset(config: GanConfig, id: string): GanConfig {
  const preset = findSetupPreset(id);
  if (!preset) throw new Error(`unknown preset ${id}`);
  return { ...config, ...preset.fields };
}

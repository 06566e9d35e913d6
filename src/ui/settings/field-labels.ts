// Short human labels for the config fields; the URL name is shown beside each one, and the
// schema's doc string is the tooltip. A field missing here is labelled by its URL name.
import type { GanConfig, NormName } from '../../core/config/schema';

export const FIELD_LABELS: Partial<Record<keyof GanConfig, string>> = {
  dataset: 'Data set',
  classes: 'Classes',
  subset: 'Images used',
  arch: 'Architecture',
  ch: 'D channels',
  gch: 'G channels',
  zdim: 'Latent size',
  batch: 'Batch size',
  loss: 'Loss',
  lr: 'Learning rate',
  beta1: 'Adam β1',
  beta2: 'Adam β2',
  ndis: 'D steps per G step',
  seed: 'Seed',
  norm: 'D normalization',
  sniters: 'Power iterations',
  snwarmup: 'Power-iteration warm-up',
  bssnc: 'BSSN scale c',
  srfrac: 'SR fraction k/N',
  srevery: 'SR every n G steps',
  srlayers: "SR on layers (all: not in the authors' code)",
  orthobeta: 'Ortho β',
  clipc: 'Clip c',
  schedule: 'Switch schedule',
  backend: 'Backend',
  every: 'Read back every',
  spectra: 'Exact spectra every',
  collapsedrop: 'Alarm drop',
  collapsewindow: 'Alarm window',
  collapsepersist: 'Alarm persistence',
  proxy: 'Proxy net recipe',
  proxyevery: 'Sample quality every',
  proxyn: 'Samples per evaluation N',
};

/** The parameters each method reads; the settings column shows them only where they matter. */
export const NORM_PARAMETERS: Record<NormName, readonly (keyof GanConfig)[]> = {
  none: [],
  sn: ['sniters', 'snwarmup'],
  'sr-static': ['sniters', 'snwarmup', 'srfrac', 'srevery', 'srlayers'],
  'sr-dynamic': ['sniters', 'snwarmup', 'srfrac', 'srevery', 'srlayers'],
  bssn: ['sniters', 'snwarmup', 'bssnc'],
  wn: [],
  ortho: ['orthobeta'],
  clip: ['clipc'],
};

/** Every method parameter, in display order. */
export const ALL_NORM_PARAMETERS: readonly (keyof GanConfig)[] = [
  'sniters',
  'snwarmup',
  'bssnc',
  'srfrac',
  'srevery',
  'srlayers',
  'orthobeta',
  'clipc',
];

/** Parameters of the methods in use or scheduled, so a planned switch can be tuned beforehand. */
export function relevantNormParameters(inUse: NormName, schedule: GanConfig['schedule']): (keyof GanConfig)[] {
  const methods = new Set<NormName>([inUse, ...schedule.map((entry) => entry.norm)]);
  return ALL_NORM_PARAMETERS.filter((key) => [...methods].some((m) => NORM_PARAMETERS[m].includes(key)));
}

/** Control groups of the settings column, in order. Fields not listed land in "More settings". */
export const FIELD_GROUPS: readonly { title: string; keys: readonly (keyof GanConfig)[] }[] = [
  { title: 'Normalization', keys: ['norm', ...ALL_NORM_PARAMETERS, 'schedule'] },
  { title: 'Model', keys: ['arch', 'ch', 'gch', 'zdim'] },
  { title: 'Optimization', keys: ['loss', 'batch', 'lr', 'beta1', 'beta2', 'ndis'] },
  { title: 'Run', keys: ['seed', 'every', 'backend'] },
  { title: 'Observatory', keys: ['spectra', 'collapsedrop', 'collapsewindow', 'collapsepersist'] },
  { title: 'Sample quality', keys: ['proxyevery', 'proxyn', 'proxy'] },
];

/** Shown on the data panel instead of the settings column; `v` is the URL format, not a setting. */
export const DATA_FIELDS: readonly (keyof GanConfig)[] = ['dataset', 'classes', 'subset'];
export const HIDDEN_FIELDS: readonly (keyof GanConfig)[] = ['v'];

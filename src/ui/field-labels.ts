// Short human labels for the config fields; the URL name is shown beside each one, and the
// schema's doc string is the tooltip. A field missing here is labelled by its URL name.
import type { GanConfig } from '../core/config/schema';

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
  backend: 'Backend',
  every: 'Read back every',
};

/** Control groups of the settings column, in order. Fields not listed land in "More settings". */
export const FIELD_GROUPS: readonly { title: string; keys: readonly (keyof GanConfig)[] }[] = [
  { title: 'Normalization', keys: ['norm', 'sniters'] },
  { title: 'Model', keys: ['arch', 'ch', 'gch', 'zdim'] },
  { title: 'Optimization', keys: ['loss', 'batch', 'lr', 'beta1', 'beta2', 'ndis'] },
  { title: 'Run', keys: ['seed', 'every', 'backend'] },
];

/** Shown on the data panel instead of the settings column; `v` is the URL format, not a setting. */
export const DATA_FIELDS: readonly (keyof GanConfig)[] = ['dataset', 'classes', 'subset'];
export const HIDDEN_FIELDS: readonly (keyof GanConfig)[] = ['v'];

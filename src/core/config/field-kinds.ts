// The values and declaration shapes behind the field table (field-table.ts): enum value lists, the
// schedule entry, and what each kind of field entry must hold. schema.ts re-exports them.
export const CONFIG_VERSION = 1;

export const DATASETS = ['shapes', 'cifar10', 'ring8', 'grid25'] as const;
/** The built-in 2-D mixtures of Gaussians: their samples are points, so they train the 2-D MLP pair. */
export const TOY_DATASETS = ['ring8', 'grid25'] as const;
export const ARCHS = ['cnn', 'resnet', 'mlp'] as const;
export const LOSSES = ['hinge', 'ns'] as const;
export const NORMS = ['none', 'sn', 'sr-static', 'sr-dynamic', 'bssn', 'wn', 'ortho', 'clip'] as const;
/** Which D layers SR compensates: conv only (the authors' code) or all, dense included (an extension). */
export const SR_LAYERS = ['conv', 'all'] as const;
export const BACKENDS = ['auto', 'webgpu', 'webgl', 'cpu'] as const;
/** The proxy net's recipes (src/core/proxy/proxy-recipe.ts PROXY_RECIPES). */
export const PROXY_RECIPE_NAMES = ['default', 'tiny'] as const;

export type DatasetName = (typeof DATASETS)[number];
export type ToyDatasetName = (typeof TOY_DATASETS)[number];

export function isToyDataset(name: DatasetName): name is ToyDatasetName {
  return (TOY_DATASETS as readonly string[]).includes(name);
}
export type ArchName = (typeof ARCHS)[number];
export type LossName = (typeof LOSSES)[number];
export type NormName = (typeof NORMS)[number];
export type BackendChoice = (typeof BACKENDS)[number];
export type ProxyRecipeName = (typeof PROXY_RECIPE_NAMES)[number];

/** A planned switch of the D normalization: at the start of G iteration `iteration`, use `norm`. */
export interface ScheduleEntry {
  iteration: number;
  norm: NormName;
}

// What each field entry must hold; GanConfig is derived from the entries, so these name no keys.
export interface FieldDeclBase {
  key: string;
  doc: string;
  /** Applies to the running trainer without a rebuild (GanTrainer.applyLiveSettings takes it). */
  live?: true;
  /** A change needs a new worker: the tfjs backend is chosen once per worker. */
  newWorker?: true;
}
export interface EnumDecl extends FieldDeclBase {
  kind: 'enum';
  values: readonly string[];
  default: string;
}
export interface NumberDecl extends FieldDeclBase {
  kind: 'int' | 'float';
  min: number;
  max: number;
  default: number;
}
export interface ClassListDecl extends FieldDeclBase {
  kind: 'classes';
  default: number[];
}
export interface ScheduleDecl extends FieldDeclBase {
  kind: 'schedule';
  default: ScheduleEntry[];
}
export type FieldDecl = EnumDecl | NumberDecl | ClassListDecl | ScheduleDecl;

// The proxy net's fixed recipe, as data: architecture, optimizer, schedule, seed and augmentation.
// The proxy net is the playground's own small CIFAR-10-style classifier standing in for Inception
// (see sample-quality.ts). A recipe plus the data it was trained on (recipeKey) names one proxy: two
// numbers are comparable only when they come from the same key at the same evaluation size N.
//
// No batch norm: the forward pass of a sample never depends on the rest of its batch, so features are
// the same whatever the evaluation batch size, and there are no running statistics to serialize.

export type ProxyActivation = 'relu' | 'leaky-relu';
export type ProxyAugmentation = 'none' | 'flip';

/** One 3x3 'same' convolution with bias and the recipe's activation. */
export interface ProxyConvSpec {
  channels: number;
  /** 1 keeps the size, 2 halves it. */
  stride: 1 | 2;
}

export interface ProxyRecipe {
  /** Bumped whenever a change would change trained weights; part of recipeKey. */
  version: number;
  /** Short name, e.g. "default" or "tiny" (part of recipeKey). */
  name: string;
  /** The conv stack on 32x32x3 inputs in [-1, 1]; global average pooling follows. */
  convs: readonly ProxyConvSpec[];
  /** Width of the penultimate dense layer (with the activation): these values are the FEATURES. */
  featureDimension: number;
  activation: ProxyActivation;
  /** Negative slope of 'leaky-relu' (ignored for 'relu'). */
  leakySlope: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  batchSize: number;
  epochs: number;
  /** Seeds the weights, the data order and the augmentation. */
  seed: number;
  augmentation: ProxyAugmentation;
}

export const DEFAULT_RECIPE: ProxyRecipe = Object.freeze({
  version: 1,
  name: 'default',
  convs: Object.freeze([
    { channels: 32, stride: 1 },
    { channels: 32, stride: 2 },
    { channels: 64, stride: 1 },
    { channels: 64, stride: 2 },
    { channels: 128, stride: 2 },
  ]) as readonly ProxyConvSpec[],
  featureDimension: 128,
  activation: 'relu',
  leakySlope: 0.1,
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  batchSize: 64,
  epochs: 8,
  seed: 1,
  augmentation: 'flip',
}) as ProxyRecipe;

/**
 * For tests, the cpu backend and software GPUs: three stride-2 convs (8, 16, 32 channels), 32-d
 * features, about 7k parameters, 4 epochs (callers may pass other epoch counts to trainEpochs).
 */
export const TINY_RECIPE: ProxyRecipe = Object.freeze({
  version: 1,
  name: 'tiny',
  convs: Object.freeze([
    { channels: 8, stride: 2 },
    { channels: 16, stride: 2 },
    { channels: 32, stride: 2 },
  ]) as readonly ProxyConvSpec[],
  featureDimension: 32,
  activation: 'relu',
  leakySlope: 0.1,
  learningRate: 1e-2,
  beta1: 0.9,
  beta2: 0.999,
  batchSize: 16,
  epochs: 4,
  seed: 1,
  augmentation: 'none',
}) as ProxyRecipe;

export const PROXY_RECIPES: Readonly<Record<string, ProxyRecipe>> = Object.freeze({
  default: DEFAULT_RECIPE,
  tiny: TINY_RECIPE,
});

/** Throws a message naming the first bad field; returns the recipe for chaining. */
export function validateRecipe(recipe: ProxyRecipe): ProxyRecipe {
  const fail = (what: string): never => {
    throw new Error(`proxy recipe ${JSON.stringify(recipe.name)}: ${what}`);
  };
  const positiveInteger = (value: unknown, name: string): void => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      fail(`${name} must be a positive integer, got ${String(value)}`);
  };
  const positive = (value: unknown, name: string): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      fail(`${name} must be a positive number, got ${String(value)}`);
  };
  positiveInteger(recipe.version, 'version');
  if (typeof recipe.name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(recipe.name))
    fail('name must be letters, digits, _ or -');
  if (!Array.isArray(recipe.convs) || recipe.convs.length === 0) fail('convs must list at least one convolution');
  let size = 32;
  recipe.convs.forEach((conv, i) => {
    positiveInteger(conv.channels, `convs[${i}].channels`);
    if (conv.stride !== 1 && conv.stride !== 2) fail(`convs[${i}].stride must be 1 or 2, got ${String(conv.stride)}`);
    size = Math.ceil(size / conv.stride);
  });
  if (size < 1) fail('the conv stack shrinks the image to nothing');
  positiveInteger(recipe.featureDimension, 'featureDimension');
  if (recipe.activation !== 'relu' && recipe.activation !== 'leaky-relu')
    fail(`activation must be relu or leaky-relu, got ${String(recipe.activation)}`);
  if (!(recipe.leakySlope >= 0 && recipe.leakySlope < 1))
    fail(`leakySlope must be in [0, 1), got ${recipe.leakySlope}`);
  positive(recipe.learningRate, 'learningRate');
  if (!(recipe.beta1 >= 0 && recipe.beta1 < 1)) fail(`beta1 must be in [0, 1), got ${recipe.beta1}`);
  if (!(recipe.beta2 >= 0 && recipe.beta2 < 1)) fail(`beta2 must be in [0, 1), got ${recipe.beta2}`);
  positiveInteger(recipe.batchSize, 'batchSize');
  positiveInteger(recipe.epochs, 'epochs');
  if (!Number.isInteger(recipe.seed) || recipe.seed < 0 || recipe.seed > 0xffffffff)
    fail(`seed must be an integer 0-4294967295, got ${recipe.seed}`);
  if (recipe.augmentation !== 'none' && recipe.augmentation !== 'flip')
    fail(`augmentation must be none or flip, got ${String(recipe.augmentation)}`);
  return recipe;
}

/** What the proxy was trained on, e.g. { dataset: 'cifar10', classes: [0, 1], subset: 5000 }. */
export interface ProxyDataKey {
  dataset: string;
  classes: readonly number[];
  /** Training images used. */
  subset: number;
  /** Seed of a generated data set (shapes); omitted for files. */
  seed?: number;
}

/** A stable string of a data key: "cifar10|classes=0,1|subset=5000" (classes sorted). */
export function dataKeyString(data: ProxyDataKey): string {
  const classes = [...data.classes].sort((a, b) => a - b).join(',');
  const seed = data.seed === undefined ? '' : `|seed=${data.seed}`;
  return `${data.dataset}|classes=${classes}|subset=${data.subset}${seed}`;
}

/**
 * The cache key of a trained proxy: every recipe field that changes the weights, and the data.
 * e.g. "proxy-v1|default|cifar10|classes=0,1|subset=5000|convs=32,32s2,...|f=128|relu|lr=0.001|b=0.9,0.999|
 * bs=64|epochs=8|seed=1|aug=flip" (one string).
 */
export function recipeKey(recipe: ProxyRecipe, data: ProxyDataKey | string): string {
  const dataPart = typeof data === 'string' ? data : dataKeyString(data);
  const convs = recipe.convs.map((c) => `${c.channels}${c.stride === 2 ? 's2' : ''}`).join(',');
  const activation = recipe.activation === 'relu' ? 'relu' : `leaky${recipe.leakySlope}`;
  return [
    `proxy-v${recipe.version}`,
    recipe.name,
    dataPart,
    `convs=${convs}`,
    `f=${recipe.featureDimension}`,
    activation,
    `lr=${recipe.learningRate}`,
    `b=${recipe.beta1},${recipe.beta2}`,
    `bs=${recipe.batchSize}`,
    `epochs=${recipe.epochs}`,
    `seed=${recipe.seed}`,
    `aug=${recipe.augmentation}`,
  ].join('|');
}

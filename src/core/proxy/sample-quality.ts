// Sample quality through the proxy net: IS, FID and KID proxies and class coverage of generated
// images, next to the same numbers for real images ("real-data references").
//
// PROXY_CAVEAT says in one line why these are not the papers' Inception numbers.
//
// Protocol (all at one evaluation size N):
// - the reference is computed once per data set and proxy: features of a fixed seeded subset of N
//   TRAINING images (what the generator learns from) and of N HELD-OUT images (the test split);
// - generated samples are compared with the training subset: FID proxy = Fréchet distance of their
//   features' Gaussians, KID proxy = unbiased polynomial MMD^2 over seeded subsets, on features
//   scaled by one fixed factor per reference (kidScaleOf: RMS 1 on the training subset);
// - the held-out images compared with the training subset the same way give the level a generator
//   that matched the data distribution (without copying the training images) would reach at this N;
//   the IS proxy of the held-out images is the IS reference.
// FID is biased upwards at small N (about (d^2/2 + 2d)/N for Gaussian features), which is why every
// number here is taken at the same N and the reference is plotted beside the generator's.
import { deriveSeed, SeededRandom } from '../data/seeded-random';
import type { ImageSet } from '../data/types';
import { featureStatistics, type FeatureStatistics } from '../metrics/feature-statistics';
import { frechetDistance } from '../metrics/frechet-distance';
import { inceptionScore } from '../metrics/inception-score';
import {
  kidOfFeatures,
  KID_DEFAULT_SEED,
  KID_DEFAULT_SUBSETS,
  KID_DEFAULT_SUBSET_SIZE,
} from '../metrics/kernel-inception-distance';
import { classCoverage } from '../metrics/mode-coverage';
import { imagesToUnitFloats } from './proxy-images';
import type { FeatureProvider } from './proxy-net';

/** Why these numbers are not the papers' IS/FID/KID, in one line (for docs, the CLI and the UI). */
export const PROXY_CAVEAT =
  'Proxy numbers: a small classifier trained on the same small data (not Inception on ImageNet), ' +
  '128-d or smaller features and small N, so they are comparable only within the playground at the ' +
  'same N and proxy recipe, never with published IS/FID.';

/** Default evaluation size N. */
export const DEFAULT_EVALUATION_SIZE = 500;

export interface ProxyInceptionScore {
  /** exp(H(p(y)) - E H(p(y|x))), between 1 and C. */
  score: number;
  /** H(p(y)) in nats: diversity over classes. */
  marginalEntropy: number;
  /** E H(p(y|x)) in nats: low when the proxy is confident. */
  meanConditionalEntropy: number;
}

export interface KidProxy {
  mean: number;
  std: number;
}

export interface ProxyClassCoverage {
  /** Classes that are the argmax of at least one image. */
  classesCovered: number;
  classCount: number;
  /** Images per argmax class. */
  histogram: number[];
  /** KL of that histogram from uniform (nats). */
  klFromUniform: number;
}

/** One evaluation flattened into a series row (charts, CSV, headless JSON). */
export interface QualityRow {
  iteration: number;
  isProxy: number;
  marginalEntropy: number;
  meanConditionalEntropy: number;
  fidProxy: number;
  kidMean: number;
  kidStd: number;
  classesCovered: number;
  classCount: number;
}

/** QualityRow's keys, in its column order. */
export const QUALITY_ROW_KEYS = [
  'iteration',
  'isProxy',
  'marginalEntropy',
  'meanConditionalEntropy',
  'fidProxy',
  'kidMean',
  'kidStd',
  'classesCovered',
  'classCount',
] as const satisfies readonly (keyof QualityRow)[];

/** Only the QualityRow columns (the page's evaluations carry histograms and timings too). */
export function qualityColumns(row: QualityRow): QualityRow {
  const picked = {} as QualityRow;
  for (const key of QUALITY_ROW_KEYS) picked[key] = row[key];
  return picked;
}

export function qualityRow(iteration: number, quality: SampleQuality): QualityRow {
  return {
    iteration,
    isProxy: quality.isProxy,
    marginalEntropy: quality.marginalEntropy,
    meanConditionalEntropy: quality.meanConditionalEntropy,
    fidProxy: quality.fidProxy,
    kidMean: quality.kidProxy.mean,
    kidStd: quality.kidProxy.std,
    classesCovered: quality.classCoverage.classesCovered,
    classCount: quality.classCoverage.classCount,
  };
}

/** Features and proxy outputs of one set of N real images. */
export interface RealFeatureSet {
  /** Indices of the images used, in the set they came from. */
  indices: Int32Array;
  /** [n, F] */
  features: Float32Array;
  /** [n, C] */
  probabilities: Float32Array;
  statistics: FeatureStatistics;
  inceptionScore: ProxyInceptionScore;
  coverage: ProxyClassCoverage;
}

/**
 * 1 / RMS of the entries of a feature matrix, so the scaled features have mean x.x / d = 1 (the
 * scale at which KID's kernel (x.y / d + 1)^3 is well-behaved; Inception's pool features are about
 * there, but a small proxy's ReLU features are not: unscaled, a few large activations cubed make the
 * KID estimate's spread dwarf its mean).
 */
export function kidScaleOf(features: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < features.length; i++) sum += features[i] * features[i];
  const rms = Math.sqrt(sum / Math.max(1, features.length));
  return rms > 0 && Number.isFinite(rms) ? 1 / rms : 1;
}

function scaled(features: Float32Array, scale: number): Float64Array {
  const out = new Float64Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = features[i] * scale;
  return out;
}

export interface RealReference {
  /** Evaluation size N: generated sets must have exactly this many images. */
  n: number;
  featureDimension: number;
  classCount: number;
  seed: number;
  /** Features are multiplied by this before KID (kidScaleOf the training subset), generated ones too. */
  kidFeatureScale: number;
  /** KID subsets and subset size used, the same for the generated images. */
  kidSubsets: number;
  kidSubsetSize: number;
  /** N seeded training images: what generated images are compared with. */
  train: RealFeatureSet;
  /** N seeded held-out (test split) images. */
  heldOut: RealFeatureSet;
  /** FID proxy between the training and held-out subsets: the real-data reference. */
  fidTrainVsHeldOut: number;
  /** KID proxy between the training and held-out subsets. */
  kidTrainVsHeldOut: KidProxy;
  /** Seconds to compute this reference. */
  seconds: number;
}

export interface SampleQuality {
  sampleCount: number;
  /** IS proxy and its two entropy parts. */
  isProxy: number;
  marginalEntropy: number;
  meanConditionalEntropy: number;
  /** Fréchet distance to the training subset's feature Gaussian. */
  fidProxy: number;
  kidProxy: KidProxy;
  classCoverage: ProxyClassCoverage;
  /** Seconds of this evaluation (features included when it went through evaluateImages). */
  seconds: number;
}

export interface RealReferenceOptions {
  /** N, default DEFAULT_EVALUATION_SIZE. Both sets must hold at least N images. */
  n?: number;
  /** Seeds the two subsets (default 1). */
  seed?: number;
  /** KID subsets (default 100). */
  kidSubsets?: number;
}

/**
 * KID subset size at evaluation size n: min(1000, floor(n / 2)). The usual min(N, 1000) would make
 * every subset the whole set when N <= 1000, and its spread 0; half-size subsets keep the estimate
 * unbiased and give a meaningful std.
 */
export function kidSubsetSizeFor(n: number): number {
  return Math.max(2, Math.min(KID_DEFAULT_SUBSET_SIZE, Math.floor(n / 2)));
}

function now(): number {
  return performance.now();
}

function seededSubset(count: number, n: number, seed: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  new SeededRandom(seed).shuffle(order);
  return order.slice(0, n);
}

function argmaxLabels(probabilities: Float32Array, count: number, classes: number): Int32Array {
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = i * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[row + c] > probabilities[row + best]) best = c;
    labels[i] = best;
  }
  return labels;
}

function proxyScore(probabilities: Float32Array, count: number, classes: number): ProxyInceptionScore {
  const is = inceptionScore(probabilities, count, classes);
  return { score: is.score, marginalEntropy: is.marginalEntropy, meanConditionalEntropy: is.meanConditionalEntropy };
}

function proxyCoverage(probabilities: Float32Array, count: number, classes: number): ProxyClassCoverage {
  const coverage = classCoverage(argmaxLabels(probabilities, count, classes), classes);
  return {
    classesCovered: coverage.classesCovered,
    classCount: classes,
    histogram: coverage.histogram,
    klFromUniform: coverage.klFromUniform,
  };
}

function checkOutputs(
  caller: string,
  features: Float32Array,
  probabilities: Float32Array,
  count: number,
  f: number,
  c: number,
): void {
  if (features.length !== count * f)
    throw new Error(
      `${caller}: ${count} images with ${f}-d features need ${count * f} feature values, got ${features.length}`,
    );
  if (probabilities.length !== count * c)
    throw new Error(
      `${caller}: ${count} images with ${c} classes need ${count * c} probabilities, got ${probabilities.length}`,
    );
}

async function realFeatureSet(provider: FeatureProvider, set: ImageSet, indices: Int32Array): Promise<RealFeatureSet> {
  const n = indices.length;
  const { features, probabilities } = await provider.featuresAndProbabilities(imagesToUnitFloats(set, indices), n);
  checkOutputs('realReference', features, probabilities, n, provider.featureDimension, provider.classCount);
  return {
    indices,
    features,
    probabilities,
    statistics: featureStatistics(features, n, provider.featureDimension),
    inceptionScore: proxyScore(probabilities, n, provider.classCount),
    coverage: proxyCoverage(probabilities, n, provider.classCount),
  };
}

/**
 * The real-data references at evaluation size N for one data set and proxy: run once, reuse for
 * every evaluation of generated images. `train` is the set the generator trains on, `heldOut` real
 * images it never sees (CIFAR-10's test split).
 */
export async function realReference(
  provider: FeatureProvider,
  train: ImageSet,
  heldOut: ImageSet,
  options: RealReferenceOptions = {},
): Promise<RealReference> {
  const started = now();
  const n = options.n ?? DEFAULT_EVALUATION_SIZE;
  const seed = options.seed ?? 1;
  const kidSubsets = options.kidSubsets ?? KID_DEFAULT_SUBSETS;
  if (!Number.isInteger(n) || n < 4) throw new Error(`realReference: n must be an integer >= 4, got ${n}`);
  if (train.count < n)
    throw new Error(`realReference: the training set ${train.name} has ${train.count} images, fewer than N = ${n}`);
  if (heldOut.count < n)
    throw new Error(`realReference: the held-out set ${heldOut.name} has ${heldOut.count} images, fewer than N = ${n}`);
  const trainSet = await realFeatureSet(provider, train, seededSubset(train.count, n, deriveSeed(seed, 71)));
  const heldOutSet = await realFeatureSet(provider, heldOut, seededSubset(heldOut.count, n, deriveSeed(seed, 72)));
  const kidSubsetSize = kidSubsetSizeFor(n);
  const kidFeatureScale = kidScaleOf(trainSet.features);
  const kid = kidOfFeatures(
    scaled(trainSet.features, kidFeatureScale),
    scaled(heldOutSet.features, kidFeatureScale),
    provider.featureDimension,
    {
      subsets: kidSubsets,
      subsetSize: kidSubsetSize,
      seed: KID_DEFAULT_SEED,
    },
  );
  return {
    n,
    featureDimension: provider.featureDimension,
    classCount: provider.classCount,
    seed,
    kidFeatureScale,
    kidSubsets,
    kidSubsetSize,
    train: trainSet,
    heldOut: heldOutSet,
    fidTrainVsHeldOut: frechetDistance(trainSet.statistics, heldOutSet.statistics),
    kidTrainVsHeldOut: { mean: kid.mean, std: kid.std },
    seconds: (now() - started) / 1000,
  };
}

/**
 * Scores N generated images from their proxy features [N, F] and probabilities [N, C] against the
 * reference (N must equal reference.n: FID depends on N).
 */
export function evaluateSamples(
  generatedFeatures: Float32Array,
  generatedProbabilities: Float32Array,
  reference: RealReference,
): SampleQuality {
  const started = now();
  const f = reference.featureDimension;
  const c = reference.classCount;
  if (generatedFeatures.length % f !== 0)
    throw new Error(
      `evaluateSamples: ${generatedFeatures.length} feature values are not a whole number of ${f}-d rows`,
    );
  const count = generatedFeatures.length / f;
  if (count !== reference.n) {
    throw new Error(
      `evaluateSamples: ${count} generated images, but the reference was computed at N = ` +
        `${reference.n}; FID and KID are only comparable at the same N`,
    );
  }
  checkOutputs('evaluateSamples', generatedFeatures, generatedProbabilities, count, f, c);
  const is = proxyScore(generatedProbabilities, count, c);
  const statistics = featureStatistics(generatedFeatures, count, f);
  const scale = reference.kidFeatureScale;
  const kid = kidOfFeatures(scaled(generatedFeatures, scale), scaled(reference.train.features, scale), f, {
    subsets: reference.kidSubsets,
    subsetSize: reference.kidSubsetSize,
    seed: KID_DEFAULT_SEED,
  });
  return {
    sampleCount: count,
    isProxy: is.score,
    marginalEntropy: is.marginalEntropy,
    meanConditionalEntropy: is.meanConditionalEntropy,
    fidProxy: frechetDistance(statistics, reference.train.statistics),
    kidProxy: { mean: kid.mean, std: kid.std },
    classCoverage: proxyCoverage(generatedProbabilities, count, c),
    seconds: (now() - started) / 1000,
  };
}

/**
 * Features of `count` images (NHWC floats in [-1, 1], e.g. generator output) through `provider`, then
 * evaluateSamples.
 */
export async function evaluateImages(
  provider: FeatureProvider,
  images: Float32Array,
  count: number,
  reference: RealReference,
): Promise<SampleQuality> {
  const started = now();
  const { features, probabilities } = await provider.featuresAndProbabilities(images, count);
  const quality = evaluateSamples(features, probabilities, reference);
  return { ...quality, seconds: (now() - started) / 1000 };
}

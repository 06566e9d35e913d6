// The two image sets a proxy net needs for one run's data: the training split it learns from (the
// very images the GAN trains on: same data set, classes, subset and seed) and a held-out split it
// is tested on and that gives the real-data references.
// - cifar10: the run's subset of data_batch_*.bin, and test_batch.bin restricted to the run's classes;
// - shapes: the run's drawn shapes, and HELD_OUT_SHAPES more drawn from a seed derived from the run's.
import { DatasetConfig, loadDataset, type CifarFileSource, type LoadOptions } from '../data/load-dataset';
import {
  baseName,
  CIFAR10_CLASS_NAMES,
  DataFileError,
  isCifarArchiveName,
  parseCifarBatch,
  selectCifarSubset,
  unpackCifarArchive,
  type CifarBatch,
} from '../data/cifar10-reader';
import { deriveSeed } from '../data/seeded-random';
import { makeShapesDataset, SHAPE_CLASS_NAMES } from '../data/shapes-dataset';
import { IMAGE_BYTES, isPointSet, type ImageSet } from '../data/types';
import { dataKeyString } from './proxy-recipe';

/** Held-out shapes drawn for the proxy's test accuracy and references. */
export const HELD_OUT_SHAPES = 2000;
const TEST_BATCH = 'test_batch.bin';

export interface ProxySplits {
  train: ImageSet;
  heldOut: ImageSet;
  /** dataKeyString of the training split: with the recipe it names the proxy (cache key). */
  dataKey: string;
  /** The classes the proxy tells apart, ascending, and their names in that order. */
  classIds: number[];
  classNames: string[];
  /** Set when the training split has fewer images than `subset` asked for. */
  shortfall: string | null;
}

/** True for the data sets a proxy can be trained on (images; the 2-D toy sets are counted exactly instead). */
export function proxyApplies(dataset: DatasetConfig['dataset']): boolean {
  return dataset === 'shapes' || dataset === 'cifar10';
}

async function readHeldOutCifar(
  source: CifarFileSource,
  classes: readonly number[],
  options: LoadOptions,
): Promise<ImageSet> {
  const names = await source.list();
  const testName = names.find((name) => baseName(name) === TEST_BATCH);
  let batch: CifarBatch | undefined;
  if (testName !== undefined) {
    options.onProgress?.(`reading ${testName}`);
    batch = parseCifarBatch(await source.read(testName), testName);
  } else {
    const archive = names.find(isCifarArchiveName);
    if (archive !== undefined) {
      options.onProgress?.(`reading ${TEST_BATCH} from ${archive}`);
      batch = unpackCifarArchive(await source.read(archive), archive).find((b) => baseName(b.fileName) === TEST_BATCH);
    }
  }
  if (!batch) {
    throw new DataFileError(
      source.description ?? 'CIFAR-10',
      'not-found',
      `the proxy net needs ${TEST_BATCH} (the held-out split) beside the training batches`,
    );
  }
  return selectCifarSubset([batch], classes, batch.count).set;
}

function sameImage(a: ImageSet, i: number, b: ImageSet, j: number): boolean {
  const x = a.pixels.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
  const y = b.pixels.subarray(j * IMAGE_BYTES, (j + 1) * IMAGE_BYTES);
  for (let k = 0; k < IMAGE_BYTES; k++) if (x[k] !== y[k]) return false;
  return a.labels[i] === b.labels[j];
}

/**
 * The held-out images the training split does not hold. A subset larger than the data batches'
 * images of the chosen classes goes on into test_batch.bin (the loader reads files in order), so the
 * training split then ends with the first k in-class test images; those k are dropped here.
 */
export function withoutTrainingImages(heldOut: ImageSet, train: ImageSet): ImageSet {
  if (heldOut.count === 0 || train.count === 0) return heldOut;
  let start = -1;
  for (let i = Math.max(0, train.count - heldOut.count); i < train.count; i++) {
    if (sameImage(train, i, heldOut, 0)) {
      start = i;
      break;
    }
  }
  if (start < 0) return heldOut;
  const k = train.count - start;
  // a coincidence, not the tail
  for (let j = 0; j < k; j++) if (!sameImage(train, start + j, heldOut, j)) return heldOut;
  return {
    ...heldOut,
    name: `${heldOut.name}, less the ${k} the training subset uses`,
    count: heldOut.count - k,
    pixels: heldOut.pixels.slice(k * IMAGE_BYTES),
    labels: heldOut.labels.slice(k),
  };
}

/** Loads the training and held-out splits for the proxy of a run's data (images only). */
export async function loadProxySplits(
  config: DatasetConfig,
  source: CifarFileSource | undefined,
  options: LoadOptions = {},
): Promise<ProxySplits> {
  if (!proxyApplies(config.dataset))
    throw new Error(`proxies are for image data; ${config.dataset} is counted exactly by mode instead`);
  const classIds = [...new Set(config.classes)].sort((a, b) => a - b);
  if (classIds.length < 2)
    throw new Error('the proxy net needs at least two classes (a classifier of one class says nothing)');
  // Loaded with the sorted list the data key names, so one key always means the same images.
  const loaded = await loadDataset({ ...config, classes: classIds }, source, options);
  if (isPointSet(loaded.set)) throw new Error(`proxies are for image data; ${loaded.set.name} holds points`);
  const train = loaded.set;
  if (config.dataset === 'shapes') {
    options.onProgress?.(`drawing ${HELD_OUT_SHAPES} held-out shapes`);
    return {
      train,
      heldOut: makeShapesDataset({ seed: deriveSeed(config.seed, 77), count: HELD_OUT_SHAPES, classes: classIds }),
      dataKey: dataKeyString({ dataset: 'shapes', classes: classIds, subset: train.count, seed: config.seed }),
      classIds,
      classNames: classIds.map((id) => SHAPE_CLASS_NAMES[id]),
      shortfall: loaded.shortfall,
    };
  }
  if (!source) throw new Error('CIFAR-10 has no source');
  const heldOut = withoutTrainingImages(await readHeldOutCifar(source, classIds, options), train);
  if (heldOut.count < 4) {
    throw new Error(
      `subset ${train.count} uses nearly all of test_batch.bin's images of these classes, which ` +
        `leaves none held out for the proxy net; use a smaller subset`,
    );
  }
  return {
    train,
    heldOut,
    dataKey: dataKeyString({ dataset: 'cifar10', classes: classIds, subset: train.count }),
    classIds,
    classNames: classIds.map((id) => CIFAR10_CLASS_NAMES[id]),
    shortfall: loaded.shortfall,
  };
}

/** The evaluation size actually used: N, capped by both splits (FID/KID need N images on each side). */
export function effectiveEvaluationSize(requested: number, splits: Pick<ProxySplits, 'train' | 'heldOut'>): number {
  return Math.max(4, Math.min(requested, splits.train.count, splits.heldOut.count));
}

// The two image sets a proxy net needs for one run's data: the training split it learns from (the
// very images the GAN trains on: same data set, classes, subset and seed) and a held-out split it
// is tested on and that gives the real-data references.
// - cifar10: the run's subset of data_batch_*.bin, and test_batch.bin restricted to the run's classes;
// - shapes: the run's drawn shapes, and HELD_OUT_SHAPES more drawn from a seed derived from the run's.
import { DatasetConfig, loadDataset, type CifarFileSource, type LoadOptions } from '../data/load-dataset';
import { baseName, CIFAR10_CLASS_NAMES, DataFileError, isCifarArchiveName, parseCifarBatch, selectCifarSubset, unpackCifarArchive, type CifarBatch } from '../data/cifar10-reader';
import { deriveSeed } from '../data/seeded-random';
import { makeShapesDataset, SHAPE_CLASS_NAMES } from '../data/shapes-dataset';
import { isPointSet, type ImageSet } from '../data/types';
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

async function readHeldOutCifar(source: CifarFileSource, classes: readonly number[], options: LoadOptions): Promise<ImageSet> {
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
    throw new DataFileError(source.description ?? 'CIFAR-10', 'not-found', `the proxy net needs ${TEST_BATCH} (the held-out split) beside the training batches`);
  }
  return selectCifarSubset([batch], classes, batch.count).set;
}

/** Loads the training and held-out splits for the proxy of a run's data (images only). */
export async function loadProxySplits(config: DatasetConfig, source: CifarFileSource | undefined, options: LoadOptions = {}): Promise<ProxySplits> {
  if (!proxyApplies(config.dataset)) throw new Error(`proxies are for image data; ${config.dataset} is counted exactly by mode instead`);
  const classIds = [...new Set(config.classes)].sort((a, b) => a - b);
  if (classIds.length < 2) throw new Error('the proxy net needs at least two classes (a classifier of one class says nothing)');
  const loaded = await loadDataset(config, source, options);
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
  return {
    train,
    heldOut: await readHeldOutCifar(source, classIds, options),
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

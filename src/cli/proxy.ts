// `npx tsx src/cli/proxy.ts --data ../shared/data/cifar-10-batches-bin [--recipe default|tiny]
//   [--classes 0,1,...] [--subset N] [--epochs E] [--n 500] [--out proxy.bin] [--report report.json]
//   [--backend auto|webgpu|cpu] [--generator '<query string>'] [--dataset cifar10|shapes]`
//
// Trains the proxy net (src/core/proxy/) in Node on the training batches (data_batch_*.bin), then
// prints its accuracy on test_batch.bin, the training time, the real-data references at N (IS of
// held-out images, FID/KID proxies of training vs held-out images) and the time of one evaluation of
// N images. The N images are held-out real images (a subset disjoint from the reference's), and with
// --generator also N samples of an untrained generator built from that config (GanTrainer has no API
// that returns N images, so the CLI builds the same seeded Generator the trainer would).
//
// Backend: --backend auto uses WebGPU through Dawn when it finds a hardware GPU, and the cpu backend
// when there is none or only a software Vulkan driver (SwiftShader, lavapipe), which train this net
// several times slower than tfjs's cpu backend here.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeConfig } from '../core/config/url-codec';
import {
  CIFAR10_CLASS_NAMES,
  baseName,
  parseCifarBatch,
  selectCifarSubset,
  type CifarBatch,
} from '../core/data/cifar10-reader';
import { nodeCifarSource } from '../core/data/node-cifar-source';
import { deriveSeed, SeededRandom } from '../core/data/seeded-random';
import { makeShapesDataset, SHAPE_CLASS_NAMES } from '../core/data/shapes-dataset';
import { IMAGE_BYTES, IMAGE_SHAPE, type ImageSet } from '../core/data/types';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { architectureFor } from '../core/models/architecture';
import { Generator } from '../core/models/generator';
import { imagesToUnitFloats } from '../core/proxy/proxy-images';
import { ProxyNet } from '../core/proxy/proxy-net';
import { dataKeyString, PROXY_RECIPES, recipeKey, type ProxyRecipe } from '../core/proxy/proxy-recipe';
import {
  evaluateImages,
  PROXY_CAVEAT,
  realReference,
  type RealReference,
  type SampleQuality,
} from '../core/proxy/sample-quality';
import { errorText } from '../core/error-text';

const USAGE =
  'usage: npx tsx src/cli/proxy.ts --data DIR [--recipe default|tiny] [--classes 0,1,...] [--subset N] [--epochs E] ' +
  '[--n 500] [--out proxy.bin] [--report report.json] [--backend auto|webgpu|cpu] [--generator ' +
  "'<query string>'] [--dataset cifar10|shapes]";

class UsageError extends Error {}

function log(message: string): void {
  console.error(message);
}

function positiveInteger(value: string | undefined, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${value}`);
  return n;
}

function parseClasses(value: string | undefined): number[] {
  if (value === undefined || value === '') return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const ids = value.split(',').map((part) => Number(part.trim()));
  for (const id of ids)
    if (!Number.isInteger(id) || id < 0 || id > 9)
      throw new UsageError(`--classes must be a comma list of ids 0-9, got ${value}`);
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length < 2)
    throw new UsageError('--classes needs at least two classes (a classifier of one class says nothing)');
  return unique;
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe/i;

/** Picks the backend; returns its name and, when it is not what was asked for, why. */
async function chooseBackend(choice: string): Promise<{ backend: string; notice: string | null }> {
  if (choice === 'cpu') {
    await tf.setBackend('cpu');
    return { backend: 'cpu', notice: null };
  }
  if (choice !== 'auto' && choice !== 'webgpu')
    throw new UsageError(`--backend must be auto, webgpu or cpu, got ${choice}`);
  let active = false;
  try {
    active = await initNodeWebGPU();
  } catch (error) {
    if (choice === 'webgpu') throw error;
  }
  if (active && choice === 'auto') {
    const adapter = await navigator.gpu?.requestAdapter();
    const info = adapter?.info;
    const described = info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : '';
    if (info && SOFTWARE_ADAPTER.test(`${info.architecture} ${info.description} ${info.device}`)) {
      await tf.setBackend('cpu');
      return {
        backend: 'cpu',
        notice:
          `WebGPU runs on a software driver here (${described}); using the faster cpu backend ` +
          `(pass --backend webgpu to insist)`,
      };
    }
  }
  if (active) return { backend: 'webgpu', notice: null };
  if (choice === 'webgpu') throw new Error('--backend webgpu: WebGPU did not start through Dawn (no adapter)');
  await tf.setBackend('cpu');
  return { backend: 'cpu', notice: 'WebGPU is not available; training on the cpu backend (much slower)' };
}

interface SplitData {
  train: ImageSet;
  test: ImageSet;
  dataKey: string;
  classNames: string[];
}

async function loadCifarSplits(dir: string, classes: number[], subset: number | undefined): Promise<SplitData> {
  const source = nodeCifarSource(dir);
  const names = await source.list();
  const trainNames = names.filter((name) => /^data_batch_[1-5]\.bin$/.test(baseName(name))).sort();
  const testName = names.find((name) => baseName(name) === 'test_batch.bin');
  if (trainNames.length === 0) throw new Error(`${dir}: no data_batch_1.bin ... data_batch_5.bin (the training split)`);
  if (testName === undefined) throw new Error(`${dir}: no test_batch.bin (the held-out split)`);
  const trainBatches: CifarBatch[] = [];
  for (const name of trainNames) {
    log(`reading ${name}`);
    trainBatches.push(parseCifarBatch(await source.read(name), name));
  }
  log(`reading ${testName}`);
  const testBatch = parseCifarBatch(await source.read(testName), testName);
  const trainSubset = selectCifarSubset(trainBatches, classes, subset ?? 60000);
  if (subset !== undefined && trainSubset.shortfall) log(`note: ${trainSubset.shortfall}`);
  const test = selectCifarSubset([testBatch], classes, 60000).set;
  return {
    train: trainSubset.set,
    test,
    dataKey: dataKeyString({ dataset: 'cifar10', classes, subset: trainSubset.set.count }),
    classNames: classes.map((id) => CIFAR10_CLASS_NAMES[id]),
  };
}

function loadShapesSplits(classes: number[], subset: number | undefined): SplitData {
  const count = subset ?? 5000;
  return {
    train: makeShapesDataset({ seed: 1, count, classes }),
    test: makeShapesDataset({ seed: 2, count: 2000, classes }),
    dataKey: dataKeyString({ dataset: 'shapes', classes, subset: count, seed: 1 }),
    classNames: classes.map((id) => SHAPE_CLASS_NAMES[id]),
  };
}

/** N held-out images not in the reference's held-out subset (when the split has 2N), as [-1, 1] floats. */
function heldOutSamples(test: ImageSet, reference: RealReference, n: number): { images: Float32Array; note: string } {
  const used = new Set(reference.heldOut.indices);
  let pool = Array.from({ length: test.count }, (_, i) => i).filter((i) => !used.has(i));
  let note = `${n} held-out real images disjoint from the reference's`;
  if (pool.length < n) {
    pool = Array.from({ length: test.count }, (_, i) => i);
    note = `${n} held-out real images (the split is too small to keep them disjoint from the reference's)`;
  }
  const order = Int32Array.from(pool);
  new SeededRandom(deriveSeed(reference.seed, 73)).shuffle(order);
  return { images: imagesToUnitFloats(test, order.subarray(0, n)), note };
}

/** N images from an untrained generator of this config, in batches, as [-1, 1] floats. */
async function generatorSamples(
  query: string,
  n: number,
): Promise<{ images: Float32Array; note: string; seconds: number }> {
  const { config, errors } = decodeConfig(query);
  for (const message of errors) log(`generator config: ${message}`);
  const arch = architectureFor(config.arch, IMAGE_SHAPE);
  const started = performance.now();
  const generator = new Generator(arch, config.gch, config.zdim, config.seed, IMAGE_SHAPE);
  const images = new Float32Array(n * IMAGE_BYTES);
  try {
    const batch = 50;
    for (let start = 0; start < n; start += batch) {
      const size = Math.min(batch, n - start);
      const out = tf.tidy(() =>
        generator.apply(
          tf.randomNormal([size, config.zdim], 0, 1, 'float32', deriveSeed(config.seed, 900 + start)) as tf.Tensor2D,
        ),
      );
      images.set((await out.data()) as Float32Array, start * IMAGE_BYTES);
      out.dispose();
    }
  } finally {
    generator.dispose();
  }
  return {
    images,
    note:
      `${n} samples of an untrained ${arch} generator (gch=${config.gch}, zdim=${config.zdim}, ` +
      `seed=${config.seed})`,
    seconds: (performance.now() - started) / 1000,
  };
}

function formatQuality(q: SampleQuality): string {
  return (
    `IS proxy ${q.isProxy.toFixed(3)} (H(p(y)) ${q.marginalEntropy.toFixed(3)}, E H(p(y|x)) ` +
    `${q.meanConditionalEntropy.toFixed(3)}), ` +
    `FID proxy ${q.fidProxy.toFixed(3)}, KID proxy ${q.kidProxy.mean.toFixed(4)} ± ${q.kidProxy.std.toFixed(4)}, ` +
    `classes covered ${q.classCoverage.classesCovered}/${q.classCoverage.classCount}, ${q.seconds.toFixed(2)} s`
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: 'public/data/cifar-10-batches-bin' },
      dataset: { type: 'string', default: 'cifar10' },
      recipe: { type: 'string', default: 'default' },
      classes: { type: 'string' },
      subset: { type: 'string' },
      epochs: { type: 'string' },
      n: { type: 'string', default: '500' },
      out: { type: 'string' },
      report: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      generator: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const baseRecipe = PROXY_RECIPES[values.recipe ?? 'default'];
  if (!baseRecipe)
    throw new UsageError(`--recipe must be ${Object.keys(PROXY_RECIPES).join(' or ')}, got ${values.recipe}`);
  const epochs = positiveInteger(values.epochs, 'epochs', undefined);
  const recipe: ProxyRecipe = epochs === undefined ? baseRecipe : { ...baseRecipe, epochs };
  const classes = parseClasses(values.classes);
  const subset = positiveInteger(values.subset, 'subset', undefined);
  const n = positiveInteger(values.n, 'n', 500) ?? 500;
  if (values.dataset !== 'cifar10' && values.dataset !== 'shapes')
    throw new UsageError(`--dataset must be cifar10 or shapes, got ${values.dataset}`);

  const { backend, notice } = await chooseBackend(values.backend ?? 'auto');
  if (notice) log(`backend: ${notice}`);
  log(`backend: ${backend}`);

  const data =
    values.dataset === 'shapes'
      ? loadShapesSplits(classes, subset)
      : await loadCifarSplits(values.data ?? '', classes, subset);
  log(
    `training split: ${data.train.count} images (${data.train.name}); held-out split: ` +
      `${data.test.count} images (${data.test.name})`,
  );

  const net = ProxyNet.create(recipe, classes.length, recipe.seed, {
    classIds: classes,
    classNames: data.classNames,
    dataKey: data.dataKey,
  });
  log(
    `proxy ${recipeKey(recipe, data.dataKey)}: ${net.parameterCount()} parameters, ` +
      `${recipe.featureDimension}-d features`,
  );

  let lastPrinted = -Infinity;
  const training = await net.trainEpochs(data.train, {
    yieldEvery: 10,
    onProgress: (p) => {
      if (p.seconds - lastPrinted >= 10 || p.step === p.steps) {
        lastPrinted = p.seconds;
        log(
          `epoch ${p.epoch + 1}/${recipe.epochs}  step ${p.step}/${p.steps}  loss ` +
            `${p.loss.toFixed(4)}  ${p.seconds.toFixed(1)} s`,
        );
      }
    },
  });
  log(`trained ${training.epochs} epochs (${training.steps} steps) in ${training.seconds.toFixed(1)} s`);

  const started = performance.now();
  const accuracy = await net.accuracy(data.test);
  const accuracySeconds = (performance.now() - started) / 1000;
  log(
    `test accuracy ${(accuracy * 100).toFixed(2)}% on ${data.test.count} held-out images (chance ` +
      `${(100 / classes.length).toFixed(1)}%; ${accuracySeconds.toFixed(1)} s)`,
  );

  if (values.out) {
    const buffer = await net.serialize();
    writeFileSync(values.out, new Uint8Array(buffer));
    log(`wrote ${values.out} (${buffer.byteLength} bytes)`);
  }

  const reference = await realReference(net, data.train, data.test, { n });
  log(
    `real-data references at N=${n} (${reference.seconds.toFixed(2)} s): ` +
      `IS proxy held-out ${reference.heldOut.inceptionScore.score.toFixed(3)} (training subset ` +
      `${reference.train.inceptionScore.score.toFixed(3)}), ` +
      `FID proxy train vs held-out ${reference.fidTrainVsHeldOut.toFixed(3)}, ` +
      `KID proxy train vs held-out ${reference.kidTrainVsHeldOut.mean.toFixed(4)} ± ` +
      `${reference.kidTrainVsHeldOut.std.toFixed(4)} ` +
      `(${reference.kidSubsets} subsets of ${reference.kidSubsetSize})`,
  );

  const evaluations: { samples: string; generationSeconds: number | null; quality: SampleQuality }[] = [];
  const real = heldOutSamples(data.test, reference, n);
  if (real.images.length === n * IMAGE_BYTES) {
    const quality = await evaluateImages(net, real.images, n, reference);
    log(`evaluation of ${real.note}: ${formatQuality(quality)}`);
    evaluations.push({ samples: real.note, generationSeconds: null, quality });
  }
  if (values.generator !== undefined) {
    const generated = await generatorSamples(values.generator, n);
    log(`generated ${generated.note} in ${generated.seconds.toFixed(2)} s`);
    const quality = await evaluateImages(net, generated.images, n, reference);
    log(`evaluation of ${generated.note}: ${formatQuality(quality)}`);
    evaluations.push({ samples: generated.note, generationSeconds: generated.seconds, quality });
  } else {
    log('(no --generator: evaluation timed on held-out real images only)');
  }
  log(PROXY_CAVEAT);

  if (values.report) {
    const summary = {
      key: net.key,
      backend,
      parameters: net.parameterCount(),
      trainImages: data.train.count,
      testImages: data.test.count,
      training,
      accuracy,
      accuracySeconds,
      n,
      reference: {
        seconds: reference.seconds,
        isHeldOut: reference.heldOut.inceptionScore,
        isTrain: reference.train.inceptionScore,
        fidTrainVsHeldOut: reference.fidTrainVsHeldOut,
        kidTrainVsHeldOut: reference.kidTrainVsHeldOut,
        kidSubsets: reference.kidSubsets,
        kidSubsetSize: reference.kidSubsetSize,
        heldOutClassesCovered: reference.heldOut.coverage.classesCovered,
      },
      evaluations,
      caveat: PROXY_CAVEAT,
    };
    writeFileSync(values.report, JSON.stringify(summary, null, 2));
    log(`wrote ${values.report}`);
  }
  net.dispose();
  releaseNodeWebGPU();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);

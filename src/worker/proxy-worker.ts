// The proxy worker: trains the proxy net for the run's data on its own tfjs backend (the GPU where
// there is one), keeps it in the browser's cache, and, from copies of the run's G, generates the
// evaluation images and scores them against the real-data references, all off the page's thread and
// off the training worker's (which only reads G's weights back). One lock serializes the work;
// a newer 'prepare' makes any training in progress stop at its next step.
import { selectBackend } from '../core/train/select-backend';
import type { BackendChoice } from '../core/config/schema';
import type { DatasetConfig } from '../core/data/load-dataset';
import { effectiveEvaluationSize, loadProxySplits, proxyApplies, type ProxySplits } from '../core/proxy/proxy-data';
import { ProxyNet } from '../core/proxy/proxy-net';
import { PROXY_RECIPES, recipeKey, type ProxyRecipe } from '../core/proxy/proxy-recipe';
import { evaluateImages, realReference, type RealReference } from '../core/proxy/sample-quality';
import { summarizeReference } from '../core/proxy/reference-summary';
import { generateEvaluationImages } from '../core/train/evaluation-images';
import { DatasetCache } from './dataset-cache';
import { watchDeviceLoss } from './device-loss';
import { readCachedProxy } from './proxy-cache';
import { GeneratorCache, importedNet, keepInCache, netFromCache, proxyInfoOf } from './proxy-nets';
import {
  referenceKeyOf,
  type PageToProxy,
  type ProxyErrorSource,
  type ProxyInfo,
  type ProxyPhase,
  type ProxyToPage,
  type ProxyTrainingProgress,
} from './proxy-protocol';
import { errorText } from '../core/error-text';
import { createTaskLock } from '../core/task-lock';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: ProxyToPage, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function setPhase(
  phase: ProxyPhase,
  detail: string | null = null,
  progress: ProxyTrainingProgress | null = null,
): void {
  post({ type: 'status', phase, detail, progress });
}

function fail(source: ProxyErrorSource, message: string): void {
  post({ type: 'error', source, message });
}

/** Progress reports at most this often (the page re-renders on each). */
const PROGRESS_INTERVAL_MS = 250;

interface Prepared {
  /** What the splits were loaded for (a change reloads them). */
  dataId: string;
  splits: ProxySplits;
  recipe: ProxyRecipe;
  key: string;
  requestedN: number;
  /**
   * The run's backend choice, started only when a net is needed (a page that never scores needs no second GPU
   * device).
   */
  backend: BackendChoice;
}

interface Ready {
  net: ProxyNet;
  info: ProxyInfo;
  reference: RealReference;
  referenceKey: string;
}

let backendChoice: BackendChoice | null = null;
let backendName = 'unknown';
let deviceLost = false;
let prepared: Prepared | null = null;
/** The proxy of prepared.key, once trained, loaded or imported (reference at prepared.requestedN, capped). */
let ready: Ready | null = null;
/** Bumped by every prepare: long work started under an older value stops. */
let generation = 0;
const datasets = new DatasetCache();

const withLock = createTaskLock();
const generators = new GeneratorCache();

/** Starts the prepared backend if needed; false (with a message) when none starts. */
async function backendReady(): Promise<boolean> {
  try {
    await ensureBackend(prepared!.backend);
    return true;
  } catch (error) {
    setPhase('failed', 'no tfjs backend');
    fail('backend', `The proxy worker could not start a tfjs backend: ${errorText(error)}`);
    return false;
  }
}

async function ensureBackend(choice: BackendChoice): Promise<void> {
  if (backendChoice === choice) return;
  const selection = await selectBackend(choice);
  backendChoice = choice;
  backendName = selection.backend;
  if (selection.backend === 'webgpu') {
    watchDeviceLoss((reason) => {
      deviceLost = true;
      ready = null;
      generation++;
      setPhase('failed', 'the GPU device was lost');
      fail(
        'device',
        `The proxy worker's GPU device was lost (${reason}); reload the page to score samples again ` +
          `(the trained proxy is cached).`,
      );
    });
  }
}

function dataIdOf(data: DatasetConfig): string {
  const seed = data.dataset === 'shapes' ? data.seed : null;
  const upload = data.dataset === 'cifar10' ? datasets.uploadGeneration : 0;
  return JSON.stringify([data.dataset, [...data.classes].sort((a, b) => a - b), data.subset, seed, upload]);
}

function dropReady(): void {
  ready?.net.dispose();
  ready = null;
}

async function prepare(message: Extract<PageToProxy, { type: 'prepare' }>): Promise<void> {
  const mine = ++generation;
  await withLock(async () => {
    if (mine !== generation || deviceLost) return;
    if (!proxyApplies(message.data.dataset)) {
      clearAll(`${message.data.dataset} is 2-D data: modes are counted exactly instead`);
      return;
    }
    const dataId = dataIdOf(message.data);
    if (prepared?.dataId !== dataId) {
      dropReady();
      prepared = null;
      setPhase('loading-data', 'loading the training and held-out splits');
      try {
        const splits = await loadProxySplits(message.data, datasets.source, {
          onProgress: (detail) => setPhase('loading-data', detail),
        });
        prepared = {
          dataId,
          splits,
          recipe: PROXY_RECIPES.default,
          key: '',
          requestedN: message.n,
          backend: message.backend,
        };
      } catch (error) {
        // Said on the panel, not in the banner: the training worker reports data problems there, and
        // a missing test_batch.bin only matters to sample quality.
        setPhase('failed', `its data could not be loaded: ${errorText(error)}`);
        return;
      }
    }
    if (!prepared) return;
    const recipe = PROXY_RECIPES[message.recipe];
    const key = recipeKey(recipe, prepared.splits.dataKey);
    prepared = { ...prepared, recipe, key, requestedN: message.n, backend: message.backend };
    if (ready && ready.info.key !== key) dropReady();
    if (ready) {
      // Same proxy: only N may have changed.
      if (ready.reference.n !== effectiveEvaluationSize(message.n, prepared.splits))
        await publishReady(ready.net, ready.info);
      else post({ type: 'proxy-ready', proxy: ready.info, reference: summarizeReference(ready.reference, message.n) });
      return;
    }
    const cached = await readCachedProxy(key).catch((error: unknown) => {
      fail('cache', `The browser's proxy cache could not be read (${errorText(error)}); the proxy will be trained.`);
      return null;
    });
    if (mine !== generation) return;
    if (cached && (await backendReady())) {
      try {
        const net = netFromCache(cached, key);
        if (net) {
          const source = cached.origin === 'imported' ? 'imported' : 'cache';
          await publishReady(net, infoOf(net, source, cached.trainSeconds, cached.origin));
          return;
        }
      } catch (error) {
        fail('cache', `The cached proxy net could not be read (${errorText(error)}); it will be trained again.`);
      }
    }
    setPhase('untrained', 'no proxy net for this data and recipe in this browser yet');
  });
}

function clearAll(reason: string): void {
  dropReady();
  prepared = null;
  setPhase('idle', reason);
}

function infoOf(net: ProxyNet, source: ProxyInfo['source'], trainSeconds: number | null, origin: string): ProxyInfo {
  return proxyInfoOf(net, prepared!.splits, source, trainSeconds, origin);
}

/** Computes the references at the prepared N for `net`, then makes it the proxy in use. */
async function publishReady(net: ProxyNet, info: ProxyInfo): Promise<void> {
  const { splits, requestedN } = prepared!;
  const n = effectiveEvaluationSize(requestedN, splits);
  setPhase('measuring', `real-data references at N = ${n}`);
  const reference = await realReference(net, splits.train, splits.heldOut, { n });
  if (ready && ready.net !== net) ready.net.dispose();
  ready = { net, info, reference, referenceKey: referenceKeyOf(info.key, n) };
  post({ type: 'proxy-ready', proxy: info, reference: summarizeReference(reference, requestedN) });
}

async function train(): Promise<void> {
  const mine = generation;
  await withLock(async () => {
    if (mine !== generation || !prepared || ready || deviceLost) return;
    if (!(await backendReady())) return;
    const { splits, recipe, key } = prepared;
    const net = ProxyNet.create(recipe, splits.classIds.length, recipe.seed, {
      classIds: splits.classIds,
      classNames: splits.classNames,
      dataKey: splits.dataKey,
    });
    let lastReport = -Infinity;
    try {
      setPhase('training', `${recipe.name} recipe on ${splits.train.count} images`);
      const result = await net.trainEpochs(splits.train, {
        shouldStop: () => mine !== generation,
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastReport < PROGRESS_INTERVAL_MS && p.step !== p.steps) return;
          lastReport = now;
          setPhase('training', `${recipe.name} recipe on ${splits.train.count} images`, {
            epoch: p.epoch,
            epochs: recipe.epochs,
            step: p.step,
            steps: p.steps,
            loss: p.loss,
            seconds: p.seconds,
          });
        },
      });
      if (result.stopped || mine !== generation) {
        net.dispose();
        return;
      }
      setPhase('measuring', `test accuracy on ${splits.heldOut.count} held-out images`);
      await net.accuracy(splits.heldOut);
      await keepInCache(key, await net.serialize(), result.seconds, backendName, (reason) =>
        fail(
          'cache',
          `The trained proxy net could not be kept in this browser (${reason}); it will be trained ` +
            `again after a reload.`,
        ),
      );
      await publishReady(net, infoOf(net, 'trained', result.seconds, backendName));
    } catch (error) {
      net.dispose();
      setPhase('failed', 'training failed');
      fail('training', `The proxy net could not be trained: ${errorText(error)}`);
    }
  });
}

async function evaluate(message: Extract<PageToProxy, { type: 'evaluate' }>): Promise<void> {
  await withLock(async () => {
    const skip = (reason: string) =>
      post({ type: 'evaluation-skipped', runId: message.runId, iteration: message.iteration, reason });
    if (!ready) return skip('no proxy net is ready'); // it changed while the weights were on their way
    try {
      let started = performance.now();
      const g = generators.generatorFor(message.generator);
      g.loadWeights(message.weights);
      const n = ready.reference.n;
      const images = await generateEvaluationImages(g, message.generator.seed, n);
      const generationSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      const quality = await evaluateImages(ready.net, images, n, ready.reference);
      post({
        type: 'evaluation',
        runId: message.runId,
        iteration: message.iteration,
        quality,
        readBackSeconds: message.readBackSeconds,
        generationSeconds,
        proxySeconds: (performance.now() - started) / 1000,
        referenceKey: ready.referenceKey,
      });
    } catch (error) {
      skip(errorText(error));
      fail(
        'evaluation',
        `Generated samples at iteration ${message.iteration} could not be scored: ${errorText(error)}`,
      );
    }
  });
}

async function exportProxy(): Promise<void> {
  await withLock(async () => {
    if (!ready) {
      fail('export', 'There is no proxy net to export yet.');
      return;
    }
    try {
      const bytes = await ready.net.serialize();
      const dataset = prepared?.splits.dataKey.split('|')[0] ?? 'data';
      post({ type: 'exported', bytes, fileName: `proxy-${ready.info.recipeName}-${dataset}.sgproxy` }, [bytes]);
    } catch (error) {
      fail('export', `The proxy net could not be exported: ${errorText(error)}`);
    }
  });
}

async function importProxy(message: Extract<PageToProxy, { type: 'import' }>): Promise<void> {
  await withLock(async () => {
    if (!prepared) {
      fail('import', `${message.fileName}: there is no image data set to use a proxy net with yet.`);
      return;
    }
    if (!(await backendReady())) return;
    const net = importedNet(message.bytes, message.fileName, prepared.key);
    if (typeof net === 'string') {
      fail('import', net);
      return;
    }
    try {
      // Measured here, on this browser's held-out split, rather than trusted from the file.
      setPhase('measuring', `test accuracy of ${message.fileName}`);
      await net.accuracy(prepared.splits.heldOut);
      // Kept with the accuracy measured here.
      await keepInCache(prepared.key, await net.serialize(), null, 'imported', (reason) =>
        fail('cache', `The imported proxy net could not be kept in this browser (${reason}).`),
      );
      await publishReady(net, infoOf(net, 'imported', null, 'imported'));
    } catch (error) {
      net.dispose();
      setPhase(ready ? 'ready' : 'untrained');
      fail('import', `${message.fileName} could not be used: ${errorText(error)}`);
    }
  });
}

/** The last 'prepare', re-run when dropped files replace the CIFAR-10 source. */
let lastPrepare: Extract<PageToProxy, { type: 'prepare' }> | null = null;

async function loadFiles(files: File[]): Promise<void> {
  // The training worker reports problems with the files; here a bad drop just keeps the old source.
  const accepted = await withLock(() =>
    datasets.addDroppedFiles(files).then(
      () => true,
      () => false,
    ),
  );
  if (accepted && lastPrepare?.data.dataset === 'cifar10') await prepare(lastPrepare);
}

scope.onmessage = (event: MessageEvent<PageToProxy>) => {
  const message = event.data;
  switch (message.type) {
    case 'prepare':
      lastPrepare = message;
      void prepare(message);
      break;
    case 'train':
      void train();
      break;
    case 'evaluate':
      void evaluate(message);
      break;
    case 'export':
      void exportProxy();
      break;
    case 'import':
      void importProxy(message);
      break;
    case 'load-files':
      void loadFiles(message.files);
      break;
  }
};

scope.addEventListener('unhandledrejection', (event) => {
  fail('evaluation', `Unexpected error in the proxy worker: ${errorText(event.reason)}`);
});

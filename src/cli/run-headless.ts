// The headless training loop behind `npm run headless`: importable by tests, no process handling. A
// TrainingSession drives the run as in the page's worker; its sink collects the result.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { GanConfig } from '../core/config/schema';
import { encodeConfig } from '../core/config/url-codec';
import { loadDataset } from '../core/data/load-dataset';
import { nodeCifarSource } from '../core/data/node-cifar-source';
import { GanTrainer } from '../core/train/gan-trainer';
import type { MetricsPoint } from '../core/train/types';
import { METRICS_FORMAT, METRICS_VERSION, type MetricsRecord } from '../core/runs/metrics-record';
import { SpectrumObserver } from '../core/metrics/spectrum-snapshot';
import type { SpectrumSnapshot } from '../core/metrics/types';
import { effectiveEvaluationSize, loadProxySplits, proxyApplies, type ProxySplits } from '../core/proxy/proxy-data';
import { ProxyNet } from '../core/proxy/proxy-net';
import { PROXY_RECIPES, recipeKey } from '../core/proxy/proxy-recipe';
import { evaluateImages, PROXY_CAVEAT, realReference, type RealReference } from '../core/proxy/sample-quality';
import { qualityRow, type QualityRow } from '../core/proxy/sample-quality';
import { errorText } from '../core/error-text';
import { isPointSet } from '../core/data/types';
import { coveragePoint, toyModeCoverage, type CoveragePoint } from '../core/metrics/mode-coverage';
import { POINT_SAMPLE_COUNT } from '../core/train/gan-trainer';
import { TrainingSession } from '../core/train/training-session';
import { summarizeReference, type ReferenceSummary } from '../core/proxy/reference-summary';

/** The reference numbers a headless run writes, in this order (the page's proxy worker sends them all). */
const HEADLESS_REFERENCE_KEYS = [
  'n',
  'requestedN',
  'heldOutIs',
  'fidTrainVsHeldOut',
  'kidTrainVsHeldOut',
  'heldOutClassesCovered',
  'classCount',
] as const;

function pickKeys<T, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

/** The proxy net a headless run measured sample quality with, and its real-data references. */
export interface HeadlessProxy {
  /** recipeKey(recipe, data): two runs' numbers are comparable only with the same key and N. */
  key: string;
  /** The recipe name (`proxy` in the config). */
  recipe: string;
  /** Test accuracy on the held-out split, measured in this run (also for a proxy read from a file). */
  accuracy: number;
  /** Seconds its training took in this run; null when it was read from --proxy-file. */
  trainSeconds: number | null;
  source: 'trained' | 'file';
  /** --proxy-file, when one was given (read, written, or left alone because it held another proxy). */
  file: string | null;
  trainCount: number;
  heldOutCount: number;
  /** Real-data references at N (the evaluation size actually used, `proxyn` capped by both splits). */
  reference: Pick<ReferenceSummary, (typeof HEADLESS_REFERENCE_KEYS)[number]>;
  caveat: string;
}

/** One sample-quality evaluation of N generated images (the run's fixed evaluation latents). */
export interface HeadlessProxyEvaluation extends QualityRow {
  /** Seconds of this evaluation: generating the N images and scoring them. */
  seconds: number;
}

/** The metrics record (the page's JSON export has the same shape) and what only a headless run knows. */
export interface HeadlessResult extends MetricsRecord {
  source: 'headless';
  /** Seconds of training (spectra included; the proxy net's preparation and evaluations are not). */
  seconds: number;
  /** Set when training stopped early, e.g. a NaN loss. */
  stoppedBecause: string | null;
  /** The proxy net behind `proxies`; null when there are none (`proxyNote` says why). */
  proxy: HeadlessProxy | null;
  /** Sample-quality evaluations every `proxyevery` iterations from iteration 0. */
  proxies: HeadlessProxyEvaluation[];
  /** Why `proxy` is null (2-D data, proxyevery=0, a run shorter than proxyevery, data the proxy cannot use). */
  proxyNote: string | null;
}

export interface HeadlessOptions {
  /**
   * A serialized proxy net (ProxyNet.serialize): used when its key is this run's; when the file does
   * not exist, the proxy trained here is written to it. A file holding another proxy (other data or
   * recipe) or an unreadable one is left as it is, with a message, and a proxy is trained.
   */
  proxyFile?: string;
  /** Progress and notices (default: stderr). */
  log?: (message: string) => void;
}

interface ReadyProxy {
  net: ProxyNet;
  splits: ProxySplits;
  reference: RealReference;
  summary: HeadlessProxy;
}

/** Null when the run gets proxies, else why not. */
export function proxySkipReason(config: GanConfig, iterations: number): string | null {
  if (!proxyApplies(config.dataset))
    return `${config.dataset} is 2-D data: its modes are counted exactly, there are no sample-quality proxies`;
  if (config.proxyevery === 0) return 'proxyevery=0: sample-quality evaluations are off';
  if (iterations < config.proxyevery) {
    return (
      `the run (${iterations} iterations) is shorter than proxyevery=${config.proxyevery}: no ` +
      `proxy net was trained (as in the page, short runs never pay for it)`
    );
  }
  return null;
}

/** Loads or trains the run's proxy net, measures its test accuracy and the real-data references at N. */
async function prepareProxy(
  config: GanConfig,
  cifarDirectory: string,
  options: HeadlessOptions,
  log: (message: string) => void,
): Promise<ReadyProxy> {
  const recipe = PROXY_RECIPES[config.proxy];
  if (!recipe) throw new Error(`unknown proxy recipe ${JSON.stringify(config.proxy)}`);
  const splits = await loadProxySplits(config, nodeCifarSource(cifarDirectory), {
    onProgress: (detail) => log(`proxy data: ${detail}`),
  });
  const key = recipeKey(recipe, splits.dataKey);
  const file = options.proxyFile ?? null;
  let net: ProxyNet | null = null;
  let writeTo: string | null = null;
  if (file !== null) {
    if (!existsSync(file)) {
      writeTo = file;
      log(`proxy: ${file} does not exist yet; the proxy trained now is saved there`);
    } else {
      try {
        const loaded = ProxyNet.deserialize(readFileSync(file));
        if (loaded.key === key) {
          net = loaded;
          log(`proxy: read ${file} (${key})`);
        } else {
          loaded.dispose();
          log(
            `proxy: ${file} was not used: it is the proxy of "${loaded.key ?? 'unknown data'}", ` +
              `this run needs "${key}" ` +
              '(data, classes, subset and recipe must match); training one instead and leaving the file as it is',
          );
        }
      } catch (error) {
        log(`proxy: ${file} was not used: ${errorText(error)}; training one instead and leaving the file as it is`);
      }
    }
  }
  let trainSeconds: number | null = null;
  const source: HeadlessProxy['source'] = net ? 'file' : 'trained';
  if (!net) {
    net = ProxyNet.create(recipe, splits.classIds.length, recipe.seed, {
      classIds: splits.classIds,
      classNames: splits.classNames,
      dataKey: splits.dataKey,
    });
    const trainee = net;
    try {
      log(
        `proxy: training the ${recipe.name} recipe (${trainee.parameterCount()} parameters) on ` +
          `${splits.train.count} images, ${recipe.epochs} epochs`,
      );
      let lastPrinted = -Infinity;
      const result = await trainee.trainEpochs(splits.train, {
        yieldEvery: 10,
        onProgress: (p) => {
          if (p.seconds - lastPrinted < 10 && p.step !== p.steps) return;
          lastPrinted = p.seconds;
          log(
            `proxy epoch ${p.epoch + 1}/${recipe.epochs}  step ${p.step}/${p.steps}  loss ` +
              `${p.loss.toFixed(4)}  ${p.seconds.toFixed(1)} s`,
          );
        },
      });
      trainSeconds = result.seconds;
      log(`proxy: trained ${result.epochs} epochs (${result.steps} steps) in ${result.seconds.toFixed(1)} s`);
    } catch (error) {
      trainee.dispose();
      throw error;
    }
  }
  try {
    const accuracy = await net.accuracy(splits.heldOut);
    log(
      `proxy: test accuracy ${(accuracy * 100).toFixed(2)}% on ${splits.heldOut.count} held-out ` +
        `images (chance ${(100 / splits.classIds.length).toFixed(1)}%)`,
    );
    if (writeTo !== null) {
      writeFileSync(writeTo, new Uint8Array(await net.serialize()));
      log(`proxy: wrote ${writeTo}`);
    }
    const n = effectiveEvaluationSize(config.proxyn, splits);
    const reference = await realReference(net, splits.train, splits.heldOut, { n });
    const summary: HeadlessProxy = {
      key,
      recipe: recipe.name,
      accuracy,
      trainSeconds,
      source,
      file,
      trainCount: splits.train.count,
      heldOutCount: splits.heldOut.count,
      reference: pickKeys(summarizeReference(reference, config.proxyn), HEADLESS_REFERENCE_KEYS),
      caveat: PROXY_CAVEAT,
    };
    log(
      `proxy references at N=${n}: IS held-out ${summary.reference.heldOutIs.toFixed(3)}, FID train ` +
        `vs held-out ${summary.reference.fidTrainVsHeldOut.toFixed(3)}, ` +
        `KID ${summary.reference.kidTrainVsHeldOut.mean.toFixed(4)} ± ` +
        `${summary.reference.kidTrainVsHeldOut.std.toFixed(4)}`,
    );
    return { net, splits, reference, summary };
  } catch (error) {
    net.dispose();
    throw error;
  }
}

export async function runHeadless(
  config: GanConfig,
  iterations: number,
  cifarDirectory: string,
  onPoint: (point: MetricsPoint) => void = () => {},
  options: HeadlessOptions = {},
): Promise<HeadlessResult> {
  const log = options.log ?? ((message: string) => console.error(message));
  const { set, shortfall } = await loadDataset(config, nodeCifarSource(cifarDirectory));
  if (shortfall) console.error(`data: ${shortfall}`);
  const history: MetricsPoint[] = [];
  const spectra: SpectrumSnapshot[] = [];
  const proxies: HeadlessProxyEvaluation[] = [];
  // 2-D data: the page's mode count (2500 fixed-z points, 3 std) at every read-back.
  const coverage: CoveragePoint[] = [];
  const observer = new SpectrumObserver();
  let proxy: ReadyProxy | null = null;
  let proxyNote = proxySkipReason(config, iterations);
  let stoppedBecause: string | null = null;
  // The proxy's evaluations are measured on their own and left out of the training time.
  const evaluateProxy = async (trainer: GanTrainer, n: number): Promise<number> => {
    if (!proxy || stoppedBecause) return 0;
    const begun = performance.now();
    const quality = await evaluateImages(proxy.net, await trainer.generateImages(n), n, proxy.reference);
    const seconds = (performance.now() - begun) / 1000;
    const evaluation: HeadlessProxyEvaluation = { ...qualityRow(trainer.iteration, quality), seconds };
    proxies.push(evaluation);
    log(
      `proxy it ${evaluation.iteration}  IS ${evaluation.isProxy.toFixed(3)}  FID ${evaluation.fidProxy.toFixed(3)}  ` +
        `KID ${evaluation.kidMean.toFixed(4)} ± ${evaluation.kidStd.toFixed(4)}  classes ` +
        `${evaluation.classesCovered}/${evaluation.classCount}  ${seconds.toFixed(2)} s`,
    );
    return 0;
  };
  const session = new TrainingSession(GanTrainer.create(config, set), set, {
    onMetrics: (point) => {
      history.push(point);
      onPoint(point);
    },
    onDiverged: (divergence) => (stoppedBecause ??= divergence.message),
    onToyReadBack: async (trainer) => {
      if (!isPointSet(set)) return;
      const points = await trainer.samplePoints(POINT_SAMPLE_COUNT);
      coverage.push(coveragePoint(trainer.iteration, toyModeCoverage(points, set.mixture)));
    },
    onWeights: (snapshot, alarm) => spectra.push(observer.observe(snapshot, alarm)),
    onProxyDue: evaluateProxy,
  });
  try {
    if (proxyNote === null) {
      try {
        proxy = await prepareProxy(config, cifarDirectory, options, log);
        session.setProxyEvaluationSize(proxy.reference.n);
      } catch (error) {
        proxyNote = `no sample-quality proxies: ${errorText(error)}`;
        log(`proxy: ${proxyNote}`);
      }
    }
    await session.readWeightsIfDue();
    await session.copyGeneratorIfDue();
    // The last iteration always reads back, so the history ends where the run does.
    while (session.trainer.iteration < iterations && stoppedBecause === null)
      await session.iterate({ forceReadBack: session.trainer.iteration + 1 === iterations });
    const trainer = session.trainer;
    return {
      format: METRICS_FORMAT,
      version: METRICS_VERSION,
      source: 'headless',
      config,
      query: encodeConfig(config),
      info: trainer.info,
      iterations: trainer.iteration,
      seconds: session.seconds,
      history,
      spectra,
      alarms: spectra.flatMap((snapshot) => snapshot.alarms),
      stoppedBecause,
      proxy: proxy?.summary ?? null,
      proxies,
      proxyNote,
      ...(isPointSet(set) ? { coverage } : {}),
    };
  } finally {
    session.dispose();
    proxy?.net.dispose();
  }
}

// `npm run bench:dispatches -- [--config '<query>'] [--norms none,sn,...] [--repeats 3] [--top 10] [--no-profile]
//   [--json FILE]`
// GPU compute dispatches per training iteration, counted at the WebGPU API (dispatchWorkgroups) and
// attributed to the tfjs kernel that issued each, beside the iteration's time, for `none` and each
// normalization on WebGPU through Dawn. A fresh trainer per method, 2 warm-up iterations, then one
// iteration counted (trainIteration + flush); SR methods work only every `srevery` iterations, so
// they are counted over srevery iterations: the mean per iteration, and the SR-burst iteration alone.
// Times: medians of interleaved repeats, counter uninstalled. Then, unless --no-profile, one more
// iteration per method under tf.profile (GPU timestamps; it serializes the GPU, so apart from the
// counted and timed ones), counted too: the top kernels by GPU time. Part `dispatches` of `npm run bench`.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { NORMS, isToyDataset, type GanConfig, type NormName } from '../core/config/schema';
import { decodeConfig, encodeConfig } from '../core/config/url-codec';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import { makeToyDataset } from '../core/data/toy-dataset';
import type { TrainingSet } from '../core/data/types';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { GanTrainer } from '../core/train/gan-trainer';
import { configLabel } from '../bench/config-label';
import { DispatchCounter, type DispatchCount } from '../bench/dispatch-count';
import {
  cycleTimes,
  dispatchSummaryRows,
  formatAllKernelTimes,
  formatAllTopKernels,
  formatDispatchTable,
  parseNorms,
  type NormDispatches,
  type NormProfile,
} from '../bench/dispatch-table';
import { profileKernels, type KernelProfile } from '../bench/kernel-profile';
import { JSON_OUTPUT_OPTION, writePartRows } from '../bench/part-output';
import { describeWebGPUAdapter } from '../bench/webgpu-adapter';

const DEFAULT_QUERY = 'ch=4&gch=4&zdim=16&batch=4';
const WARMUP_ITERATIONS = 2;

const USAGE = `usage: npm run bench:dispatches -- [--config '<query>'] [--norms none,sn,...] [--repeats 3] [--top 10]
    [--no-profile] [--json FILE]
  --config QUERY  the run's configuration, URL form (default ${DEFAULT_QUERY}); its norm is ignored
  --norms LIST    the normalizations (default all: ${NORMS.join(',')});
                  none always comes first, as the baseline of the ratios
  --repeats N     timed repeats per method, interleaved (default 3); SR methods time whole srevery cycles
  --top N         kernels listed per method, most dispatches first, and most GPU time first (default 10)
  --profile       (the default) after the timed repeats, profile one more iteration per method with
                  tf.profile (GPU timestamps, 'timestamp-query'): its top kernels by GPU time, with
                  calls, GPU ms, share of the iteration's summed GPU ms and dispatches, and the
                  dispatches that carry no timestamp (FusedAdamStep's own pipelines)
  --no-profile    skip that iteration
  --json FILE     write the rows for \`npm run bench\` to FILE
  --help, -h      print this and exit
Each iteration is trainIteration(recordGradients = false) + flush: a read-back iteration's gradient
records (every \`every\` iterations in the app) are not counted. Needs WebGPU (Dawn in Node).`;

interface Options {
  config: GanConfig;
  norms: NormName[];
  repeats: number;
  top: number;
  profile: boolean;
  json?: string;
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} ${text}: expected a positive integer`);
  return value;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: DEFAULT_QUERY },
      norms: { type: 'string' },
      repeats: { type: 'string', default: '3' },
      top: { type: 'string', default: '10' },
      profile: { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...JSON_OUTPUT_OPTION,
    },
  });
  if (values.help) return undefined;
  if (values.profile && values['no-profile']) throw new Error('--profile and --no-profile: choose one');
  const { config, errors } = decodeConfig(values.config ?? DEFAULT_QUERY);
  if (errors.length > 0) throw new Error(`--config: ${errors.join('; ')}`);
  return {
    config,
    norms: parseNorms(values.norms),
    repeats: positiveInteger(values.repeats ?? '3', '--repeats'),
    top: positiveInteger(values.top ?? '10', '--top'),
    profile: !values['no-profile'],
    json: values.json,
  };
}

function trainingData(config: GanConfig): TrainingSet {
  return isToyDataset(config.dataset)
    ? makeToyDataset(config.dataset, config.subset)
    : makeShapesDataset({ seed: config.seed, count: Math.max(256, config.batch * 4), classes: config.classes });
}

/** One trainer per method and where its cycle's SR burst falls. */
interface Measured {
  norm: NormName;
  trainer: GanTrainer;
  /** Iterations per counted and timed block: srevery for SR methods, else 1. */
  cycle: number;
  srEvery?: number;
}

/** One whole iteration, finished on the GPU. */
async function iterate(trainer: GanTrainer): Promise<void> {
  trainer.trainIteration(false);
  await trainer.flush();
}

/** Where, in the block of iterations the trainer starts next, falls the one whose D updates run SR. */
function burstPosition(entry: Measured): number | undefined {
  if (entry.srEvery === undefined) return undefined;
  return (entry.srEvery - (entry.trainer.iteration % entry.srEvery)) % entry.srEvery;
}

async function countCycle(counter: DispatchCounter, entry: Measured): Promise<DispatchCount[]> {
  const counts: DispatchCount[] = [];
  for (let i = 0; i < entry.cycle; i++) counts.push(await counter.measure(() => iterate(entry.trainer)));
  return counts;
}

async function timeCycle(entry: Measured): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < entry.cycle; i++) {
    const started = performance.now();
    await iterate(entry.trainer);
    times.push(performance.now() - started);
  }
  return times;
}

async function measure(entries: Measured[], repeats: number): Promise<NormDispatches[]> {
  for (const entry of entries) for (let w = 0; w < WARMUP_ITERATIONS; w++) await iterate(entry.trainer);
  const counted: Array<{ counts: DispatchCount[]; burstIndex?: number }> = [];
  const counter = DispatchCounter.install();
  try {
    for (const entry of entries) {
      const burstIndex = burstPosition(entry);
      counted.push({ counts: await countCycle(counter, entry), burstIndex });
    }
  } finally {
    counter.uninstall();
  }
  // Blocks of whole cycles keep each SR method's burst at the position it was counted at.
  const samples = entries.map(() => [] as number[][]);
  for (let r = 0; r < repeats; r++) {
    for (let e = 0; e < entries.length; e++) samples[e].push(await timeCycle(entries[e]));
  }
  return entries.map((entry, e) => {
    const { counts, burstIndex } = counted[e];
    const times = cycleTimes(samples[e], burstIndex);
    return {
      norm: entry.norm,
      iterations: counts,
      burstIndex,
      msPerIteration: times.mean,
      burstMs: times.burst,
    };
  });
}

/** One more iteration per method, profiled and counted: where its GPU time goes. */
async function profileEach(entries: Measured[]): Promise<NormProfile[]> {
  const profiled: NormProfile[] = [];
  const counter = DispatchCounter.install();
  try {
    for (const entry of entries) {
      const position = burstPosition(entry);
      let profile: KernelProfile | undefined;
      const count = await counter.measure(async () => {
        profile = await profileKernels(() => iterate(entry.trainer));
      });
      if (!profile) throw new Error(`norm=${entry.norm}: tf.profile returned nothing`);
      profiled.push({ norm: entry.norm, profile, count, burst: position === undefined ? undefined : position === 0 });
    }
  } finally {
    counter.uninstall();
  }
  return profiled;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  const { config, norms, repeats, top, profile } = options;
  if (!(await initNodeWebGPU())) throw new Error('no WebGPU in Node (Dawn found no Vulkan adapter)');
  const adapter = await describeWebGPUAdapter();
  const where = `${tf.getBackend()}, Dawn in Node (${adapter.description})`;
  console.log(`backend ${where}`);
  console.log(
    `config ${encodeConfig(config)}\n${WARMUP_ITERATIONS} warm-up iterations per method, then one counted ` +
      `(SR methods: srevery=${config.srevery}), then ${repeats} timed repeats, interleaved, medians` +
      (profile ? ', then one profiled iteration per method' : ''),
  );
  const data = trainingData(config);
  const entries: Measured[] = [];
  try {
    for (const norm of norms) {
      const isSr = norm.startsWith('sr-');
      entries.push({
        norm,
        trainer: GanTrainer.create({ ...config, norm }, data),
        cycle: isSr ? config.srevery : 1,
        srEvery: isSr ? config.srevery : undefined,
      });
    }
    const rows = await measure(entries, repeats);
    console.log(`\nGPU dispatches per training iteration (trainIteration + flush):\n${formatDispatchTable(rows)}`);
    console.log(`\n${formatAllTopKernels(rows, top)}`);
    if (profile) console.log(`\n${formatAllKernelTimes(await profileEach(entries), top)}`);
    writePartRows(options.json, dispatchSummaryRows(rows, configLabel(config, ['norm']), where));
  } finally {
    entries.forEach((entry) => entry.trainer.dispose());
    releaseNodeWebGPU();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

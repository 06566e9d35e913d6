// `npm run bench:node -- [--ch 64 --gch 64 --batch 64 --repeats 20 --sr-repeats N --norms none,sn,...
//   --compare-eigen --skip-compensation --gpu --json FILE]`
// Side-by-side timings in one run on WebGPU through Dawn (a real GPU, or a software Vulkan driver):
// D step of every normalization over norm=none, each WGSL kernel over its tfjs-ops twin, SR's
// amortized cost at its schedule and one SR compensation pass per layer size. On a real GPU (or
// with --gpu) also the standard CNN's iterations per second at batch 64. Part of `npm run bench`.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { NORMS, defaultConfig, type GanConfig, type NormName } from '../core/config/schema';
import { encodeConfig } from '../core/config/url-codec';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { Discriminator } from '../core/models/discriminator';
import { overFirstCase, type SummaryRow } from '../bench/bench-summary';
import { configLabel } from '../bench/config-label';
import { benchKernelTwins } from '../bench/kernel-twins-bench';
import { JSON_OUTPUT_OPTION, writePartRows } from '../bench/part-output';
import { formatRows } from '../bench/side-by-side';
import { benchSpectralCompensation } from '../bench/sr-bench';
import { benchGramCpuEigen } from '../bench/sr-eigen-alternative';
import { benchThroughput } from '../bench/throughput-bench';
import { benchAmortizedIterations, benchDiscriminatorStep } from '../bench/training-bench';
import { describeWebGPUAdapter } from '../bench/webgpu-adapter';

const USAGE = `usage: npm run bench:node -- [--ch 64] [--gch 64] [--batch 64] [--repeats 20] [--sr-repeats N]
    [--norms none,sn,...] [--compare-eigen] [--skip-compensation] [--cpu] [--gpu] [--json FILE]
  --ch, --gch, --batch  D and G widths and the batch size (default 64 each)
  --repeats N           timed repeats per case, interleaved (default 20)
  --sr-repeats N        repeats of the SR schedule blocks (default max(3, repeats / 2))
  --norms LIST          the normalizations to time (default all of them)
  --compare-eigen       also time the CPU-eigen alternative of SR's compensation pass
  --skip-compensation   leave out SR's compensation pass per layer size
  --cpu                 the tfjs cpu backend instead of WebGPU through Dawn
  --gpu                 the paper-size throughput figure even on a software adapter
  --json FILE           write the rows for \`npm run bench\` to FILE
  --help, -h            print this and exit`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ch: { type: 'string', default: '64' },
      gch: { type: 'string', default: '64' },
      batch: { type: 'string', default: '64' },
      repeats: { type: 'string', default: '20' },
      cpu: { type: 'boolean', default: false },
      norms: { type: 'string' },
      'sr-repeats': { type: 'string' },
      'compare-eigen': { type: 'boolean', default: false },
      'skip-compensation': { type: 'boolean', default: false },
      gpu: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...JSON_OUTPUT_OPTION,
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config: GanConfig = {
    ...defaultConfig(),
    ch: Number(values.ch),
    gch: Number(values.gch),
    batch: Number(values.batch),
    norm: 'sn',
  };
  const repeats = Number(values.repeats);
  const onGpu = !values.cpu && (await initNodeWebGPU());
  // Without WebGPU the kernels have nothing to be compared on: say so rather than time the cpu.
  if (!onGpu && !values.cpu)
    throw new Error('no WebGPU in Node (Dawn found no Vulkan adapter); --cpu times the cpu backend');
  if (!onGpu) await tf.setBackend('cpu');
  const adapter = onGpu ? await describeWebGPUAdapter() : { description: 'tfjs cpu backend', software: true };
  const where = `${tf.getBackend()}, Dawn in Node (${adapter.description})`;
  const label = configLabel(config, ['norm']);
  console.log(`backend ${where}`);
  console.log(`config ${encodeConfig(config)}; ${repeats} timed repeats per case, interleaved, medians`);
  const rows: SummaryRow[] = [];

  const data = makeShapesDataset({
    seed: config.seed,
    count: Math.max(256, config.batch * 4),
    classes: config.classes,
  });
  const norms = (values.norms ?? NORMS.join(',')).split(',') as NormName[];
  // A bare D step has gIteration 0, an SR iteration: SR rows here are its worst case, every step.
  const dRows = await benchDiscriminatorStep(config, data, norms, repeats);
  console.log(formatRows('D step (each method over none; SR rows include an SR pass):', dRows));
  rows.push(...overFirstCase('D step, each method over none', label, where, dRows));
  if (onGpu) {
    for (const { kernel, rows: kernelRows } of await benchKernelTwins(config, repeats)) {
      console.log(formatRows(`${kernel} on every D layer (WGSL over twin):`, kernelRows));
      rows.push(...overFirstCase('WGSL kernel over its tfjs-ops twin, every D layer', label, where, kernelRows));
    }
  }
  const srNorms = norms.filter((n) => n === 'none' || n.startsWith('sr-'));
  if (srNorms.length > 1) {
    // Blocks of srevery whole iterations are long: fewer repeats than the single steps above.
    const srRepeats = Number(values['sr-repeats'] ?? Math.max(3, Math.ceil(repeats / 2)));
    const srRows = await benchAmortizedIterations(config, data, srNorms, config.srevery, srRepeats);
    console.log(formatRows(`SR amortized over its schedule (blocks of srevery=${config.srevery} iterations):`, srRows));
    rows.push(
      ...overFirstCase(`SR amortized over srevery=${config.srevery} iterations, over none`, label, where, srRows),
    );
  }
  if (!values['skip-compensation']) await printCompensation(config, repeats, values['compare-eigen']);
  if (onGpu && (values.gpu || !adapter.software)) rows.push(await benchThroughput(where, repeats));
  writePartRows(values.json, rows);
  releaseNodeWebGPU();
}

/** SR compensation per layer size: absolute times for the report only (no twin to divide by). */
async function printCompensation(config: GanConfig, repeats: number, compareEigen: boolean | undefined): Promise<void> {
  const discriminator = new Discriminator(config.arch, config.ch, config.seed);
  const srShapes = discriminator.layers.filter((l) => l.kind === 'conv').map((l) => l.weight.shape);
  discriminator.dispose();
  const compensationRows = await benchSpectralCompensation(srShapes, repeats);
  // The alternative SR design (Gram read back, float64 eigen-decomposition on the CPU), side by side.
  const alternativeRows = compareEigen ? await benchGramCpuEigen(srShapes, repeats) : [];
  console.log('SR compensation pass per layer size (GPU Jacobi, within an SR burst):');
  compensationRows.forEach((row, i) => {
    const alternative = alternativeRows[i] ? `   CPU-eigen alternative ${alternativeRows[i].ms.toFixed(2)} ms` : '';
    console.log(`  [${row.shape.join(',')}]`.padEnd(28) + `${row.ms.toFixed(2)} ms${alternative}`);
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

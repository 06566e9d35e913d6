// `npm run bench -- [--ch 64 --gch 64 --batch 64 --repeats 20 --norms none,sn,... --compare-eigen]`
// Side-by-side timings in one run on WebGPU through Dawn (a real GPU, or a software Vulkan driver):
// D step of every normalization over norm=none, the WGSL power iteration over its tfjs-ops twin,
// SR's amortized cost at its schedule and one SR compensation pass per layer size.
// The WebGPU-over-WebGL ratio needs a browser: `npm run bench:browser`.
import { parseArgs } from 'node:util';
import { NORMS, defaultConfig, type GanConfig, type NormName } from '../core/config/schema';
import { encodeConfig } from '../core/config/url-codec';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { formatRows } from '../bench/side-by-side';
import { benchAmortizedIterations, benchDiscriminatorStep, benchPowerIterationPerStep } from '../bench/training-bench';
import { benchSpectralCompensation } from '../bench/sr-bench';
import { benchGramCpuEigen } from '../bench/sr-eigen-alternative';
import { Discriminator } from '../core/models/discriminator';
import * as tf from '@tensorflow/tfjs';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ch: { type: 'string', default: '64' },
      gch: { type: 'string', default: '64' },
      batch: { type: 'string', default: '64' },
      repeats: { type: 'string', default: '20' },
      cpu: { type: 'boolean', default: false },
      norms: { type: 'string' },
      'compare-eigen': { type: 'boolean', default: false },
    },
  });
  const config: GanConfig = {
    ...defaultConfig(),
    ch: Number(values.ch),
    gch: Number(values.gch),
    batch: Number(values.batch),
    norm: 'sn',
  };
  const repeats = Number(values.repeats);
  const onGpu = !values.cpu && (await initNodeWebGPU());
  if (!onGpu) await tf.setBackend('cpu');
  const adapter = onGpu ? await describeAdapter() : 'tfjs cpu backend';
  console.log(`backend ${tf.getBackend()} (${adapter})`);
  console.log(`config ${encodeConfig(config)}; ${repeats} timed repeats per case, interleaved, medians`);

  const data = makeShapesDataset({ seed: config.seed, count: Math.max(256, config.batch * 4), classes: config.classes });
  const norms = (values.norms ?? NORMS.join(',')).split(',') as NormName[];
  // A bare D step has gIteration 0, an SR iteration: SR rows here are its worst case, every step.
  const dRows = await benchDiscriminatorStep(config, data, norms, repeats);
  console.log(formatRows('D step (each method over none; SR rows include an SR pass):', dRows));
  const kernelRows = await benchPowerIterationPerStep(config, repeats);
  console.log(formatRows('SN normalization work per D step (WGSL over twin):', kernelRows));
  const srNorms = norms.filter((n) => n === 'none' || n.startsWith('sr-'));
  if (srNorms.length > 1) {
    const srRows = await benchAmortizedIterations(config, data, srNorms, config.srevery, Math.max(3, Math.ceil(repeats / 2)));
    console.log(formatRows(`SR amortized over its schedule (blocks of srevery=${config.srevery} iterations):`, srRows));
  }
  const srShapes = new Discriminator(config.arch, config.ch, config.seed).layers
    .filter((l) => l.kind === 'conv')
    .map((l) => l.weight.shape);
  const compensationRows = await benchSpectralCompensation(srShapes, repeats);
  // The alternative SR design (Gram read back, float64 eigen-decomposition on the CPU), side by side.
  const alternativeRows = values['compare-eigen'] ? await benchGramCpuEigen(srShapes, repeats) : [];
  console.log('SR compensation pass per layer size (GPU Jacobi, within an SR burst):');
  compensationRows.forEach((row, i) => {
    const alternative = alternativeRows[i] ? `   CPU-eigen alternative ${alternativeRows[i].ms.toFixed(2)} ms` : '';
    console.log(`  [${row.shape.join(',')}]`.padEnd(28) + `${row.ms.toFixed(2)} ms${alternative}`);
  });
  console.log(
    `RESULT ${dRows.map((r) => `${r.name.replace('D step, norm=', '')} x${r.ratio.toFixed(3)}`).join('; ')}; WGSL/twin power iteration x${kernelRows[1].ratio.toFixed(3)}`,
  );
  releaseNodeWebGPU();
}

async function describeAdapter(): Promise<string> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  const adapter = await gpu?.requestAdapter();
  const info = adapter?.info;
  return info ? `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.trim() : 'unknown adapter';
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

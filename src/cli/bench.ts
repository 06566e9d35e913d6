// `npm run bench -- [--ch 64 --gch 64 --batch 64 --repeats 20]`
// Side-by-side timings in one run on WebGPU through Dawn (a real GPU, or a software Vulkan driver):
// D step with norm=sn over norm=none, the WGSL power iteration over its tfjs-ops twin, and the
// whole iteration. The WebGPU-over-WebGL ratio needs a browser: `npm run bench:browser`.
import { parseArgs } from 'node:util';
import { defaultConfig, type GanConfig } from '../core/config/schema';
import { encodeConfig } from '../core/config/url-codec';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { formatRows } from '../bench/side-by-side';
import { benchDiscriminatorStep, benchPowerIterationPerStep } from '../bench/training-bench';
import * as tf from '@tensorflow/tfjs';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ch: { type: 'string', default: '64' },
      gch: { type: 'string', default: '64' },
      batch: { type: 'string', default: '64' },
      repeats: { type: 'string', default: '20' },
      cpu: { type: 'boolean', default: false },
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
  const dRows = await benchDiscriminatorStep(config, data, ['none', 'sn'], repeats);
  console.log(formatRows('D step (sn over none):', dRows));
  const kernelRows = await benchPowerIterationPerStep(config, repeats);
  console.log(formatRows('SN normalization work per D step (WGSL over twin):', kernelRows));
  console.log(
    `RESULT sn/none D step ${dRows[1].ratio.toFixed(3)}; WGSL/twin power iteration ${kernelRows[1].ratio.toFixed(3)}`,
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

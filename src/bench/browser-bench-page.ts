// The page behind `npm run bench:browser`: whole iterations on WebGPU over the same iterations on
// tfjs's WebGL backend (the alternative a user already has), in alternating rounds in one page,
// plus the SN-over-none D step ratio on WebGPU. Publishes the result on window for the script.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { decodeConfig, encodeConfig } from '../core/config/url-codec';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import { overFirstCase, type SummaryRow } from './bench-summary';
import { configLabel } from './config-label';
import { benchDiscriminatorStep, benchIteration } from './training-bench';
import { formatRows, median } from './side-by-side';
import { describeWebGPUAdapter } from './webgpu-adapter';
import { errorText } from '../core/error-text';

export interface BrowserBenchResult {
  query: string;
  medianMs: { webgpu: number; webgl: number };
  webgpuOverWebgl: number;
  snOverNoneOnWebgpu: number;
  report: string;
  /** The same figures as data, for `npm run bench`'s table. */
  rows: SummaryRow[];
}

declare global {
  interface Window {
    benchResult?: BrowserBenchResult;
    benchError?: string;
  }
}

const ROUNDS = 2;

async function switchToBackend(name: 'webgpu' | 'webgl'): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} is not available in this browser`);
  await tf.ready();
}

async function run(): Promise<BrowserBenchResult> {
  const params = new URLSearchParams(location.search);
  const repeats = Number(params.get('repeats') ?? 5);
  params.delete('repeats');
  const { config, errors } = decodeConfig(params.toString());
  if (errors.length) throw new Error(errors.join('; '));
  const data = makeShapesDataset({ seed: config.seed, count: Math.max(64, config.batch * 4), classes: config.classes });
  const samples: Record<'webgpu' | 'webgl', number[]> = { webgpu: [], webgl: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const backend of ['webgpu', 'webgl'] as const) {
      await switchToBackend(backend);
      samples[backend].push(...(await benchIteration(config, data, repeats)));
    }
  }
  await switchToBackend('webgpu');
  const dRows = await benchDiscriminatorStep(config, data, ['none', 'sn'], repeats);
  const medianMs = { webgpu: median(samples.webgpu), webgl: median(samples.webgl) };
  // The user agent string gives only the major version (156.0.0.0).
  const browser = /Chrome\/(\d+)/.exec(navigator.userAgent)?.[1] ?? navigator.userAgent;
  const where = `Chromium ${browser}, webgpu (${(await describeWebGPUAdapter()).description})`;
  const label = configLabel(config);
  const rows: SummaryRow[] = [
    {
      figure: 'whole iteration, webgpu over webgl',
      configuration: label,
      where: `${where} vs webgl`,
      numerator: { label: 'iteration on webgpu', value: medianMs.webgpu, unit: 'ms' },
      denominator: { label: 'iteration on webgl', value: medianMs.webgl, unit: 'ms' },
    },
    ...overFirstCase('D step, sn over none', label, where, dRows),
  ];
  const report = [
    `config ${encodeConfig(config)}`,
    `whole iteration, ${ROUNDS} alternating rounds of ${repeats}: webgpu ` +
      `${medianMs.webgpu.toFixed(1)} ms, webgl ${medianMs.webgl.toFixed(1)} ms, webgpu/webgl ` +
      `x${(medianMs.webgpu / medianMs.webgl).toFixed(3)}`,
    formatRows('D step on webgpu (sn over none):', dRows),
  ].join('\n');
  return {
    query: encodeConfig(config),
    medianMs,
    webgpuOverWebgl: medianMs.webgpu / medianMs.webgl,
    snOverNoneOnWebgpu: dRows[1].ratio,
    report,
    rows,
  };
}

const output = document.getElementById('bench-output') as HTMLPreElement;
run().then(
  (result) => {
    output.textContent = result.report;
    window.benchResult = result;
  },
  (error: unknown) => {
    window.benchError = errorText(error);
    output.textContent = `failed: ${window.benchError}`;
  },
);

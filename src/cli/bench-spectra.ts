// `npm run bench:spectra -- [--ch 64 --repeats 5 --train-query '<query>' --every 100 --blocks 3 --cpu --json FILE]`
// The cost of exact spectra, side by side in one run: read-back and float64 decomposition of every
// layer of the standard CNN discriminator at `--ch`, then training blocks of `--every` iterations
// with and without a snapshot, at `--train-query` (small by default: software WebGPU is slow).
// Part of `npm run bench`.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig } from '../core/config/schema';
import { decodeConfig, encodeConfig } from '../core/config/url-codec';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { overFirstCase, type SummaryRow } from '../bench/bench-summary';
import { configLabel } from '../bench/config-label';
import { JSON_OUTPUT_OPTION, writePartRows } from '../bench/part-output';
import { formatRows } from '../bench/side-by-side';
import { benchSpectraCost, benchSpectraSlowdown } from '../bench/spectra-bench';

const USAGE = `usage: npm run bench:spectra -- [--ch 64] [--repeats 5] [--train-query '<query>'] [--every 100]
    [--blocks 3] [--cpu] [--json FILE]
  --ch N               D width of the exact-spectra cost (default 64)
  --repeats N          timed repeats of that cost (default 5)
  --train-query QUERY  the training run with and without snapshots (default ch=8&gch=8&zdim=32&batch=8)
  --every N            iterations per block, one snapshot each (default 100)
  --blocks N           interleaved blocks per case (default 3)
  --cpu                the tfjs cpu backend instead of WebGPU through Dawn
  --json FILE          write the rows for \`npm run bench\` to FILE
  --help, -h           print this and exit`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ch: { type: 'string', default: '64' },
      repeats: { type: 'string', default: '5' },
      'train-query': { type: 'string', default: 'ch=8&gch=8&zdim=32&batch=8' },
      every: { type: 'string', default: '100' },
      blocks: { type: 'string', default: '3' },
      cpu: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...JSON_OUTPUT_OPTION,
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const onGpu = !values.cpu && (await initNodeWebGPU());
  if (!onGpu) await tf.setBackend('cpu');
  const where = `${tf.getBackend()}, Dawn in Node`;
  console.log(`backend ${where}`);

  // Batch 2: the spectra do not depend on it, and the one warm-up iteration at ch=64 stays short.
  const costConfig = { ...defaultConfig(), ch: Number(values.ch), batch: 2 };
  const data = makeShapesDataset({ seed: 1, count: 256, classes: costConfig.classes });
  const cost = await benchSpectraCost(costConfig, data, Number(values.repeats));
  console.log(
    `all exact spectra of the ${costConfig.arch} D at ch=${costConfig.ch} (${cost.singularValues} ` +
      `singular values, raw and effective):`,
  );
  console.log(
    `  weights read back ${cost.readBackMs.toFixed(1)} ms, float64 decomposition ` +
      `${cost.decomposeMs.toFixed(1)} ms, total ${(cost.readBackMs + cost.decomposeMs).toFixed(1)} ms`,
  );

  const { config: trainConfig, errors } = decodeConfig(values['train-query'] ?? '');
  if (errors.length) throw new Error(errors.join('; '));
  const every = Number(values.every);
  console.log(
    `training ${encodeConfig(trainConfig)}: blocks of ${every} iterations, ${values.blocks} interleaved repeats`,
  );
  const rows = await benchSpectraSlowdown(trainConfig, data, every, Number(values.blocks));
  console.log(formatRows(`Training with a snapshot every ${every} iterations over without:`, rows));
  console.log(
    `RESULT spectra ch=${costConfig.ch}: ${(cost.readBackMs + cost.decomposeMs).toFixed(0)} ms; ` +
      `slowdown at spectra=${every}: page x${rows[1].ratio.toFixed(3)}, inline x${rows[2].ratio.toFixed(3)}`,
  );
  const costRow: SummaryRow = {
    figure: 'all exact spectra of D (read-back + float64 decomposition)',
    configuration: `ch=${costConfig.ch} (${cost.singularValues} singular values)`,
    where,
    numerator: {
      label: `read-back ${cost.readBackMs.toFixed(0)} ms + decomposition ${cost.decomposeMs.toFixed(0)} ms`,
      value: cost.readBackMs + cost.decomposeMs,
      unit: 'ms',
    },
  };
  const slowdownRows = overFirstCase(
    `training with a snapshot every ${every} iterations over without`,
    configLabel(trainConfig),
    where,
    rows,
  );
  writePartRows(values.json, [costRow, ...slowdownRows]);
  releaseNodeWebGPU();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

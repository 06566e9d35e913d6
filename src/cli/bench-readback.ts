// `npm run bench:readback -- [--config '<query>' --blocks 5 --cpu]`
// What the two read-back extras of issue "experiments" cost, side by side in one run: blocks of
// `every` iterations ending in a read-back, interleaved with and without D's input-gradient probe
// (chart-lipschitz), and for 2-D data the read-back's points and mode count with and without D's heat
// map and G's arrows (toy-field.ts). Medians per read-back, on the toy preset by default.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { decodeConfig } from '../core/config/url-codec';
import { isToyDataset } from '../core/config/schema';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import { makeToyDataset } from '../core/data/toy-dataset';
import { isPointSet, type TrainingSet } from '../core/data/types';
import { initNodeWebGPU, releaseNodeWebGPU } from '../core/kernels/node-webgpu';
import { toyModeCoverage } from '../core/metrics/mode-coverage';
import { GanTrainer } from '../core/train/gan-trainer';
import { median } from '../core/experiments/record-series';
import { toyFieldWindow } from '../worker/readback-posts';
import { TOY_COVERAGE_SAMPLES, TOY_FIELD_ARROWS } from '../worker/protocol';

const DEFAULT_QUERY = 'dataset=ring8&arch=mlp&ch=8&gch=16&zdim=16&batch=64&loss=ns&lr=0.002&every=20&spectra=0';
const USAGE = `usage: npm run bench:readback -- [--config '<query>'] [--blocks N] [--cpu]
  --config QUERY  the run's configuration (default ${DEFAULT_QUERY})
  --blocks N      timed blocks per case (default 5)
  --cpu           the tfjs cpu backend instead of WebGPU through Dawn
  --help, -h      print this and exit`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: DEFAULT_QUERY },
      blocks: { type: 'string', default: '5' },
      cpu: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const onGpu = !values.cpu && (await initNodeWebGPU());
  if (!onGpu) await tf.setBackend('cpu');
  const { config, errors } = decodeConfig(values.config ?? DEFAULT_QUERY);
  if (errors.length > 0) throw new Error(errors.join('; '));
  const data: TrainingSet = isToyDataset(config.dataset)
    ? makeToyDataset(config.dataset, config.subset)
    : makeShapesDataset({ seed: config.seed, count: config.subset, classes: config.classes });
  const trainer = GanTrainer.create(config, data);
  const blocks = Math.max(1, Number(values.blocks));
  console.log(
    `backend ${tf.getBackend()}; ${values.config}; ${blocks} blocks of ${config.every} iterations ` +
      `per case, interleaved`,
  );
  const block = async (probe: boolean) => {
    trainer.probeInputGradients = probe;
    return timed(async () => {
      for (let i = 0; i < config.every; i++) trainer.trainIteration();
      await trainer.readMetrics(0);
    });
  };
  await block(true); // warm-up: kernels compiled, caches filled
  const withProbe: number[] = [];
  const without: number[] = [];
  for (let b = 0; b < blocks; b++) {
    withProbe.push(await block(true));
    without.push(await block(false));
  }
  const [a, b] = [median(withProbe), median(without)];
  console.log(
    `chart-lipschitz: block of ${config.every} iterations + read-back ${a.toFixed(1)} ms with the ` +
      `probe, ${b.toFixed(1)} ms without: +${(a - b).toFixed(1)} ms per read-back, ratio ${(a / b).toFixed(3)}`,
  );

  if (isPointSet(data)) {
    const window = toyFieldWindow(config, data.mixture);
    const points = async () => toyModeCoverage(await trainer.samplePoints(TOY_COVERAGE_SAMPLES), data.mixture);
    const field = () => trainer.toyField(window, TOY_FIELD_ARROWS);
    await points();
    await field();
    const plain: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < blocks * 2; i++) {
      plain.push(await timed(points));
      full.push(
        await timed(async () => {
          await points();
          await field();
        }),
      );
    }
    const [p, f] = [median(plain), median(full)];
    console.log(
      `2-D read-back: points + mode count ${p.toFixed(1)} ms, with heat map ` +
        `(${window.side}x${window.side}) and ${TOY_FIELD_ARROWS} arrows ${f.toFixed(1)} ms: ` +
        `+${(f - p).toFixed(1)} ms per read-back, ratio ${(f / p).toFixed(3)}`,
    );
  }
  trainer.dispose();
  if (onGpu) releaseNodeWebGPU();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});

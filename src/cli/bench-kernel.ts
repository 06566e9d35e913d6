/**
 * Side-by-side timing of the WGSL power-iteration kernel and its tfjs-ops twin on the same weights, in
 * one run on the active webgpu backend. Run alone with `tsx src/cli/bench-kernel.ts` (it then starts
 * Dawn itself), or call benchPowerIteration from a bench that already did.
 */
import * as tf from '@tensorflow/tfjs';
import { pathToFileURL } from 'node:url';
import { powerIterationOps, weightAsMatrix, type PowerIterationResult } from '../core/kernels/power-iteration';
import { powerIterationWebGPU } from '../core/kernels/power-iteration-webgpu';
import { median } from '../bench/side-by-side';

export interface PowerIterationBenchRow {
  /** The tfjs weight shape, e.g. [kh, kw, cin, cout] or [in, out]. */
  shape: number[];
  /** Median wall time of one call, submission to read-back of u, v and sigma. */
  wgslMs: number;
  opsMs: number;
  /** wgslMs / opsMs: below 1 the WGSL kernel is faster. */
  ratio: number;
}

export const DEFAULT_BENCH_SHAPES: number[][] = [
  [3, 3, 3, 64],
  [4, 4, 64, 128],
  [3, 3, 128, 128],
  [4, 4, 128, 256],
  [4, 4, 256, 512],
  [8192, 1],
];

/** One timed call; reading the results waits for the GPU queue to finish the work. */
async function timeCall(run: () => PowerIterationResult): Promise<number> {
  const start = performance.now();
  const result = run();
  await Promise.all([result.u.data(), result.v.data(), result.sigma.data()]);
  const elapsed = performance.now() - start;
  tf.dispose([result.u, result.v, result.sigma]);
  return elapsed;
}

/**
 * For each weight shape: a warm-up call of each variant (pipeline compilation, buffer pool), then
 * `repeats` calls alternating the two variants so drift hits both alike; medians.
 */
export async function benchPowerIteration(
  shapes: number[][] = DEFAULT_BENCH_SHAPES,
  iterations = 1,
  repeats = 10,
): Promise<PowerIterationBenchRow[]> {
  if (tf.getBackend() !== 'webgpu') {
    throw new Error(`benchPowerIteration compares against WGSL and needs webgpu, not ${tf.getBackend()}`);
  }
  const rows: PowerIterationBenchRow[] = [];
  for (const shape of shapes) {
    const w = tf.randomNormal(shape, 0, 1, 'float32', 1);
    const a = weightAsMatrix(w);
    const u = tf.randomNormal([a.shape[1]], 0, 1, 'float32', 2) as tf.Tensor1D;
    await a.data(); // upload before timing
    const wgsl = () => powerIterationWebGPU(a, u, iterations);
    const ops = () => powerIterationOps(a, u, iterations);
    await timeCall(wgsl);
    await timeCall(ops);
    const wgslTimes: number[] = [];
    const opsTimes: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      wgslTimes.push(await timeCall(wgsl));
      opsTimes.push(await timeCall(ops));
    }
    tf.dispose([w, a, u]);
    const wgslMs = median(wgslTimes);
    const opsMs = median(opsTimes);
    rows.push({ shape, wgslMs, opsMs, ratio: wgslMs / opsMs });
  }
  return rows;
}

export function formatPowerIterationBench(rows: PowerIterationBenchRow[]): string {
  const lines = ['shape               WGSL ms    ops ms   WGSL/ops'];
  for (const row of rows) {
    lines.push(
      `${JSON.stringify(row.shape).padEnd(18)} ${row.wgslMs.toFixed(2).padStart(8)} ${row.opsMs
        .toFixed(2)
        .padStart(9)} ${row.ratio.toFixed(3).padStart(10)}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { initNodeWebGPU, releaseNodeWebGPU } = await import('../core/kernels/node-webgpu');
  if (!(await initNodeWebGPU())) throw new Error('webgpu did not start; see src/core/kernels/node-webgpu.ts');
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 1);
  const repeats = Number(process.env.BENCH_REPEATS ?? 10);
  console.log(`power iteration, ${iterations} iteration(s) per call, median of ${repeats}`);
  console.log(formatPowerIterationBench(await benchPowerIteration(DEFAULT_BENCH_SHAPES, iterations, repeats)));
  releaseNodeWebGPU();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

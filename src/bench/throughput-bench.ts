// The figure only a real GPU gives in reasonable time: the standard CNN at the paper's size
// (ch = gch = 64, batch 64, SN) trained whole iterations at a time, as iterations per second.
import { defaultConfig, type GanConfig } from '../core/config/schema';
import { makeShapesDataset } from '../core/data/shapes-dataset';
import type { SummaryRow } from './bench-summary';
import { configLabel } from './config-label';
import { median } from './side-by-side';
import { benchIteration } from './training-bench';

export async function benchThroughput(where: string, repeats: number): Promise<SummaryRow> {
  const config: GanConfig = { ...defaultConfig(), batch: 64, norm: 'sn' };
  const data = makeShapesDataset({ seed: config.seed, count: config.batch * 4, classes: config.classes });
  const samples = await benchIteration(config, data, repeats);
  const medianMs = median(samples);
  console.log(
    `standard CNN, batch ${config.batch}: ${(1000 / medianMs).toFixed(2)} iterations/s (median ` +
      `${medianMs.toFixed(1)} ms)`,
  );
  return {
    figure: 'standard CNN, whole iterations per second',
    configuration: `${configLabel(config)} (paper size: ch=gch=64, batch 64, sn)`,
    where,
    numerator: { label: 'iterations per second', value: 1000 / medianMs, unit: 'it/s' },
  };
}

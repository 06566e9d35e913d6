// The headless training loop behind `npm run headless`: importable by tests, no process handling.
import type { GanConfig } from '../core/config/schema';
import { encodeConfig } from '../core/config/url-codec';
import { loadDataset } from '../core/data/load-dataset';
import { nodeCifarSource } from '../core/data/node-cifar-source';
import { divergenceMessage } from '../core/train/divergence';
import { GanTrainer } from '../core/train/gan-trainer';
import type { MetricsPoint, TrainerInfo } from '../core/train/types';

export interface HeadlessResult {
  config: GanConfig;
  /** The canonical query string: open `/?<query>` in the page to get the same run. */
  query: string;
  info: TrainerInfo;
  iterations: number;
  seconds: number;
  history: MetricsPoint[];
  /** Set when training stopped early, e.g. a NaN loss. */
  stoppedBecause: string | null;
}

export async function runHeadless(
  config: GanConfig,
  iterations: number,
  cifarDirectory: string,
  onPoint: (point: MetricsPoint) => void = () => {},
): Promise<HeadlessResult> {
  const { set, shortfall } = await loadDataset(config, nodeCifarSource(cifarDirectory));
  if (shortfall) console.error(`data: ${shortfall}`);
  const trainer = GanTrainer.create(config, set);
  const history: MetricsPoint[] = [];
  let stoppedBecause: string | null = null;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  try {
    while (trainer.iteration < iterations) {
      trainer.trainIteration();
      if (trainer.iteration % config.every !== 0 && trainer.iteration !== iterations) continue;
      const point = await trainer.readMetrics(elapsed());
      history.push(point);
      onPoint(point);
      stoppedBecause = divergenceMessage(point);
      if (stoppedBecause) break;
    }
    return {
      config,
      query: encodeConfig(config),
      info: trainer.info,
      iterations: trainer.iteration,
      seconds: elapsed(),
      history,
      stoppedBecause,
    };
  } finally {
    trainer.dispose();
  }
}

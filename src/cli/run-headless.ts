// The headless training loop behind `npm run headless`: importable by tests, no process handling.
import type { GanConfig } from '../core/config/schema';
import { encodeConfig } from '../core/config/url-codec';
import { loadDataset } from '../core/data/load-dataset';
import { nodeCifarSource } from '../core/data/node-cifar-source';
import { divergenceMessage } from '../core/train/divergence';
import { GanTrainer } from '../core/train/gan-trainer';
import type { MetricsPoint, TrainerInfo } from '../core/train/types';
import { SpectrumObserver } from '../core/metrics/spectrum-snapshot';
import type { CollapseAlarm, SpectrumSnapshot } from '../core/metrics/types';

export interface HeadlessResult {
  config: GanConfig;
  /** The canonical query string: open `/?<query>` in the page to get the same run. */
  query: string;
  info: TrainerInfo;
  iterations: number;
  seconds: number;
  history: MetricsPoint[];
  /** Exact spectra every `spectra` iterations (from iteration 0), computed inline, as the page shows them. */
  spectra: SpectrumSnapshot[];
  /** Every collapse alarm those snapshots raised. */
  alarms: CollapseAlarm[];
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
  const spectra: SpectrumSnapshot[] = [];
  const observer = new SpectrumObserver();
  const observeSpectra = async () => {
    if (config.spectra === 0 || trainer.iteration % config.spectra !== 0) return;
    spectra.push(observer.observe(await trainer.readWeights(), { drop: config.collapsedrop, window: config.collapsewindow }));
  };
  let stoppedBecause: string | null = null;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  try {
    await observeSpectra();
    while (trainer.iteration < iterations) {
      const readBackDue = (trainer.iteration + 1) % config.every === 0 || trainer.iteration + 1 === iterations;
      trainer.trainIteration(readBackDue);
      await observeSpectra();
      if (!readBackDue) continue;
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
      spectra,
      alarms: spectra.flatMap((snapshot) => snapshot.alarms),
      stoppedBecause,
    };
  } finally {
    trainer.dispose();
  }
}

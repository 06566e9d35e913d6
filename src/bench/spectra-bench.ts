// What exact spectra cost: the read-back of every D layer's weights (paid by the training thread),
// the float64 decomposition (paid by the spectrum worker in the page, inline in headless runs), and
// training with snapshots every `every` iterations against the same training without, side by side.
import type { GanConfig } from '../core/config/schema';
import type { ImageSet } from '../core/data/types';
import { SpectrumObserver } from '../core/metrics/spectrum-snapshot';
import type { CollapseAlarmOptions, WeightSnapshot } from '../core/metrics/types';
import { GanTrainer } from '../core/train/gan-trainer';
import { median, timeSideBySide, type BenchRow } from './side-by-side';

export interface SpectraCost {
  readBackMs: number;
  decomposeMs: number;
  /** Singular values per snapshot (all layers), for the report. */
  singularValues: number;
}

function alarmOptions(config: GanConfig): CollapseAlarmOptions {
  return { drop: config.collapsedrop, window: config.collapsewindow, persist: config.collapsepersist };
}

/** Read-back and decomposition of every D layer of `config`'s discriminator, medians over `repeats`. */
export async function benchSpectraCost(config: GanConfig, data: ImageSet, repeats: number): Promise<SpectraCost> {
  const trainer = GanTrainer.create(config, data);
  const observer = new SpectrumObserver();
  const readBack: number[] = [];
  const decompose: number[] = [];
  let singularValues = 0;
  try {
    trainer.trainIteration(); // effective weights as in training (SN's sigma after a D update)
    await trainer.flush();
    for (let r = 0; r < repeats + 1; r++) {
      const started = performance.now();
      const weights: WeightSnapshot = await trainer.readWeights();
      const read = performance.now();
      const snapshot = observer.observe(weights, alarmOptions(config));
      const done = performance.now();
      singularValues = snapshot.layers.reduce((n, layer) => n + layer.raw.length, 0);
      if (r === 0) continue; // warm-up
      readBack.push(read - started);
      decompose.push(done - read);
    }
  } finally {
    trainer.dispose();
  }
  return { readBackMs: median(readBack), decomposeMs: median(decompose), singularValues };
}

/**
 * Blocks of `every` iterations, interleaved: without spectra; with one weight read-back per block
 * (what the page's training worker pays: the decomposition runs in the spectrum worker); with the
 * read-back and the decomposition inline (what a headless run pays). Ratios are over the first.
 */
export async function benchSpectraSlowdown(
  config: GanConfig,
  data: ImageSet,
  every: number,
  repeats: number,
): Promise<BenchRow[]> {
  const trainers = [0, 1, 2].map(() => GanTrainer.create(config, data));
  const observer = new SpectrumObserver();
  let blocksDone = 0;
  const block = async (trainer: GanTrainer) => {
    const started = performance.now();
    for (let i = 0; i < every; i++) trainer.trainIteration();
    await trainer.flush();
    // Progress on stderr: on a software GPU one block can take minutes.
    console.error(
      `  block ${++blocksDone}: ${every} iterations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  };
  try {
    return await timeSideBySide(
      [
        { name: `${every} iterations, no spectra`, run: () => block(trainers[0]) },
        {
          name: `${every} its + weights read back`,
          run: async () => {
            await block(trainers[1]);
            await trainers[1].readWeights();
          },
        },
        {
          name: `${every} its + spectra inline`,
          run: async () => {
            await block(trainers[2]);
            observer.observe(await trainers[2].readWeights(), alarmOptions(config));
          },
        },
      ],
      repeats,
      1,
    );
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}

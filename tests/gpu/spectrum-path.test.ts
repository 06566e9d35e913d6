// The exact-spectrum path as the page runs it, on WebGPU: D weights with chosen singular values
// (U diag(s) V^T, conv and dense layers) go into the trainer, come back through readWeights (GPU
// read-back of raw and effective weights) and through the SpectrumObserver (float64 decomposition).
import { describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig } from '../../src/core/config/schema';
import { makeShapesDataset } from '../../src/core/data/shapes-dataset';
import { layerMatrix } from '../../src/core/metrics/exact-spectrum';
import { SpectrumObserver } from '../../src/core/metrics/spectrum-snapshot';
import { GanTrainer } from '../../src/core/train/gan-trainer';
import { geometricSpectrum, weightWithSpectrum } from '../fixtures/spectrum-fixtures';

const data = makeShapesDataset({ seed: 1, count: 16, classes: [0, 1] });
const ALARM = { drop: 0.5, window: 10, persist: 1 };

function worstRelative(actual: readonly number[], expected: readonly number[]): number {
  expect(actual).toHaveLength(expected.length);
  return Math.max(...expected.map((e, i) => Math.abs(actual[i] - e) / e));
}

describe('exact spectra through the trainer on webgpu', () => {
  it.each(['cnn', 'mlp'] as const)('recover chosen singular values of every %s D layer to 1e-4', async (arch) => {
    for (const norm of ['none', 'sn'] as const) {
      // A warm-up of 30 power iterations: SN's first estimate (before any D update) is then converged.
      const config: GanConfig = { ...defaultConfig(), arch, ch: 4, gch: 4, zdim: 8, batch: 2, norm, snwarmup: 30 };
      const trainer = GanTrainer.create(config, data);
      const snapshot0 = await trainer.readWeights();
      // Two decades of spread, a different top value per layer.
      const spectra = snapshot0.layers.map((layer, i) => {
        const { rows, cols } = layerMatrix(layer.shape);
        return geometricSpectrum(Math.min(rows, cols), 0.5 + i * 0.25, 2);
      });
      trainer.loadDiscriminatorWeights(
        snapshot0.layers.map((layer, i) => weightWithSpectrum(layer.shape, spectra[i], 40 + i)),
      );
      const result = new SpectrumObserver().observe(await trainer.readWeights(), ALARM);
      trainer.dispose();
      expect(result.layers.map((l) => l.name)).toEqual(snapshot0.layers.map((l) => l.name));
      result.layers.forEach((layer, i) => {
        expect(worstRelative(layer.raw, spectra[i]), `${norm} ${layer.name} raw`).toBeLessThan(1e-4);
        // SN divides by one sigma: the normalized spectrum is the chosen one's.
        const normalized = layer.effective.map((s) => s / layer.effective[0]);
        expect(
          worstRelative(
            normalized,
            spectra[i].map((s) => s / spectra[i][0]),
          ),
          `${norm} ${layer.name} effective`,
        ).toBeLessThan(1e-4);
        // And the scale: SN's largest effective singular value is 1, none's is the raw one.
        const top = norm === 'sn' ? 1 : spectra[i][0];
        expect(Math.abs(layer.effective[0] - top) / top, `${norm} ${layer.name} effective s_1`).toBeLessThan(1e-3);
      });
      if (arch === 'cnn') expect(result.layers.filter((l) => l.raw.length > 1).length).toBe(7);
    }
  });
});

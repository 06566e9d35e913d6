// The built-in 2-D toy data sets and the MLP GAN on them, through the same GanTrainer as images,
// on the CPU backend; ends with a real training run scored with the VEEGAN mode-counting protocol.
import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOY_SETUP } from '../../../../src/core/config/presets';
import { NORMS, defaultConfig, type GanConfig } from '../../../../src/core/config/schema';
import { decodeConfig } from '../../../../src/core/config/url-codec';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import { TOY_POOL_SEED, makeToyDataset } from '../../../../src/core/data/toy-dataset';
import { GRID_OF_25, RING_OF_8, sampleToyModes } from '../../../../src/core/data/toy-modes';
import { toyModeCoverage } from '../../../../src/core/metrics/mode-coverage';
import { GanTrainer, POINT_SAMPLE_COUNT } from '../../../../src/core/train/gan-trainer';
import { runHeadless } from '../../../../src/cli/run-headless';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('toy 2-D data sets', () => {
  it('ring8 and grid25 are fixed pools drawn from their mixtures: every point within 5 std of a mode', () => {
    for (const [name, mixture] of [
      ['ring8', RING_OF_8],
      ['grid25', GRID_OF_25],
    ] as const) {
      const set = makeToyDataset(name, 5000);
      expect(set.kind).toBe('points');
      expect(set.points).toHaveLength(10000);
      expect(set.classNames).toHaveLength(mixture.modes.length);
      expect(Array.from(set.points)).toEqual(
        Array.from(Float32Array.from(sampleToyModes(mixture, 5000, TOY_POOL_SEED))),
      );
      const coverage = toyModeCoverage(set.points, mixture, { thresholdStds: 5 });
      expect(coverage.highQualityCount, name).toBe(5000);
      expect(coverage.modesCaptured, name).toBe(mixture.modes.length);
    }
    // A smaller pool is a prefix of a larger one.
    expect(Array.from(makeToyDataset('ring8', 100).points)).toEqual(
      Array.from(makeToyDataset('ring8', 5000).points.slice(0, 200)),
    );
    expect(makeToyDataset('grid25', 16).classNames[0]).toBe('(-4, -4)');
  });

  it('are dataset values of the URL', () => {
    expect(decodeConfig('dataset=ring8&arch=cnn').errors).toEqual([]);
    expect(decodeConfig('dataset=grid25').config.dataset).toBe('grid25');
  });
});

const tinyToy: GanConfig = {
  ...defaultConfig(),
  dataset: 'ring8',
  arch: 'mlp',
  ch: 2,
  gch: 2,
  zdim: 4,
  batch: 8,
  subset: 64,
  every: 1,
  spectra: 0,
  backend: 'cpu',
};

describe('GanTrainer on 2-D points (cpu backend)', () => {
  it(
    'trains with every D normalization on the dense layers: finite losses, sigmas, gradients ' + 'and weights',
    async () => {
      const data = makeToyDataset('ring8', 64);
      for (const norm of NORMS) {
        // SR leaves these dense layers to plain SN (the authors' code); the next test makes it act on them.
        const trainer = GanTrainer.create({ ...tinyToy, norm, srevery: 1 }, data);
        expect(trainer.info.layerNames, norm).toEqual(['D.dense0', 'D.dense1', 'D.dense2']);
        for (let i = 0; i < 3; i++) trainer.trainIteration(true);
        const point = await trainer.readMetrics(0);
        expect([point.dLoss, point.gLoss, ...point.sigmas, ...point.gradNorms].every(Number.isFinite), norm).toBe(true);
        const weights = await trainer.readWeights();
        expect(
          weights.layers.map((l) => l.shape),
          norm,
        ).toEqual([
          [2, 8],
          [8, 8],
          [8, 1],
        ]);
        expect(
          weights.layers.every((l) => l.effective.every(Number.isFinite)),
          norm,
        ).toBe(true);
        expect((await trainer.samplePoints(10)).every(Number.isFinite), norm).toBe(true);
        trainer.dispose();
      }
    },
  );

  it(
    'SR leaves the all-dense D to plain SN by default, and compensates its dense layers with ' + 'srlayers=all',
    async () => {
      const data = makeToyDataset('ring8', 64);
      const raws = async (config: Partial<GanConfig>) => {
        const trainer = GanTrainer.create({ ...tinyToy, srevery: 1, ...config }, data);
        for (let i = 0; i < 3; i++) trainer.trainIteration(true);
        const layers = (await trainer.readWeights()).layers;
        trainer.dispose();
        return layers;
      };
      const sn = await raws({ norm: 'sn' });
      for (const norm of ['sr-static', 'sr-dynamic'] as const) {
        const conv = await raws({ norm, srlayers: 'conv' });
        conv.forEach((layer, l) =>
          expect(Array.from(layer.raw), `${norm} ${layer.name}`).toEqual(Array.from(sn[l].raw)),
        );
      }
      // srlayers=all: after an SR step the 8x8 layer's top floor(8/2) singular values all equal s_1.
      const all = await raws({ norm: 'sr-static', srlayers: 'all' });
      const dense1 = all.find((layer) => layer.name === 'D.dense1')!;
      const s = new SingularValueDecomposition(Matrix.from1DArray(8, 8, Array.from(dense1.raw))).diagonal;
      expect(s[3] / s[0]).toBeGreaterThan(0.999);
      const plain = new SingularValueDecomposition(Matrix.from1DArray(8, 8, Array.from(sn[1].raw))).diagonal;
      expect(plain[3] / plain[0]).toBeLessThan(0.99);
    },
  );

  it('headless runs of 2-D data record the mode count at every read-back; image runs have none', async () => {
    const result = await runHeadless({ ...tinyToy, every: 2 }, 6, '');
    expect(result.coverage?.map((point) => point.iteration)).toEqual(result.history.map((point) => point.iteration));
    for (const point of result.coverage ?? []) {
      expect(point.modeCount).toBe(8);
      expect(point.modesCaptured >= 0 && point.modesCaptured <= 8).toBe(true);
      expect(point.highQualityShare >= 0 && point.highQualityShare <= 1).toBe(true);
      expect(point.klFromUniform).toBeGreaterThanOrEqual(0);
    }
    // The same numbers the page computes from the same 2500 fixed-z points.
    const trainer = GanTrainer.create({ ...tinyToy, every: 2 }, makeToyDataset('ring8', tinyToy.subset));
    for (let i = 0; i < 6; i++) trainer.trainIteration();
    const last = toyModeCoverage(await trainer.samplePoints(POINT_SAMPLE_COUNT), RING_OF_8);
    trainer.dispose();
    expect(result.coverage!.at(-1)).toMatchObject({
      iteration: 6,
      modesCaptured: last.modesCaptured,
      highQualityShare: last.highQualityShare,
    });
    const images = await runHeadless({ ...tinyToy, dataset: 'shapes', arch: 'mlp', every: 2 }, 2, '');
    expect(images).not.toHaveProperty('coverage');
  });

  it('builds the 2-D MLP pair whatever arch says, and images still get the chosen architecture', () => {
    const data = makeToyDataset('grid25', 64);
    for (const arch of ['cnn', 'resnet', 'mlp'] as const) {
      const trainer = GanTrainer.create({ ...tinyToy, dataset: 'grid25', arch }, data);
      expect(trainer.info.arch).toBe('mlp');
      expect(trainer.info.sampleShape).toEqual([2]);
      trainer.dispose();
    }
    const images = GanTrainer.create(
      { ...tinyToy, dataset: 'shapes', arch: 'cnn' },
      makeShapesDataset({ seed: 1, count: 8, classes: [0] }),
    );
    expect([images.info.arch, images.info.sampleShape]).toEqual(['cnn', [32, 32, 3]]);
    images.dispose();
  });

  it('samplePoints follows 2500 fixed latent vectors; renderSamples draws them as a 256x256 scatter plot', async () => {
    const trainer = GanTrainer.create(tinyToy, makeToyDataset('ring8', 64));
    const all = await trainer.samplePoints();
    expect(all).toHaveLength(2 * POINT_SAMPLE_COUNT);
    expect(Array.from(await trainer.samplePoints(100))).toEqual(Array.from(all.slice(0, 200)));
    await expect(trainer.samplePoints(POINT_SAMPLE_COUNT + 1)).rejects.toThrow(RangeError);
    const grid = await trainer.renderSamples();
    expect([grid.width, grid.height, grid.rgba.length, grid.columns, grid.rows]).toEqual([
      256,
      256,
      256 * 256 * 4,
      1,
      1,
    ]);
    expect(new Set(Array.from({ length: 256 * 256 }, (_, i) => grid.rgba[i * 4])).size).toBeGreaterThan(1);
    trainer.trainIteration();
    const after = await trainer.samplePoints(100);
    expect(Array.from(after)).not.toEqual(Array.from(all.slice(0, 200)));
    // No tensor is left behind by sampling and drawing.
    const settled = tf.memory().numTensors;
    await trainer.samplePoints();
    await trainer.renderSamples();
    expect(tf.memory().numTensors).toBe(settled);
    trainer.dispose();
  });

  it('samplePoints is refused for images', async () => {
    const trainer = GanTrainer.create(
      { ...tinyToy, dataset: 'shapes', arch: 'mlp' },
      makeShapesDataset({ seed: 1, count: 8, classes: [0] }),
    );
    await expect(trainer.samplePoints()).rejects.toThrow(/2-D toy data sets/);
    trainer.dispose();
  });

  it('the same config and seed give the same run through the headless loop', async () => {
    const a = await runHeadless(tinyToy, 3, '');
    const b = await runHeadless(tinyToy, 3, '');
    const c = await runHeadless({ ...tinyToy, seed: 2 }, 3, '');
    expect(a.info.datasetCount).toBe(64);
    expect(a.history.map((p) => [p.dLoss, p.gLoss, ...p.sigmas])).toEqual(
      b.history.map((p) => [p.dLoss, p.gLoss, ...p.sigmas]),
    );
    expect(c.history[0].dLoss).not.toEqual(a.history[0].dLoss);
  });
});

// The real thing: an SN MLP GAN on ring8, scored as VEEGAN / PacGAN do (2500 samples from fixed z; a
// sample is high quality (HQ) within 3 std of its nearest mode; a mode is captured by >= 1 HQ sample).
// Training stops at the first check (every CHECK_EVERY iterations) where at least 6 of 8 modes are
// captured and at least 5% of the samples are HQ; the run must get there within the budget.
// The HQ floor keeps a diffuse cloud from passing: a blob N(0, 4 I) lands about 0.2% of its samples
// within 3 std of a mode (and with 2500 samples "captures" about 4 modes), an untrained G none.
// Measured on a shared 2-core machine (seed 1, the same trace every run): 1250 iterations, 8 modes,
// 6.9% HQ, in 20-34 s (34 s inside the whole unit suite).
const BUDGET_ITERATIONS = 2000;
const BUDGET_SECONDS = 60;
const CHECK_EVERY = 250;
const MIN_MODES = 6;
const MIN_HQ_SHARE = 0.05;

describe('MLP GAN with SN on ring8 (real training, cpu backend)', () => {
  it(
    `captures >= ${MIN_MODES} of 8 modes within ${BUDGET_ITERATIONS} iterations and ${BUDGET_SECONDS} s`,
    { timeout: 180_000 },
    async () => {
      const config: GanConfig = {
        ...defaultConfig(),
        ...TOY_SETUP.fields,
        dataset: 'ring8',
        norm: 'sn',
        seed: 1,
        backend: 'cpu',
        spectra: 0,
      };
      const data = makeToyDataset('ring8', config.subset);
      const trainer = GanTrainer.create(config, data);
      try {
        const untrained = toyModeCoverage(await trainer.samplePoints(), RING_OF_8);
        const started = performance.now();
        let coverage = untrained;
        const trace: string[] = [];
        while (trainer.iteration < BUDGET_ITERATIONS) {
          for (let i = 0; i < CHECK_EVERY; i++) trainer.trainIteration(false);
          coverage = toyModeCoverage(await trainer.samplePoints(POINT_SAMPLE_COUNT), RING_OF_8);
          trace.push(
            `${trainer.iteration}: ${coverage.modesCaptured} modes, ` +
              `${(100 * coverage.highQualityShare).toFixed(1)}% HQ`,
          );
          if (coverage.modesCaptured >= MIN_MODES && coverage.highQualityShare >= MIN_HQ_SHARE) break;
        }
        const seconds = (performance.now() - started) / 1000;
        console.log(`toy GAN (ring8, sn): ${trace.join('; ')}; ${seconds.toFixed(1)} s`);
        expect(untrained.modesCaptured).toBeLessThan(MIN_MODES);
        expect(coverage.modesCaptured, trace.join('; ')).toBeGreaterThanOrEqual(MIN_MODES);
        expect(coverage.highQualityShare, trace.join('; ')).toBeGreaterThanOrEqual(MIN_HQ_SHARE);
        expect(trainer.iteration).toBeLessThanOrEqual(BUDGET_ITERATIONS);
        expect(seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
        const metrics = await trainer.readMetrics(seconds);
        expect([metrics.dLoss, metrics.gLoss].every(Number.isFinite)).toBe(true);
      } finally {
        trainer.dispose();
      }
    },
  );
});

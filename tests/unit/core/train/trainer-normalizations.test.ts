// Each D normalization through GanTrainer, checked against references computed here with ml-matrix
// from the raw weights the trainer reads back: a trainer that builds the wrong normalizer for a
// method (wn as none, sr-static and sr-dynamic swapped, a sigma that is a Frobenius norm) fails.
import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig, type NormName } from '../../../../src/core/config/schema';
import { makeShapesDataset } from '../../../../src/core/data/shapes-dataset';
import type { LayerWeights } from '../../../../src/core/metrics/types';
import { GanTrainer } from '../../../../src/core/train/gan-trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ch=2: the standard CNN's D has convs of 2, 2, 4, 4, 8, 8, 16 output channels; those with 8 or more
// have 8+ singular values, where SR's compensation of the top half shows. A long warm-up makes
// every power-iteration estimate converge, so sigma can be compared with the SVD's.
const CONFIG: GanConfig = {
  ...defaultConfig(),
  ch: 2,
  gch: 2,
  zdim: 8,
  batch: 2,
  subset: 32,
  every: 1,
  backend: 'cpu',
  snwarmup: 50,
  bssnc: 1.5,
  clipc: 0.05,
};

/** The layer's c_out x K matrix as A = W^T ([K, c_out] in tfjs's row-major order). */
function matrixOf(shape: number[], data: Float32Array): Matrix {
  const cout = shape[shape.length - 1];
  return Matrix.from1DArray(data.length / cout, cout, Array.from(data));
}

function singularValues(shape: number[], data: Float32Array): number[] {
  return new SingularValueDecomposition(matrixOf(shape, data), { autoTranspose: true }).diagonal;
}

/** The c_in x (c_out kh kw) reshape BSSN's second sigma is taken of (conv layers). */
function otherReshapeSigma(shape: number[], data: Float32Array): number {
  if (shape.length === 2) return singularValues(shape, data)[0];
  const [kh, kw, cin, cout] = shape;
  const other = Matrix.zeros(cin, cout * kh * kw);
  data.forEach((value, i) =>
    other.set(Math.floor(i / cout) % cin, (i % cout) * kh * kw + Math.floor(i / (cout * cin)), value),
  );
  return new SingularValueDecomposition(other, { autoTranspose: true }).diagonal[0];
}

/** max |effective_i - scale_i * raw_i| over the layer, relative to max |effective|. */
function mismatch(layer: LayerWeights, scaleOf: (i: number) => number): number {
  let worst = 0;
  let size = 0;
  layer.effective.forEach((value, i) => {
    worst = Math.max(worst, Math.abs(value - scaleOf(i) * layer.raw[i]));
    size = Math.max(size, Math.abs(value));
  });
  return worst / size;
}

async function afterOneIteration(norm: NormName): Promise<LayerWeights[]> {
  const trainer = GanTrainer.create(
    { ...CONFIG, norm },
    makeShapesDataset({ seed: 1, count: 32, classes: CONFIG.classes }),
  );
  try {
    trainer.trainIteration(); // G iteration 0: its D update is an SR step too
    return (await trainer.readWeights()).layers;
  } finally {
    trainer.dispose();
  }
}

describe('every normalization through GanTrainer, against an SVD reference', () => {
  it('none and ortho: the effective weight is the raw weight', async () => {
    for (const norm of ['none', 'ortho'] as const) {
      for (const layer of await afterOneIteration(norm))
        expect(
          mismatch(layer, () => 1),
          `${norm} ${layer.name}`,
        ).toBe(0);
    }
  });

  it('clip: raw weights within [-c, c] and used as they are', async () => {
    for (const layer of await afterOneIteration('clip')) {
      expect(Math.max(...layer.raw.map(Math.abs)), layer.name).toBeLessThanOrEqual(Math.fround(0.05));
      expect(mismatch(layer, () => 1)).toBe(0);
    }
  });

  it('wn: each output channel divided by its own norm', async () => {
    for (const layer of await afterOneIteration('wn')) {
      const a = matrixOf(layer.shape, layer.raw);
      const norms = Array.from({ length: a.columns }, (_, j) => Math.hypot(...a.getColumn(j)));
      expect(
        mismatch(layer, (i) => 1 / norms[i % a.columns]),
        layer.name,
      ).toBeLessThan(1e-5);
    }
  });

  it('sn: raw over its exact top singular value (not over a Frobenius norm)', async () => {
    for (const layer of await afterOneIteration('sn')) {
      const s = singularValues(layer.shape, layer.raw);
      expect(
        mismatch(layer, () => 1 / s[0]),
        layer.name,
      ).toBeLessThan(1e-2);
      if (s.length >= 2) expect(Math.hypot(...s) / s[0]).toBeGreaterThan(1.05);
    }
  });

  it("bssn: c times raw over the mean of the two reshapes' top singular values", async () => {
    for (const layer of await afterOneIteration('bssn')) {
      const mean = (singularValues(layer.shape, layer.raw)[0] + otherReshapeSigma(layer.shape, layer.raw)) / 2;
      expect(
        mismatch(layer, () => 1.5 / mean),
        layer.name,
      ).toBeLessThan(1e-2);
    }
  });

  it(
    "sr-static compensates the top half of every conv spectrum after an SR step; sr-dynamic's " +
      'first call leaves it',
    async () => {
      const [staticLayers, dynamicLayers] = [
        await afterOneIteration('sr-static'),
        await afterOneIteration('sr-dynamic'),
      ];
      let compensated = 0;
      staticLayers.forEach((layer, l) => {
        const s = singularValues(layer.shape, layer.raw);
        const k = Math.floor(s.length / 2);
        expect(
          mismatch(layer, () => 1 / s[0]),
          layer.name,
        ).toBeLessThan(1e-2);
        if (layer.kind !== 'conv' || k < 2) return;
        compensated++;
        expect(s[k - 1] / s[0], `${layer.name} static`).toBeGreaterThan(0.999);
        const d = singularValues(dynamicLayers[l].shape, dynamicLayers[l].raw);
        expect(d[k - 1] / d[0], `${layer.name} dynamic`).toBeLessThan(0.99);
      });
      expect(compensated).toBeGreaterThanOrEqual(3);
    },
  );
});

/**
 * Exact singular values (float64 Gram matrix + tred2/tql2) on weights with known spectra, stored the way
 * tfjs stores them, and against ml-matrix's SVD.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { layerMatrix, singularValues } from '../../../../src/core/metrics/exact-spectrum';
import { seededNormals } from '../../../fixtures/sr-reference';
import { geometricSpectrum, weightWithSpectrum } from '../../../fixtures/spectrum-fixtures';

describe('layerMatrix', () => {
  it('gives the paper orientation c_out x c_in*kh*kw and the tfjs storage [K, c_out]', () => {
    expect(layerMatrix([3, 3, 4, 8])).toEqual({ rows: 8, cols: 36, kernelArea: 9, storageRows: 36, storageCols: 8 });
    expect(layerMatrix([4, 4, 2, 64])).toEqual({
      rows: 64,
      cols: 32,
      kernelArea: 16,
      storageRows: 32,
      storageCols: 64,
    });
    expect(layerMatrix([20, 30])).toEqual({ rows: 30, cols: 20, kernelArea: 1, storageRows: 20, storageCols: 30 });
    expect(() => layerMatrix([5])).toThrow(/rank/);
  });
});

describe('singularValues on weights with a known spectrum', () => {
  const cases: { shape: number[]; top: number; decades: number }[] = [
    { shape: [3, 3, 4, 8], top: 2, decades: 3 }, // K = 36 > c_out = 8
    { shape: [4, 4, 2, 64], top: 0.7, decades: 2 }, // K = 32 < c_out = 64
    { shape: [1, 1, 16, 16], top: 1, decades: 3 },
    { shape: [64, 1], top: 2.5, decades: 0 }, // dense to one output: the norm of a vector
    { shape: [20, 30], top: 5, decades: 2.5 },
  ];
  it.each(cases)('recovers s to 1e-4 relative for $shape over $decades decades', ({ shape, top, decades }) => {
    const { storageRows, storageCols } = layerMatrix(shape);
    const spectrum = geometricSpectrum(Math.min(storageRows, storageCols), top, decades);
    const values = singularValues(weightWithSpectrum(shape, spectrum, 7), storageRows, storageCols);
    expect(values.length).toBe(spectrum.length);
    values.forEach((value, i) => expect(Math.abs(value - spectrum[i]) / spectrum[i]).toBeLessThan(1e-4));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
  });

  it('accepts float64 data and either orientation of the same matrix', () => {
    const spectrum = geometricSpectrum(6, 3, 2);
    const data = weightWithSpectrum([10, 6], spectrum, 11);
    const transposed = new Float64Array(60);
    for (let r = 0; r < 10; r++) for (let c = 0; c < 6; c++) transposed[c * 10 + r] = data[r * 6 + c];
    const direct = singularValues(Float64Array.from(data), 10, 6);
    const viaTranspose = singularValues(transposed, 6, 10);
    direct.forEach((value, i) => expect(Math.abs(value - viaTranspose[i])).toBeLessThan(1e-12 * spectrum[0]));
  });
});

describe('singularValues against ml-matrix SVD', () => {
  it.each([
    [50, 20],
    [17, 40],
    [33, 33],
  ])('random %i x %i matrix', (rows, columns) => {
    const data = Float32Array.from(seededNormals(rows * columns, rows * 100 + columns));
    const reference = new SingularValueDecomposition(Matrix.from1DArray(rows, columns, Array.from(data)), {
      autoTranspose: true,
    }).diagonal;
    const values = singularValues(data, rows, columns);
    expect(values.length).toBe(Math.min(rows, columns));
    values.forEach((value, i) => expect(Math.abs(value - reference[i]) / reference[0]).toBeLessThan(1e-10));
  });

  it('gives zeros, never NaN, for zero and rank-deficient matrices', () => {
    expect(Array.from(singularValues(new Float32Array(12), 3, 4))).toEqual([0, 0, 0]);
    // Rank 1: x y^T has one singular value |x| |y|.
    const x = [1, 2, 2];
    const y = [3, 0, 4, 0, 0];
    const rankOne = Float32Array.from(x.flatMap((a) => y.map((b) => a * b)));
    const values = singularValues(rankOne, 3, 5);
    expect(values[0]).toBeCloseTo(15, 10);
    expect(values.every((value) => Number.isFinite(value) && value >= 0)).toBe(true);
    expect(values[1]).toBeLessThan(1e-6);
  });

  it('rejects data that does not match the shape', () => {
    expect(() => singularValues(new Float32Array(5), 2, 3)).toThrow(/needs 6 elements/);
  });
});

describe('standard CNN discriminator at ch=64', () => {
  it('decomposes every layer (timing printed)', () => {
    const shapes = [
      [3, 3, 3, 64],
      [4, 4, 64, 64],
      [3, 3, 64, 128],
      [4, 4, 128, 128],
      [3, 3, 128, 256],
      [4, 4, 256, 256],
      [3, 3, 256, 512],
      [8192, 1],
    ];
    const weights = shapes.map((shape, i) => {
      const { storageRows, storageCols } = layerMatrix(shape);
      return { shape, data: Float32Array.from(seededNormals(storageRows * storageCols, 500 + i), (v) => v * 0.02) };
    });
    const timings: string[] = [];
    const start = performance.now();
    for (const { shape, data } of weights) {
      const layerStart = performance.now();
      const { storageRows, storageCols } = layerMatrix(shape);
      const values = singularValues(data, storageRows, storageCols);
      expect(values.length).toBe(Math.min(storageRows, storageCols));
      timings.push(`[${shape.join(',')}] ${(performance.now() - layerStart).toFixed(0)} ms`);
    }
    const total = performance.now() - start;
    console.log(`exact spectra of the standard CNN D (ch=64): ${total.toFixed(0)} ms in all; ${timings.join('; ')}`);
  });
});

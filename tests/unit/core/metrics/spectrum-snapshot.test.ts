/**
 * Per-layer spectra of a weight snapshot: the scalar-multiple shortcut (SN-like effective weights reuse
 * the raw decomposition) against full decompositions, a non-scalar method (WN), the variance and its
 * bounds, and the observer's collapse alarm.
 */
import { describe, expect, it } from 'vitest';
import { layerMatrix, singularValues } from '../../../../src/core/metrics/exact-spectrum';
import {
  scalarMultipleOf,
  spectrumOfLayer,
  SpectrumObserver,
  type SpectrumCounters,
} from '../../../../src/core/metrics/spectrum-snapshot';
import type { LayerWeights, WeightSnapshot } from '../../../../src/core/metrics/types';
import { seededNormals } from '../../../fixtures/sr-reference';

function randomWeight(shape: number[], seed: number, scale = 0.05): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from(seededNormals(size, seed), (v) => v * scale);
}

function fullSpectrum(data: Float32Array, shape: number[]): number[] {
  const { storageRows, storageCols } = layerMatrix(shape);
  return Array.from(singularValues(data, storageRows, storageCols));
}

/** WN in tfjs layout: each output unit's weights (a column of [K, c_out]) scaled to unit norm. */
function columnNormalized(data: Float32Array, shape: number[]): Float32Array {
  const { storageRows, storageCols } = layerMatrix(shape);
  const out = new Float32Array(data.length);
  for (let c = 0; c < storageCols; c++) {
    let squares = 0;
    for (let r = 0; r < storageRows; r++) squares += data[r * storageCols + c] ** 2;
    for (let r = 0; r < storageRows; r++) out[r * storageCols + c] = data[r * storageCols + c] / Math.sqrt(squares);
  }
  return out;
}

const newCounters = (): SpectrumCounters => ({ decompositions: 0, scalarShortcuts: 0 });

describe('scalar-multiple shortcut', () => {
  const shape = [3, 3, 8, 16];
  const raw = randomWeight(shape, 1);
  const sigma = fullSpectrum(raw, shape)[0];

  it.each([
    ['SN: W / sigma', 1 / sigma],
    ['BSSN-like: c W / sigma', 1.7 / sigma],
    ['negative scale', -2.5],
  ])('%s reuses raw values and matches a full decomposition to 1e-5', (_, factor) => {
    const effective = Float32Array.from(raw, (v) => v * factor); // rounded to float32 like a GPU result
    const counters = newCounters();
    const spectrum = spectrumOfLayer({ name: 'conv', kind: 'conv', shape, raw, effective }, 1, 'sn', counters);
    expect(counters).toEqual({ decompositions: 1, scalarShortcuts: 1 });
    const reference = fullSpectrum(effective, shape);
    spectrum.effective.forEach((value, i) => expect(Math.abs(value - reference[i]) / reference[0]).toBeLessThan(1e-5));
    expect(spectrum.raw).toEqual(fullSpectrum(raw, shape));
  });

  it('is taken for an identical effective weight (none, clip, ortho)', () => {
    const counters = newCounters();
    const spectrum = spectrumOfLayer(
      { name: 'conv', kind: 'conv', shape, raw, effective: Float32Array.from(raw) },
      1,
      'none',
      counters,
    );
    expect(counters.scalarShortcuts).toBe(1);
    expect(spectrum.effective).toEqual(spectrum.raw);
  });

  it('is not taken for a column-normalized (WN) weight, which is decomposed separately', () => {
    const effective = columnNormalized(raw, shape);
    expect(scalarMultipleOf(effective, raw)).toBeNull();
    const counters = newCounters();
    const spectrum = spectrumOfLayer({ name: 'conv', kind: 'conv', shape, raw, effective }, 1, 'wn', counters);
    expect(counters).toEqual({ decompositions: 2, scalarShortcuts: 0 });
    expect(spectrum.effective).toEqual(fullSpectrum(effective, shape));
  });

  it('detects the scale and rejects perturbations above float32 noise', () => {
    const scaled = Float32Array.from(raw, (v) => v * 0.3);
    expect(scalarMultipleOf(scaled, raw)).toBeCloseTo(0.3, 6);
    const perturbed = Float32Array.from(scaled);
    perturbed[5] += 1e-3 * Math.max(...Array.from(scaled, Math.abs));
    expect(scalarMultipleOf(perturbed, raw)).toBeNull();
    expect(scalarMultipleOf(new Float32Array(4), new Float32Array(4))).toBe(0);
    expect(scalarMultipleOf(Float32Array.from([1, 0]), new Float32Array(2))).toBeNull();
  });
});

describe('variance and bounds', () => {
  it('dense [2, 3] by hand: out x in = 3 x 2', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const spectrum = spectrumOfLayer(
      { name: 'fc', kind: 'dense', shape: [2, 3], raw: data, effective: data },
      1,
      'none',
    );
    expect(spectrum).toMatchObject({ name: 'fc', rows: 3, cols: 2, kernelArea: 1 });
    expect(spectrum.effectiveVariance).toBeCloseTo(35 / 12, 12); // population variance of 1..6
    expect(spectrum.lecunBound).toBeCloseTo(1 / 3, 15);
    expect(spectrum.xavierBound).toBeCloseTo(2 / (2 + 3), 15);
    expect(spectrum.raw).toHaveLength(2);
    // Stored [in, out] = [[1,2,3],[4,5,6]]: sqrt of the eigenvalues of A A^T = [[14,32],[32,77]].
    const root = Math.sqrt((91 / 2) ** 2 - (14 * 77 - 32 * 32));
    expect(spectrum.raw[0]).toBeCloseTo(Math.sqrt(91 / 2 + root), 10);
    expect(spectrum.raw[1]).toBeCloseTo(Math.sqrt(91 / 2 - root), 10);
  });

  it('conv [2, 2, 3, 4]: fan_in 12, fan_out 16; BSSN scales the Xavier bound by c^2 only under bssn', () => {
    const raw = randomWeight([2, 2, 3, 4], 5);
    const layer: LayerWeights = { name: 'c', kind: 'conv', shape: [2, 2, 3, 4], raw, effective: raw };
    const sn = spectrumOfLayer(layer, 2, 'sn');
    expect(sn).toMatchObject({ rows: 4, cols: 12, kernelArea: 4 });
    expect(sn.lecunBound).toBeCloseTo(1 / 12, 15);
    expect(sn.xavierBound).toBeCloseTo(2 / 28, 15);
    const bssn = spectrumOfLayer(layer, 2, 'bssn');
    expect(bssn.xavierBound).toBeCloseTo((4 * 2) / 28, 15);
    expect(bssn.lecunBound).toBe(sn.lecunBound);
  });
});

describe('SpectrumObserver', () => {
  const shapes = [
    [3, 3, 3, 8],
    [4, 4, 8, 16],
    [64, 1],
  ];

  function snapshot(iteration: number, tailFactor: number): WeightSnapshot {
    const layers = shapes.map((shape, i): LayerWeights => {
      let raw = randomWeight(shape, 10 * i + iteration);
      if (i === 1 && tailFactor !== 1) raw = shrinkTail(raw, shape, tailFactor);
      return {
        name: `layer${i}`,
        kind: shape.length === 4 ? 'conv' : 'dense',
        shape,
        raw,
        effective: Float32Array.from(raw, (v) => v / 3),
      };
    });
    return { iteration, norm: 'sn', bssnScale: 1, layers };
  }

  /** Rank-1 part (top singular direction via power iteration) kept, the rest scaled by `factor`. */
  function shrinkTail(data: Float32Array, shape: number[], factor: number): Float32Array {
    const { storageRows: k, storageCols: c } = layerMatrix(shape);
    let v = new Float64Array(c).fill(1);
    let u = new Float64Array(k);
    for (let step = 0; step < 200; step++) {
      u = new Float64Array(k);
      for (let r = 0; r < k; r++) for (let j = 0; j < c; j++) u[r] += data[r * c + j] * v[j];
      const next = new Float64Array(c);
      for (let r = 0; r < k; r++) for (let j = 0; j < c; j++) next[j] += data[r * c + j] * u[r];
      const norm = Math.hypot(...next);
      v = next.map((x) => x / norm);
    }
    const s = Math.hypot(...u);
    return Float32Array.from(data, (value, index) => {
      const top = (u[Math.floor(index / c)] / s) * s * v[index % c];
      return top + factor * (value - top);
    });
  }

  it('fills every layer, times itself, and alarms once when a layer collapses', () => {
    const observer = new SpectrumObserver();
    const options = { drop: 0.5, window: 4, persist: 1 };
    const alarms = [];
    for (let iteration = 0; iteration <= 1000; iteration += 100) {
      const result = observer.observe(snapshot(iteration, iteration >= 600 ? 0.1 : 1), options);
      expect(result.iteration).toBe(iteration);
      expect(result.norm).toBe('sn');
      expect(result.layers.map((layer) => layer.name)).toEqual(['layer0', 'layer1', 'layer2']);
      expect(result.layers[2].raw).toHaveLength(1);
      expect(result.layers[2].collapse).toBe(1);
      expect(result.computeSeconds).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(result.computeSeconds)).toBe(true);
      alarms.push(...result.alarms);
    }
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ iteration: 600, layerIndex: 1, layer: 'layer1' });
    // Every effective weight was raw / 3: one decomposition per layer per snapshot.
    expect(observer.counters).toEqual({ decompositions: 33, scalarShortcuts: 33 });
  });

  it('reports a diverged (NaN) layer as NaN without throwing or alarming', () => {
    const observer = new SpectrumObserver();
    observer.observe(snapshot(0, 1), { drop: 0.5, window: 4, persist: 1 });
    const broken = snapshot(100, 1);
    broken.layers[0].raw[3] = NaN;
    broken.layers[0].effective[3] = NaN;
    const result = observer.observe(broken, { drop: 0.5, window: 4, persist: 1 });
    expect(result.layers[0].raw.every(Number.isNaN)).toBe(true);
    expect(result.layers[0].effective.every(Number.isNaN)).toBe(true);
    expect(result.layers[0].collapse).toBeNaN();
    expect(result.alarms).toEqual([]);
  });

  it('rejects data that does not match the shape', () => {
    const raw = new Float32Array(5);
    expect(() => spectrumOfLayer({ name: 'x', kind: 'dense', shape: [2, 3], raw, effective: raw }, 1, 'none')).toThrow(
      /needs 6 elements/,
    );
  });
});

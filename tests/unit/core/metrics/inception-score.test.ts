/**
 * Inception Score from class probabilities: its bounds (C for confident, evenly spread predictions; 1 for
 * one repeated prediction), the entropy decomposition, 0 log 0, splits, and the logits route.
 */
import { describe, expect, it } from 'vitest';
import { inceptionScore, inceptionScoreFromLogits } from '../../../../src/core/metrics/inception-score';
import { seededNormals } from '../../../fixtures/sr-reference';

function oneHot(labels: number[], classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => (out[i * classes + label] = 1));
  return out;
}

function softmaxRows(logits: Float64Array, classes: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let r = 0; r < logits.length / classes; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    row.forEach((v, c) => (out[r * classes + c] = Math.exp(v - max) / sum));
  }
  return out;
}

describe('inceptionScore', () => {
  it('confident predictions spread evenly over C classes give IS = C', () => {
    for (const classes of [2, 10, 25]) {
      const labels = Array.from({ length: 20 * classes }, (_, i) => i % classes);
      const result = inceptionScore(oneHot(labels, classes), labels.length, classes);
      expect(result.score).toBeCloseTo(classes, 12);
      expect(result.meanConditionalEntropy).toBe(0);
      expect(result.marginalEntropy).toBeCloseTo(Math.log(classes), 14);
    }
  });

  it('one repeated prediction (a generator that outputs one image) gives IS = 1', () => {
    const row = [0.05, 0.6, 0.1, 0.25];
    const probabilities = Float64Array.from({ length: 4 * 500 }, (_, i) => row[i % 4]);
    const result = inceptionScore(probabilities, 500, 4);
    expect(result.score).toBeCloseTo(1, 12);
    expect(result.marginalEntropy).toBeCloseTo(result.meanConditionalEntropy, 12);
    // ... also when that one prediction is confident.
    expect(inceptionScore(oneHot(new Array(100).fill(3), 10), 100, 10).score).toBe(1);
  });

  it('log IS = H(p(y)) - E H(p(y|x)), each part matching a direct computation', () => {
    const count = 400;
    const classes = 10;
    const logits = seededNormals(count * classes, 5).map((v) => 3 * v);
    const p = softmaxRows(logits, classes);
    const result = inceptionScore(p, count, classes);
    let conditional = 0;
    let kl = 0;
    const marginal = new Float64Array(classes);
    for (let i = 0; i < count; i++) for (let c = 0; c < classes; c++) marginal[c] += p[i * classes + c] / count;
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < classes; c++) {
        const q = p[i * classes + c];
        conditional -= (q * Math.log(q)) / count;
        kl += (q * Math.log(q / marginal[c])) / count;
      }
    }
    const marginalEntropy = -marginal.reduce((s, q) => s + q * Math.log(q), 0);
    expect(result.meanConditionalEntropy).toBeCloseTo(conditional, 12);
    expect(result.marginalEntropy).toBeCloseTo(marginalEntropy, 12);
    expect(Math.log(result.score)).toBeCloseTo(result.marginalEntropy - result.meanConditionalEntropy, 12);
    expect(Math.log(result.score)).toBeCloseTo(kl, 12); // exp(E KL(p(y|x) || p(y)))
    expect(result.score).toBeGreaterThan(1);
    expect(result.score).toBeLessThan(classes);
  });

  it('treats 0 log 0 as 0 (exact zeros, unused classes)', () => {
    const p = Float32Array.from([1, 0, 0, 0, 0.5, 0.5, 0, 0]);
    const result = inceptionScore(p, 2, 4);
    expect(Number.isFinite(result.score)).toBe(true);
    expect(result.meanConditionalEntropy).toBeCloseTo(Math.log(2) / 2, 14);
    // p(y) = (0.75, 0.25, 0, 0)
    expect(result.marginalEntropy).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 14);
  });

  it('renormalizes float32 rows and rejects invalid probabilities', () => {
    const p = Float32Array.from([0.2, 0.8000001, 0.5, 0.4999999]);
    expect(inceptionScore(p, 2, 2).score).toBeGreaterThan(1);
    expect(() => inceptionScore(Float32Array.from([0.5, -0.1]), 1, 2)).toThrow(
      /row 0, class 1 is not a finite non-negative number/,
    );
    expect(() => inceptionScore(Float32Array.from([0, 0]), 1, 2)).toThrow(/row 0 sums to 0/);
    expect(() => inceptionScore(new Float32Array(5), 2, 3)).toThrow(/2 x 3 values need 6 elements, got 5/);
  });

  it('splits: contiguous parts with their own p(y); mean and population std of the part scores', () => {
    // First half all class 0, second half all class 1: each part sees one class (IS 1), the whole set two (IS 2).
    const labels = [...new Array(50).fill(0), ...new Array(50).fill(1)];
    const p = oneHot(labels, 2);
    expect(inceptionScore(p, 100, 2).score).toBeCloseTo(2, 14);
    const split = inceptionScore(p, 100, 2, { splits: 2 });
    expect(split.splitScores).toEqual([1, 1]);
    expect(split.score).toBe(1);
    expect(split.std).toBe(0);
    expect(split.marginalEntropy).toBeCloseTo(Math.log(2), 14); // whole-set entropies
    expect(inceptionScore(p, 100, 2, { splits: 4 }).splitScores).toEqual([1, 1, 1, 1]); // parts of 25, each one class
    const three = inceptionScore(p, 100, 2, { splits: 3 }); // [0, 33) [33, 66) [66, 100): the middle part mixes
    expect(three.splitScores[0]).toBe(1);
    expect(three.splitScores[1]).toBeGreaterThan(1);
    const mean = three.splitScores.reduce((s, v) => s + v, 0) / 3;
    expect(three.score).toBeCloseTo(mean, 14);
    expect(three.std).toBeCloseTo(Math.sqrt(three.splitScores.reduce((s, v) => s + (v - mean) ** 2, 0) / 3), 14);
    expect(() => inceptionScore(p, 100, 2, { splits: 101 })).toThrow(/splits must be an integer in \[1, 100\]/);
  });

  it('from logits: the same as from their float64 softmax, and exact for saturated logits', () => {
    const count = 64;
    const classes = 10;
    const logits = seededNormals(count * classes, 8).map((v) => 4 * v);
    const fromLogits = inceptionScoreFromLogits(logits, count, classes, { splits: 4 });
    const fromProbabilities = inceptionScore(softmaxRows(logits, classes), count, classes, { splits: 4 });
    expect(fromLogits.score).toBeCloseTo(fromProbabilities.score, 12);
    expect(fromLogits.meanConditionalEntropy).toBeCloseTo(fromProbabilities.meanConditionalEntropy, 12);
    // Logit gaps of 2000 underflow exp(): one-hot rows, entropy 0, IS = number of distinct classes used.
    const saturated = Float32Array.from({ length: 4 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1000 : -1000));
    const result = inceptionScoreFromLogits(saturated, 4, 3);
    expect(result.meanConditionalEntropy).toBe(0);
    expect(Number.isFinite(result.score)).toBe(true);
    expect(() => inceptionScoreFromLogits(Float32Array.from([0, NaN]), 1, 2)).toThrow(
      /non-finite logit NaN at row 0, class 1/,
    );
  });
});

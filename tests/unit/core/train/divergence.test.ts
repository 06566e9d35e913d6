import { describe, expect, it } from 'vitest';
import { divergenceMessage } from '../../../../src/core/train/divergence';

const point = (iteration: number, dLoss: number, gLoss: number) => ({
  iteration,
  seconds: 1,
  dLoss,
  gLoss,
  sigmas: [1],
  gradNorms: [1],
  gradNormTotal: 1,
});

describe('divergenceMessage', () => {
  it('is null for finite losses and for iteration 0, which has no losses yet', () => {
    expect(divergenceMessage(point(5, 1.2, -0.3))).toBeNull();
    expect(divergenceMessage(point(0, NaN, NaN))).toBeNull();
  });

  it('names NaN and the iteration', () => {
    expect(divergenceMessage(point(12, NaN, 0.5))).toBe('Loss became NaN at iteration 12 (D loss NaN, G loss 0.5)');
  });

  it('names an infinite loss', () => {
    expect(divergenceMessage(point(3, 1, -Infinity))).toMatch(/^Loss became infinite at iteration 3/);
  });

  it('names a layer whose weight became non-finite (seen through its sigma), even at iteration 0', () => {
    const bad = { ...point(7, 1, 1), sigmas: [1, Number.POSITIVE_INFINITY, NaN] };
    expect(divergenceMessage(bad, ['D.conv0', 'D.conv1', 'D.dense'])).toBe(
      'The D weight of D.conv1 became non-finite at iteration 7 (sigma Infinity)',
    );
    expect(divergenceMessage({ ...point(0, NaN, NaN), sigmas: [NaN] })).toBe(
      'The D weight of layer 0 became non-finite at iteration 0 (sigma NaN)',
    );
  });
});

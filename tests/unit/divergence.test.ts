import { describe, expect, it } from 'vitest';
import { divergenceMessage } from '../../src/core/train/divergence';

const point = (iteration: number, dLoss: number, gLoss: number) => ({ iteration, seconds: 1, dLoss, gLoss, sigmas: [1], gradNorms: [1], gradNormTotal: 1 });

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
});

// The shared number helpers (src/core/numbers.ts): finite-or-null for chart rows and JSON, and the
// element count of a tensor shape.
import { describe, expect, it } from 'vitest';
import { finiteOrNull, shapeSize } from '../../../src/core/numbers';

describe('finiteOrNull', () => {
  it('keeps finite numbers, zero and negatives included', () => {
    expect([1.5, 0, -0, -3].map(finiteOrNull)).toEqual([1.5, 0, -0, -3]);
  });

  it('gives null for NaN, infinities and anything that is not a number', () => {
    expect([NaN, Infinity, -Infinity, '1', null, undefined, {}].map(finiteOrNull)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('shapeSize', () => {
  it('multiplies the dimensions; a scalar has one element, an empty dimension none', () => {
    expect(shapeSize([3, 3, 16, 32])).toBe(4608);
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([4, 0, 2])).toBe(0);
  });
});

// A kept run keeps its colour: removing another run must not recolour the ones after it, and a new
// run takes the lowest colour no kept run uses.
import { describe, expect, it } from 'vitest';
import { freeColorIndex } from '../../../../src/ui/runs/kept-runs';
import { keptRunColor } from '../../../../src/ui/runs/use-run-list';

describe('kept run colours', () => {
  it('gives out the lowest free index, so a removed run frees its colour for the next one', () => {
    expect(freeColorIndex([])).toBe(0);
    expect(freeColorIndex([0, 1, 2])).toBe(3);
    expect(freeColorIndex([0, 2])).toBe(1); // run 1 was removed; runs 0 and 2 keep theirs
    expect(freeColorIndex([3, 0, 1])).toBe(2);
  });

  it('maps indices to distinct palette colours, wrapping after the palette', () => {
    const first = Array.from({ length: 10 }, (_, i) => keptRunColor(i));
    expect(new Set(first).size).toBe(10);
    expect(keptRunColor(10)).toBe(keptRunColor(0));
  });
});

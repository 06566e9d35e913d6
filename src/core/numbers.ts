// Small number helpers the engine and the page share.

/** The value when it is a finite number, else null: JSON and the charts show null as a gap. */
export function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Elements in a tensor of this shape (1 for a scalar's []). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((product, n) => product * n, 1);
}

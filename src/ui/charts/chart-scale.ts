// The geometry of a chart, as plain functions: domains, ticks, scales and the SVG path of a series.
// SeriesChart draws with these in one render, with no layout pass of its own: a read-back redraws
// every chart of the page, and the page's thread must stay free (docs/performance.md).

/** A step of 1, 2 or 5 times a power of ten giving about `count` steps over `span` (d3's rule). */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return factor * power;
}

/** Multiples of a nice step inside [lo, hi]; `integers` keeps the step at 1 or more. */
export function linearTicks(lo: number, hi: number, count = 5, integers = false): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const step = integers ? Math.max(1, niceStep(hi - lo, count)) : niceStep(hi - lo, count);
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** [lo, hi] widened to multiples of its nice step (the usual 'auto' domain); a flat line gets room. */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceDomain(lo - pad, hi + pad, count);
  }
  const step = niceStep(hi - lo, count);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** Smallest and largest finite number among `values`, or null when there is none. */
export function extent(values: Iterable<unknown>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const value of values) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  return lo <= hi ? [lo, hi] : null;
}

export type Scale = (value: number) => number;

/** Maps [d0, d1] onto the pixels [r0, r1]; a zero-width domain maps to the middle. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/** The same over log10 of the values (positive domain). */
export function logScale([d0, d1]: readonly [number, number], range: readonly [number, number]): Scale {
  const inner = linearScale([Math.log10(d0), Math.log10(d1)], range);
  return (value) => inner(Math.log10(value));
}

/** The pixel centres of `count` categories over [r0, r1] with `padding` pixels kept at each end. */
export function categoryCentres(count: number, [r0, r1]: readonly [number, number], padding: number): number[] {
  if (count === 0) return [];
  const inner = Math.max(0, r1 - r0 - 2 * padding);
  const band = inner / count;
  return Array.from({ length: count }, (_, i) => r0 + padding + band * (i + 0.5));
}

/** A pixel figure for a path: a tenth of a pixel is finer than any screen draws. */
const px = (value: number) => Math.round(value * 10) / 10;

/**
 * The SVG path of one series: "M x,y L x,y ..." through its points in row order. A missing value
 * (null, non-finite, or off a log axis) breaks the line unless `connectNulls`; a point with no
 * neighbour on either side is returned apart, to be drawn as a dot (a path of one vertex shows nothing).
 */
export function seriesPath(
  xs: readonly number[],
  ys: readonly unknown[],
  y: Scale,
  connectNulls: boolean,
): { d: string; vertices: [number, number][]; isolated: [number, number][] } {
  const parts: string[] = [];
  const isolated: [number, number][] = [];
  const vertices: [number, number][] = [];
  let run: [number, number][] = [];
  const flush = () => {
    if (run.length === 1) isolated.push(run[0]);
    if (run.length > 0) parts.push(run.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${a},${b}`).join(''));
    run = [];
  };
  for (let i = 0; i < xs.length; i++) {
    const value = ys[i];
    const pixel = typeof value === 'number' && Number.isFinite(value) ? y(value) : NaN;
    if (!Number.isFinite(pixel) || !Number.isFinite(xs[i])) {
      if (!connectNulls) flush();
      continue;
    }
    const vertex: [number, number] = [px(xs[i]), px(pixel)];
    run.push(vertex);
    vertices.push(vertex);
  }
  flush();
  return { d: parts.join(''), vertices, isolated };
}

/** Index of the pixel x nearest to `at` (the hovered row), or -1 for none. */
export function nearestIndex(xs: readonly number[], at: number): number {
  let best = -1;
  let distance = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const d = Math.abs(xs[i] - at);
    if (d < distance) {
      distance = d;
      best = i;
    }
  }
  return best;
}

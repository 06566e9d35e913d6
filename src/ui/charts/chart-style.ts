// Colours and sizes the charts share, so lines mean the same thing across panels. Colours are CSS
// variables of theme.css (SVG attributes accept var()), so the charts follow the light or dark scheme.
/** Short enough for two rows of panels on a 1440x900 first screen. */
export const CHART_HEIGHT = 170;
export const D_COLOR = 'var(--chart-d)';
export const G_COLOR = 'var(--chart-g)';
/** One colour per discriminator layer, shallow (light) to deep (dark): --layer-0 to --layer-9. */
export const LAYER_COLORS = Array.from({ length: 10 }, (_, i) => `var(--layer-${i})`);

export function layerColor(index: number): string {
  return LAYER_COLORS[index % LAYER_COLORS.length];
}

/** Reference lines (real-data values, bounds) and their labels. */
export const GUIDE_COLOR = 'var(--chart-guide)';
export const GUIDE_TEXT_COLOR = 'var(--chart-guide-text)';
/** A legend entry whose series is hidden. */
export const OFF_COLOR = 'var(--chart-off)';
/** The outline of markers, so they stand out of the line beneath (the panel's background). */
export const MARKER_EDGE_COLOR = 'var(--chart-marker-edge)';
/** Normalization switch marks on the time charts. */
export const SWITCH_COLOR = 'var(--chart-switch)';
/** Collapse alarm marks and the alarm banner. */
export const ALARM_COLOR = 'var(--alarm)';
/** The whole discriminator's gradient norm, beside the per-layer ones. */
export const TOTAL_COLOR = 'var(--chart-strong)';
/** Small multiples (one chart per layer) are shorter. */
export const SMALL_CHART_HEIGHT = 130;

function mix(a: readonly number[], b: readonly number[], t: number): number[] {
  return a.map((value, i) => Math.round(value + (b[i] - value) * t));
}

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Old (t = 0) to new (t = 1): the spectrum curves of successive snapshots, light to dark in the light
 * scheme and dark to light in the dark one (theme.css's --ramp-old, --ramp-new).
 */
export function rampColor(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 1;
  return `color-mix(in srgb, var(--ramp-new) ${Math.round(clamped * 100)}%, var(--ramp-old))`;
}

/** Viridis, sampled: low (t = 0, dark purple) to high (t = 1, yellow), for the spectrum heat map. */
const HEAT_STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function heatColor(t: number): [number, number, number] {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const position = clamped * (HEAT_STOPS.length - 1);
  const i = Math.min(HEAT_STOPS.length - 2, Math.floor(position));
  const [r, g, b] = mix(HEAT_STOPS[i], HEAT_STOPS[i + 1], position - i);
  return [r, g, b];
}

export function heatCss(t: number): string {
  return hex(heatColor(t));
}

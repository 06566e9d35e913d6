// Colours and sizes the charts share, so lines mean the same thing across panels.
export const CHART_HEIGHT = 200;
export const D_COLOR = '#d95f02';
export const G_COLOR = '#1b9e77';
/** One colour per discriminator layer, shallow (light) to deep (dark). */
export const LAYER_COLORS = [
  '#9ecae1',
  '#6baed6',
  '#4292c6',
  '#2171b5',
  '#08519c',
  '#08306b',
  '#54278f',
  '#3f007d',
  '#67000d',
  '#a50f15',
];

export function layerColor(index: number): string {
  return LAYER_COLORS[index % LAYER_COLORS.length];
}

export const AXIS_TICK = { fontSize: 11 };
/** Normalization switch marks on the time charts. */
export const SWITCH_COLOR = '#424242';
/** Collapse alarm marks and the alarm banner. */
export const ALARM_COLOR = '#c62828';
/** The whole discriminator's gradient norm, beside the per-layer ones. */
export const TOTAL_COLOR = '#212121';
/** Small multiples (one chart per layer) are shorter. */
export const SMALL_CHART_HEIGHT = 140;

function mix(a: readonly number[], b: readonly number[], t: number): number[] {
  return a.map((value, i) => Math.round(value + (b[i] - value) * t));
}

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

const RAMP_OLD = [189, 215, 231]; // light blue
const RAMP_NEW = [8, 48, 107]; // dark blue

/** Old (t = 0, light) to new (t = 1, dark): the spectrum curves of successive snapshots. */
export function rampColor(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 1;
  return hex(mix(RAMP_OLD, RAMP_NEW, clamped));
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

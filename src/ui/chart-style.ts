// Colours and sizes the charts share, so lines mean the same thing across panels.
export const CHART_HEIGHT = 200;
export const D_COLOR = '#d95f02';
export const G_COLOR = '#1b9e77';
/** One colour per discriminator layer, shallow (light) to deep (dark). */
export const LAYER_COLORS = ['#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b', '#54278f', '#3f007d', '#67000d', '#a50f15'];

export function layerColor(index: number): string {
  return LAYER_COLORS[index % LAYER_COLORS.length];
}

export const AXIS_TICK = { fontSize: 11 };
/** Normalization switch marks on the time charts. */
export const SWITCH_COLOR = '#424242';

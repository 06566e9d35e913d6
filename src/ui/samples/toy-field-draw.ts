// Drawing of D's decision surface behind the 2-D scatter (GAN Lab's picture): each cell coloured by
// D's logit there (blue: D calls it real, orange: generated; white at 0, full colour at the field's
// largest |logit|), and an arrow per generated point along -dL_G/dx, the way G's next update pushes it.
import type { ToyField } from '../../core/train/toy-field';
import { toPixel } from './toy-rows';

const REAL_RGB = [33, 102, 172] as const;
const FAKE_RGB = [214, 96, 77] as const;
/** The surface is drawn pale so the points on top stay readable. */
const MAX_ALPHA = 0.55;
const ARROW_COLOR = '#212121';
/** The longest arrow of a field, in pixels; the others are scaled with it. */
const ARROW_PIXELS = 28;

/** The colour of a logit on a field whose largest |logit| is `scale`, as CSS rgba. */
export function logitColor(logit: number, scale: number): string {
  if (!Number.isFinite(logit) || !(scale > 0)) return 'rgba(0,0,0,0)';
  const t = Math.min(1, Math.abs(logit) / scale);
  const [r, g, b] = logit >= 0 ? REAL_RGB : FAKE_RGB;
  return `rgba(${r},${g},${b},${(t * MAX_ALPHA).toFixed(3)})`;
}

/** The largest finite |logit| of the field (0 when none is finite). */
export function logitScale(logits: Float32Array): number {
  let scale = 0;
  for (const value of logits) if (Number.isFinite(value)) scale = Math.max(scale, Math.abs(value));
  return scale;
}

export function drawToyField(
  context: CanvasRenderingContext2D,
  field: ToyField,
  half: number,
  size: number,
  arrowColor = ARROW_COLOR,
): void {
  const { side, min, max } = field.window;
  const scale = logitScale(field.logits);
  // The window is the scatter's view, so a cell is size / side pixels; computed from the window so
  // that a field of another window still lands where its coordinates are.
  const cellPixels = ((max - min) / (2 * half)) * (size / side);
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      context.fillStyle = logitColor(field.logits[row * side + column], scale);
      const x = toPixel(min, half, size) + column * cellPixels;
      const y = toPixel(max, half, size, true) + row * cellPixels;
      context.fillRect(Math.floor(x), Math.floor(y), Math.ceil(cellPixels), Math.ceil(cellPixels));
    }
  }
  drawArrows(context, field, half, size, arrowColor);
}

function drawArrows(
  context: CanvasRenderingContext2D,
  field: ToyField,
  half: number,
  size: number,
  arrowColor: string,
): void {
  const { points, arrows } = field;
  let longest = 0;
  for (let i = 0; i + 1 < arrows.length; i += 2) longest = Math.max(longest, Math.hypot(arrows[i], arrows[i + 1]) || 0);
  if (!(longest > 0)) return;
  context.strokeStyle = arrowColor;
  context.lineWidth = 1.25;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = toPixel(points[i], half, size);
    const y = toPixel(points[i + 1], half, size, true);
    const dx = (arrows[i] / longest) * ARROW_PIXELS;
    const dy = (-arrows[i + 1] / longest) * ARROW_PIXELS; // canvas y grows downwards
    if (![x, y, dx, dy].every(Number.isFinite)) continue;
    const angle = Math.atan2(dy, dx);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x + dx, y + dy);
    for (const turn of [-0.5, 0.5]) {
      context.moveTo(x + dx, y + dy);
      context.lineTo(x + dx - 5 * Math.cos(angle + turn), y + dy - 5 * Math.sin(angle + turn));
    }
    context.stroke();
  }
}

// 2-D data: real points (light grey) against the generator's points for the fixed latent vectors
// (coloured), with each mode's 3-std circle, on fixed axes covering the data set; behind them, on a
// canvas of its own, D's output over the plane and G's arrows (toy-field-draw.ts).
import { useEffect, useRef } from 'react';
import type { ToyDatasetName } from '../../core/config/schema';
import type { TrainingState } from '../app/training-state';
import { useCanvasColors, type CanvasColors } from '../charts/canvas-colors';
import { PanelHeading } from '../charts/PanelHeading';
import { toPixel, toyViewHalfWidth } from './toy-rows';
import { drawToyField } from './toy-field-draw';

/** Canvas side in CSS pixels; the backing store has devicePixelRatio times as many, so it stays sharp. */
const SIZE = 320;

/** Device pixels per CSS pixel (2 or 3 on high-density screens). */
function pixelRatio(): number {
  return typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
}

/** The 2-D context with drawing in CSS pixels, whatever the backing store's density. */
function cssPixelContext(canvas: HTMLCanvasElement | null, ratio: number): CanvasRenderingContext2D | null {
  const context = canvas?.getContext('2d') ?? null;
  context?.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/** The axes through the origin, with their end values, so a reader can place a point. */
function drawAxes(context: CanvasRenderingContext2D, half: number, colors: CanvasColors): void {
  const origin = toPixel(0, half, SIZE);
  const y0 = SIZE - 1 - origin;
  context.strokeStyle = colors.axis;
  context.lineWidth = 1;
  context.beginPath();
  context.moveTo(origin, 0);
  context.lineTo(origin, SIZE);
  context.moveTo(0, y0);
  context.lineTo(SIZE, y0);
  context.stroke();
  context.fillStyle = colors.tick;
  context.font = '10px sans-serif';
  context.textBaseline = 'bottom';
  context.textAlign = 'left';
  context.fillText(`x −${half}`, 2, y0 - 2);
  context.textAlign = 'right';
  context.fillText(`${half}`, SIZE - 2, y0 - 2);
  context.textAlign = 'left';
  context.textBaseline = 'top';
  context.fillText(`y ${half}`, origin + 3, 2);
  context.textBaseline = 'bottom';
  context.fillText(`−${half}`, origin + 3, SIZE - 2);
}

interface Props {
  dataset: ToyDatasetName | null;
  toyPoints: TrainingState['toyPoints'];
  realPoints: TrainingState['realPoints'];
  toyField: TrainingState['toyField'];
}

function drawPoints(
  context: CanvasRenderingContext2D,
  points: Float32Array,
  half: number,
  color: string,
  radius: number,
): void {
  context.fillStyle = color;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const px = toPixel(points[i], half, SIZE);
    const py = toPixel(points[i + 1], half, SIZE, true);
    if (Number.isNaN(px) || Number.isNaN(py)) continue;
    context.fillRect(px - radius, py - radius, 2 * radius, 2 * radius);
  }
}

export function ToyScatter({ dataset, toyPoints, realPoints, toyField }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const fieldRef = useRef<HTMLCanvasElement>(null);
  const mixture = realPoints?.mixture ?? null;
  const half = mixture ? toyViewHalfWidth(dataset, mixture) : dataset === 'grid25' ? 5.5 : 3;

  const ratio = pixelRatio();
  // The plot's paper, axes and marks follow the colour scheme; D's field keeps its own colours.
  const colors = useCanvasColors();

  useEffect(() => {
    const context = cssPixelContext(fieldRef.current, ratio);
    if (!context) return;
    context.fillStyle = colors.paper;
    context.fillRect(0, 0, SIZE, SIZE);
    if (toyField) drawToyField(context, toyField.field, half, SIZE, colors.arrow);
  }, [colors, half, ratio, toyField]);

  useEffect(() => {
    // The scatter is transparent where nothing is drawn: the heat map shows through.
    const context = cssPixelContext(canvasRef.current, ratio);
    if (!context) return;
    context.clearRect(0, 0, SIZE, SIZE);
    drawAxes(context, half, colors);
    if (realPoints) drawPoints(context, realPoints.points, half, colors.real, 1);
    if (toyPoints) {
      context.globalAlpha = 0.6;
      drawPoints(context, toyPoints.points, half, colors.generated, 1.25);
      context.globalAlpha = 1;
    }
    if (mixture) {
      const scale = (SIZE - 1) / (2 * half);
      context.strokeStyle = colors.mark;
      context.lineWidth = 1;
      for (const [x, y] of mixture.modes) {
        context.beginPath();
        context.arc(
          toPixel(x, half, SIZE),
          toPixel(y, half, SIZE, true),
          Math.max(2, 3 * mixture.std * scale),
          0,
          2 * Math.PI,
        );
        context.stroke();
      }
    }
  }, [colors, half, mixture, ratio, realPoints, toyPoints]);

  return (
    <figure className="panel samples-panel" data-testid="toy-scatter-panel">
      <figcaption>
        <PanelHeading
          title="Generated points"
          helpId="toy-scatter"
          caption={
            <>
              Real points grey, the generator's points for the same 2500 latent vectors green
              {toyPoints ? ` (iteration ${toyPoints.iteration})` : ''}, circles = each mode's 3-std radius; axes [−
              {half}, {half}]², points outside drawn on the edge. Behind them D's output: blue where D calls a point
              real, orange where it calls it generated (pale at 0, full at the largest |logit|
              {toyField && toyField.iteration !== toyPoints?.iteration
                ? `; field of iteration ${toyField.iteration}`
                : ''}
              ), and arrows from 24 generated points along −∇L_G, where G's next update pushes them.
            </>
          }
        />
      </figcaption>
      <div className="toy-plot">
        <canvas
          ref={fieldRef}
          className="toy-heatmap"
          data-testid="toy-heatmap"
          width={Math.round(SIZE * ratio)}
          height={Math.round(SIZE * ratio)}
          data-field-iteration={toyField?.iteration ?? -1}
        />
        <canvas
          ref={canvasRef}
          className="toy-scatter"
          data-testid="toy-scatter"
          width={Math.round(SIZE * ratio)}
          height={Math.round(SIZE * ratio)}
          data-iteration={toyPoints?.iteration ?? -1}
        />
      </div>
    </figure>
  );
}

// The history of one layer's normalized spectrum as a heat map on a canvas (a few hundred snapshots
// times a few hundred singular values would be far too many SVG elements): snapshot on x (oldest
// left), index i on y (1 at the top), colour = log10(s_i / s_1).
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { heatColor, heatCss } from '../charts/chart-style';
import { formatValue } from './observatory-rows';
import type { SpectrumHeatmap as Heatmap } from './spectrum-rows';

/** Colours of the scale, looked up instead of interpolated per cell. */
const LUT_SIZE = 256;
const LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let k = 0; k < LUT_SIZE; k++) lut.set(heatColor(k / (LUT_SIZE - 1)), k * 3);
  return lut;
})();
const MISSING = [236, 236, 236];

const SCALE_GRADIENT = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => heatCss(t)).join(', ')})`;

export function SpectrumHeatmap({ heatmap, layerName }: { heatmap: Heatmap; layerName: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string | null>(null);
  const width = heatmap.iterations.length;
  const height = heatmap.size;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width === 0 || height === 0) return;
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    const span = -heatmap.floor;
    for (let cell = 0; cell < width * height; cell++) {
      const value = heatmap.values[cell];
      const at = cell * 4;
      if (Number.isNaN(value)) {
        image.data.set(MISSING, at);
      } else {
        const t = Math.min(1, Math.max(0, (value - heatmap.floor) / span));
        const k = Math.round(t * (LUT_SIZE - 1)) * 3;
        image.data[at] = LUT[k];
        image.data[at + 1] = LUT[k + 1];
        image.data[at + 2] = LUT[k + 2];
      }
      image.data[at + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [heatmap, width, height]);

  const range = useMemo(
    () =>
      width
        ? `iteration ${heatmap.iterations[0]} → ${heatmap.iterations[width - 1]} (${width} ` +
          `snapshot${width === 1 ? '' : 's'}, oldest left)`
        : '',
    [heatmap, width],
  );

  if (width === 0 || height === 0) return <div className="chart-empty">No singular values for {layerName} yet.</div>;

  const onMove = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return;
    const j = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
    const i = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
    const value = heatmap.values[i * width + j];
    setHover(
      `iteration ${heatmap.iterations[j]}, i = ${i + 1}: s_i/s_1 = ` +
        `${Number.isNaN(value) ? '–' : formatValue(10 ** value)}`,
    );
  };

  return (
    <div className="heatmap">
      <div className="heatmap-title">
        History of {layerName}'s spectrum: log<sub>10</sub>(s<sub>i</sub>/s<sub>1</sub>)
      </div>
      <div className="heatmap-body">
        <div className="heatmap-yaxis" aria-hidden="true">
          <span>i = 1</span>
          <span>i = {height}</span>
        </div>
        <canvas
          ref={canvasRef}
          className="heatmap-canvas"
          data-testid="spectrum-heatmap"
          data-columns={width}
          data-rows={height}
          width={width}
          height={height}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          aria-label={`Heat map of ${layerName}'s normalized singular values, ${range}`}
        />
      </div>
      <div className="heatmap-xaxis">{range}</div>
      <div className="heat-scale">
        <span>
          10<sup>{heatmap.floor}</sup> or less
        </span>
        <span className="heat-scale-bar" style={{ background: SCALE_GRADIENT }} />
        <span>1</span>
        <span className="heat-scale-missing" /> <span>none</span>
      </div>
      <div className="heatmap-hover hint">{hover ?? 'Point at the map for a value.'}</div>
    </div>
  );
}

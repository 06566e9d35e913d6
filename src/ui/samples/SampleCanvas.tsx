// The fixed-z sample grid, drawn pixel for pixel and scaled up by CSS (pixelated, no smoothing).
import { useEffect, useRef } from 'react';
import type { SampleGrid } from '../../core/train/types';
import { PanelHeading } from '../charts/PanelHeading';

export function SampleCanvas({ grid }: { grid: SampleGrid | null }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !grid) return;
    canvas.width = grid.width;
    canvas.height = grid.height;
    const context = canvas.getContext('2d');
    // A fresh view: the worker transferred the buffer, and ImageData wants exactly width*height*4 bytes.
    context?.putImageData(new ImageData(new Uint8ClampedArray(grid.rgba), grid.width, grid.height), 0, 0);
  }, [grid]);

  return (
    <figure className="panel samples-panel">
      <figcaption>
        <PanelHeading
          title="Generated samples"
          helpId="samples"
          caption={`The same latent vectors every time${grid ? `, at iteration ${grid.iteration}` : ''}.`}
        />
      </figcaption>
      <canvas
        ref={canvasRef}
        className="samples"
        data-testid="samples"
        width={256}
        height={256}
        data-iteration={grid?.iteration ?? -1}
      />
    </figure>
  );
}

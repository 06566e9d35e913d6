// The theme's colours for canvas drawing (a canvas takes no CSS variables): read from theme.css's
// --canvas-* variables, and read again when the system switches between light and dark.
import { useEffect, useState } from 'react';

export interface CanvasColors {
  /** The plot's background. */
  paper: string;
  axis: string;
  tick: string;
  /** Outlines drawn over the data (the toy modes' circles). */
  mark: string;
  /** Real data points, and the generator's. */
  real: string;
  generated: string;
  arrow: string;
}

const LIGHT: CanvasColors = {
  paper: '#fff',
  axis: '#eee',
  tick: '#757575',
  mark: '#424242',
  real: '#c8c8c8',
  generated: '#1b9e77',
  arrow: '#212121',
};

function readColors(): CanvasColors {
  if (typeof document === 'undefined') return LIGHT;
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    paper: read('--canvas-paper', LIGHT.paper),
    axis: read('--canvas-axis', LIGHT.axis),
    tick: read('--canvas-tick', LIGHT.tick),
    mark: read('--canvas-mark', LIGHT.mark),
    real: read('--canvas-real', LIGHT.real),
    generated: read('--chart-g', LIGHT.generated),
    arrow: read('--canvas-arrow', LIGHT.arrow),
  };
}

export function useCanvasColors(): CanvasColors {
  const [colors, setColors] = useState(readColors);
  useEffect(() => {
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!media) return;
    const update = () => setColors(readColors());
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return colors;
}

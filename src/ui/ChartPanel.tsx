// A titled frame around one chart. data-points tells a test (or a curious person in devtools) how
// many read-backs the chart holds; the drawn paths carry the data themselves.
import type { ReactNode } from 'react';

interface Props {
  title: string;
  caption: string;
  testId: string;
  points: number;
  children: ReactNode;
}

export function ChartPanel({ title, caption, testId, points, children }: Props) {
  return (
    <figure className="panel chart-panel" data-testid={testId} data-points={points}>
      <figcaption>
        <h3>{title}</h3>
        <p className="hint">{caption}</p>
      </figcaption>
      {points === 0 ? <div className="chart-empty">No read-backs yet: press Train or Step.</div> : children}
    </figure>
  );
}

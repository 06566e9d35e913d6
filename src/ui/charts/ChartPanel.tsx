// A titled frame around one chart. data-points tells a test (or a curious person in devtools) how
// many read-backs (or snapshots) the chart holds; the drawn paths carry the data themselves. The
// caption sits in the help note behind the title's ? toggle, so the charts fit the first screen.
import type { ReactNode } from 'react';
import { PanelHeading } from './PanelHeading';

export const NO_READBACKS = 'No read-backs yet: press Train or Step.';
export const NO_SPECTRA = (
  <span>
    No spectra yet: they are taken every <code>spectra</code> iterations (set in the URL; 0 = off).
  </span>
);

interface Props {
  title: string;
  caption: ReactNode;
  testId: string;
  points: number;
  /** Shown instead of the chart while there are no points. */
  empty?: ReactNode;
  /** Spans the whole outputs row. */
  wide?: boolean;
  /** The caption is live status (see PanelHeading): shown, not folded into the help note. */
  captionShown?: boolean;
  /** Beside the title (e.g. a layer picker). */
  controls?: ReactNode;
  children: ReactNode;
}

export function ChartPanel({
  title,
  caption,
  testId,
  points,
  empty = NO_READBACKS,
  wide = false,
  captionShown = false,
  controls,
  children,
}: Props) {
  return (
    <figure
      className={wide ? 'panel chart-panel chart-panel-wide' : 'panel chart-panel'}
      data-testid={testId}
      data-points={points}
    >
      <figcaption>
        <PanelHeading title={title} helpId={testId} caption={caption} captionShown={captionShown} controls={controls} />
      </figcaption>
      {points === 0 ? <div className="chart-empty">{empty}</div> : children}
    </figure>
  );
}

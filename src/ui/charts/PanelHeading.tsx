// A panel's title row with its "what am I looking at" toggle (?), and the note it opens: the panel's
// caption, what to look for (src/ui/app/panel-help.ts) and the experiments that show it. The note
// stays in the DOM while closed (hidden), so its text is still the panel's text.
import { useId, useState, type ReactNode } from 'react';
import { helpLinks, PANEL_HELP } from '../app/panel-help';

interface Props {
  title: ReactNode;
  /** The panel's data-testid: names its help (PANEL_HELP) and the toggle's test id. */
  helpId: string;
  caption?: ReactNode;
  /** The caption is live status with controls (the proxy net's): shown under the title, not in the note. */
  captionShown?: boolean;
  /** Beside the title (a layer picker, a metric picker). */
  controls?: ReactNode;
}

export function PanelHeading({ title, helpId, caption, captionShown = false, controls }: Props) {
  const [open, setOpen] = useState(false);
  const noteId = useId();
  const help = PANEL_HELP[helpId];
  const links = help ? helpLinks(help) : [];
  return (
    <>
      <div className="chart-panel-title">
        <h3>{title}</h3>
        <span className="chart-panel-controls">
          {controls}
          <button
            type="button"
            className="help-toggle"
            data-testid={`help-${helpId}`}
            aria-expanded={open}
            aria-controls={noteId}
            aria-label="What am I looking at?"
            title="What am I looking at?"
            onClick={() => setOpen(!open)}
          >
            ?
          </button>
        </span>
      </div>
      {captionShown && caption && <p className="hint">{caption}</p>}
      <div className="help-note" id={noteId} data-testid={`help-note-${helpId}`} hidden={!open}>
        {!captionShown && caption && <p className="hint">{caption}</p>}
        {help && <p className="help-look">{help.look}</p>}
        {links.length > 0 && (
          <p className="help-links">
            See it: {/* Plain links, as the experiments panel's: opening one sets the run's URL fields. */}
            {links.map((link, i) => (
              <span key={link.id}>
                {i > 0 && ' · '}
                <a href={link.href} data-testid="help-experiment-link" data-experiment-id={link.id}>
                  {link.title}
                </a>{' '}
                (<code>{link.id}</code>)
              </span>
            ))}
          </p>
        )}
      </div>
    </>
  );
}

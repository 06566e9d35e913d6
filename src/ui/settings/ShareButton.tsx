// Copies the page's URL (which holds the whole configuration). When the clipboard is refused, the
// link is shown selected in a text field so it can be copied by hand.
import { useEffect, useRef, useState } from 'react';

type ShareState = { kind: 'idle' } | { kind: 'copied' } | { kind: 'manual'; url: string };

export function ShareButton() {
  const [state, setState] = useState<ShareState>({ kind: 'idle' });
  const manualRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.kind === 'manual') manualRef.current?.select();
    if (state.kind !== 'copied') return;
    const timer = setTimeout(() => setState({ kind: 'idle' }), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  const share = async () => {
    const url = window.location.href;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setState({ kind: 'copied' });
    } catch {
      setState({ kind: 'manual', url });
    }
  };

  return (
    <span className="share">
      <button
        type="button"
        data-testid="share-button"
        onClick={() => void share()}
        title="Copy a link that reproduces this run"
      >
        Share
      </button>
      {state.kind === 'copied' && (
        <span className="share-confirmation" role="status" data-testid="share-confirmation">
          Link copied
        </span>
      )}
      {state.kind === 'manual' && (
        <span className="share-manual" role="status">
          Copy this link:{' '}
          <input
            ref={manualRef}
            readOnly
            value={state.url}
            aria-label="Link to this run"
            onBlur={() => setState({ kind: 'idle' })}
          />
        </span>
      )}
    </span>
  );
}

// The offer to resume the runs found in this browser's autosave slots (newest first), and the
// autosave's status line. Subscribes to the autosave itself, so an autosave re-renders only this.
import type { SavedRun } from '../app/use-training-worker';
import type { SavedRunOffer } from './autosave-slots';
import { useExternal } from './external-value';
import { statusText, type AutosaveView } from './use-autosave';

interface Props {
  view: AutosaveView;
  /** Continues the run read from the chosen slot. */
  onResume(saved: SavedRun): void;
}

function describe(offer: SavedRunOffer, own: boolean): string {
  const when = offer.savedAt ? `, saved ${new Date(offer.savedAt).toLocaleString()}` : '';
  const size = offer.bytes ? `, ${(offer.bytes / 1e6).toFixed(1)} MB` : '';
  return `iteration ${offer.iteration}, ${offer.dataset}, ${offer.norm}${size}${when}${own ? ' (this tab)' : ''}.`;
}

export function ResumeOffer({ view, onResume }: Props) {
  const { offers, ownSlot, keep, status, loading } = useExternal(view.subscribe, view.snapshot);
  const resume = (slot: string) =>
    void view.take(slot).then((saved) => {
      if (saved) onResume(saved);
    });
  return (
    <>
      {offers.length > 0 && (
        <div className="resume-offer" role="status" data-testid="resume-offer">
          {offers.length === 1 ? 'A saved run was found:' : `${offers.length} saved runs were found, newest first:`}
          <ul className="saved-runs">
            {offers.map((offer) => (
              <li
                key={offer.slot}
                data-testid="saved-run"
                data-slot={offer.slot}
                data-iteration={offer.iteration ?? ''}
                data-damaged={offer.damaged ? 'true' : 'false'}
              >
                {offer.damaged ? (
                  <span data-testid="damaged-autosave">
                    A saved run{offer.iteration === null ? '' : ` (iteration ${offer.iteration})`} is damaged and cannot
                    be resumed: {offer.damaged}.
                  </span>
                ) : (
                  describe(offer, offer.slot === ownSlot)
                )}{' '}
                {!offer.damaged && (
                  <button
                    type="button"
                    className="primary"
                    data-testid="resume-button"
                    disabled={loading !== null}
                    onClick={() => resume(offer.slot)}
                  >
                    {loading === offer.slot ? 'Reading…' : 'Resume it'}
                  </button>
                )}{' '}
                <button type="button" data-testid="discard-autosave" onClick={() => view.discard(offer.slot)}>
                  Discard
                </button>
              </li>
            ))}
          </ul>
          <span className="hint">
            Each tab autosaves its run in a slot of its own: a new run in this tab replaces this tab&apos;s slot at its
            first autosave, never another tab&apos;s. The browser keeps the {keep} newest autosaves.
          </span>
        </div>
      )}
      {status && (
        <span
          className="autosave-status hint"
          data-testid="autosave-status"
          data-iteration={status.iteration}
          data-state={status.failed ? 'failed' : status.saved ? 'saved' : 'saving'}
          data-bytes={status.saved?.bytes}
          data-encode-ms={status.saved?.encodeMs.toFixed(1)}
          data-write-ms={status.saved?.writeMs.toFixed(1)}
        >
          {statusText(status)}
        </span>
      )}
    </>
  );
}

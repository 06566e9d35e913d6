// The offer to resume the run found in this browser's autosave, and the autosave's status line.
import type { Autosave } from './autosave';

interface Props {
  offer: Autosave | null;
  status: string | null;
  onResume(): void;
  onDiscard(): void;
}

export function ResumeOffer({ offer, status, onResume, onDiscard }: Props) {
  return (
    <>
      {offer && (
        <div className="resume-offer" role="status" data-testid="resume-offer">
          A saved run was found: iteration {offer.checkpoint.iteration}, {offer.checkpoint.config.dataset},{' '}
          {offer.checkpoint.config.norm}, saved {new Date(offer.savedAt).toLocaleString()}.{' '}
          <button type="button" className="primary" data-testid="resume-button" onClick={onResume}>
            Resume it
          </button>{' '}
          <button type="button" data-testid="discard-autosave" onClick={onDiscard}>
            Discard
          </button>{' '}
          <span className="hint">Training a new run replaces it at its first autosave.</span>
        </div>
      )}
      {status && (
        <span className="autosave-status hint" data-testid="autosave-status">
          {status}
        </span>
      )}
    </>
  );
}

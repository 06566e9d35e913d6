// Train/Pause, Step, Reset, Share, and the iteration counter: the bar a person keeps coming back to.
import type { WorkerPhase } from '../../worker/protocol';
import { ShareButton } from './ShareButton';

interface Props {
  phase: WorkerPhase;
  phaseDetail: string | null;
  iteration: number;
  iterationsPerSecond: number | null;
  runNotice: string | null;
  /** After a divergence: the iteration a rollback returns to (null: none, or no divergence). */
  rollbackIteration: number | null;
  onRollback(): void;
  onToggle(): void;
  onStep(): void;
  onReset(): void;
}

const PHASE_TEXT: Record<WorkerPhase, string> = {
  starting: 'Starting the backend…',
  'loading-data': 'Loading data…',
  building: 'Building the model…',
  paused: 'Paused',
  running: 'Training',
  failed: 'Stopped',
};

function formatRate(rate: number | null): string {
  if (rate === null) return '–';
  return rate >= 10 ? rate.toFixed(0) : rate.toPrecision(2);
}

export function RunControls({
  phase,
  phaseDetail,
  iteration,
  iterationsPerSecond,
  runNotice,
  rollbackIteration,
  onRollback,
  onToggle,
  onStep,
  onReset,
}: Props) {
  const running = phase === 'running';
  return (
    <section className="run-controls" aria-label="Run">
      <button type="button" className="primary" data-testid="train-toggle" onClick={onToggle} aria-pressed={running}>
        {running ? 'Pause' : 'Train'}
      </button>
      <button
        type="button"
        data-testid="step-button"
        onClick={onStep}
        title="One iteration: n_dis D updates, then one G update"
      >
        Step
      </button>
      <button type="button" data-testid="reset-button" onClick={onReset} title="New weights from the seed, iteration 0">
        Reset
      </button>
      {rollbackIteration !== null && (
        <button
          type="button"
          data-testid="rollback-button"
          onClick={onRollback}
          title="The run diverged: continue from the last checkpoint with finite losses and weights"
        >
          Roll back to iteration {rollbackIteration}
        </button>
      )}
      <div className="counter">
        <span className="counter-label">Iteration</span>
        <span className="counter-value" data-testid="iteration">
          {iteration}
        </span>
      </div>
      <div className="counter">
        <span className="counter-label">it/s</span>
        <span className="counter-value" data-testid="iterations-per-second">
          {formatRate(iterationsPerSecond)}
        </span>
      </div>
      {/* A live region: a screen reader hears "Paused", "Training", "Failed" as the run changes. */}
      <span className={`phase phase-${phase}`} data-testid="phase" role="status" aria-live="polite">
        {PHASE_TEXT[phase]}
        {phaseDetail && phase !== 'running' && phase !== 'paused' ? ` (${phaseDetail})` : ''}
      </span>
      <ShareButton />
      {runNotice && (
        <p className="run-notice" role="status" data-testid="run-notice">
          {runNotice}
        </p>
      )}
    </section>
  );
}

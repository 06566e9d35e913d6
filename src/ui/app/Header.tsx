// Title, the tfjs backend badge, and why the run is not on WebGPU when it is not.
import type { AdapterDescription } from '../../core/train/webgpu-adapter';
import type { BackendName } from '../../core/train/select-backend';

interface Props {
  backend: BackendName | null;
  notice: string | null;
  adapter: AdapterDescription | null;
  calibration: string | null;
}

const REQUESTED_NOTICE: Record<BackendName, string> = {
  webgpu: '',
  webgl: 'Training on WebGL, as the URL asks (backend=webgl).',
  cpu: 'Training on the CPU, as the URL asks (backend=cpu); this is much slower.',
};

export function Header({ backend, notice, adapter, calibration }: Props) {
  // A fallback says why; a forced backend says so; backend=auto's choice is explained by its figures.
  const fallbackText = notice ?? (backend && backend !== 'webgpu' && !calibration ? REQUESTED_NOTICE[backend] : null);
  return (
    <header className="app-header">
      <div className="title">
        <h1>Spectral GAN Playground</h1>
        <p className="subtitle">Why does constraining the discriminator's spectrum stabilize GAN training?</p>
      </div>
      <div className="backend">
        <span className="backend-label">tfjs backend</span>
        <span
          className={`backend-badge backend-${backend ?? 'pending'}`}
          data-testid="backend"
          title="The tfjs backend the training worker runs on"
        >
          {backend ?? '…'}
        </span>
        {backend === 'webgpu' && adapter && (
          <span className="backend-adapter" data-testid="backend-adapter" title={adapter.description}>
            {adapter.software ? `software adapter (${adapter.description})` : adapter.description}
          </span>
        )}
      </div>
      {fallbackText && (
        <p className="backend-notice" role="status" data-testid="backend-notice">
          {fallbackText}
        </p>
      )}
      {calibration && (
        <p className="backend-calibration" data-testid="backend-calibration">
          {calibration}
        </p>
      )}
    </header>
  );
}

// The run list: keep the current run's curves, open a sweep's runs.json with its run files (or
// single metrics JSON files), and check the runs to overlay on the comparison chart. Each run links
// to its configuration: opening the link starts the same run.
import { useRef } from 'react';
import type { ComparableRun } from '../../core/runs/comparable-run';
import type { KeptRun } from './kept-runs';
import { keptRunColor } from './use-run-list';

interface Props {
  kept: readonly KeptRun[];
  live: ComparableRun | null;
  onKeep: () => void;
  onRemove: (id: string) => void;
  onOverlaid: (id: string, overlaid: boolean) => void;
  onOpenFiles: (files: File[]) => void;
}

function describe(run: ComparableRun): string {
  const readBacks = `${run.history.length} read-back${run.history.length === 1 ? '' : 's'}`;
  const proxies =
    run.proxies.length > 0 ? `, ${run.proxies.length} proxy evaluation${run.proxies.length === 1 ? '' : 's'}` : '';
  return `${run.source === 'page' ? 'from the page' : 'headless'} · ${readBacks}${proxies}`;
}

export function RunList({ kept, live, onKeep, onRemove, onOverlaid, onOpenFiles }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="panel run-list" data-testid="run-list" aria-label="Run list">
      <div className="chart-panel-title">
        <h3>Run list</h3>
        <div className="run-list-actions">
          <button
            type="button"
            onClick={onKeep}
            disabled={!live}
            data-testid="keep-run"
            title={live ? `Keep "${live.name}" in the list` : 'No read-backs yet: train first'}
          >
            Keep current run
          </button>
          <label
            className="run-list-open"
            title="A sweep's runs.json together with its run files (runs/*.json), or single metrics JSON files"
          >
            Open run files…
            <input
              ref={input}
              type="file"
              multiple
              accept=".json,application/json"
              data-testid="open-run-list"
              className="visually-hidden"
              onChange={(event) => {
                const files = [...(event.target.files ?? [])];
                // Cleared, so picking the same files again loads them again.
                if (input.current) input.current.value = '';
                if (files.length > 0) onOpenFiles(files);
              }}
            />
          </label>
        </div>
      </div>
      <p className="hint">
        Checked runs are drawn with the current run on the comparison chart. Runs are kept in this browser. To compare a
        sweep, open its <code>runs.json</code> together with the files in its <code>runs/</code> folder.
      </p>
      {kept.length === 0 ? (
        <p className="hint" data-testid="run-list-empty">
          No kept runs yet.
        </p>
      ) : (
        <ul className="run-list-items">
          {kept.map((k) => (
            <li key={k.id} data-testid="kept-run" data-name={k.run.name}>
              <label className="run-list-check">
                <input
                  type="checkbox"
                  checked={k.overlaid}
                  onChange={(event) => onOverlaid(k.id, event.target.checked)}
                  data-testid="overlay-run"
                />
                <span
                  className="run-list-swatch"
                  style={{ background: keptRunColor(k.colorIndex) }}
                  aria-hidden="true"
                />
                <span className="run-list-name" data-testid="kept-run-name">
                  {k.run.name}
                </span>
              </label>
              <span className="hint run-list-meta">{describe(k.run)}</span>
              <a
                href={`?${k.run.query}`}
                target="_blank"
                rel="noopener"
                data-testid="run-query-link"
                title={`Open this configuration in a new tab: ?${k.run.query}`}
              >
                configuration
              </a>
              <button
                type="button"
                className="run-list-remove"
                onClick={() => onRemove(k.id)}
                data-testid="remove-run"
                aria-label={`Remove ${k.run.name}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

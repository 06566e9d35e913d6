// The Experiments panel: the catalogue of claims from the papers, each with links to its runs (plain
// `?query` links, so they can be shared or opened in a new tab). Opening a run only sets the URL's
// fields (a fresh run, paused); the experiment the page's config matches shows how to train it and
// the live verdict of its criterion.
import { useEffect, useState, type MouseEvent } from 'react';
import type { GanConfig } from '../../core/config/schema';
import { EXPERIMENTS } from '../../core/experiments/catalogue';
import type { Experiment, Verdict } from '../../core/experiments/types';
import type { QualityRow } from '../../core/proxy/sample-quality';
import type { ExperimentMatch, RecordSource } from './experiment-records';
import type { KeptRun } from '../runs/kept-runs';
import type { TrainingState } from '../app/training-state';
import { useExperiment } from './use-experiment';
import { useWatchOutline } from './use-watch-outline';

interface Props {
  config: GanConfig;
  state: TrainingState;
  kept: readonly KeptRun[];
  proxyEvaluations: readonly QualityRow[];
  /** Makes `next` the page's config and starts a fresh run at iteration 0, paused. */
  onOpen(next: GanConfig): void;
}

const STATUS_TEXT: Record<Verdict['status'], string> = { pass: 'PASS', fail: 'FAIL', pending: 'pending' };

/** A plain left click opens in place; a modified click (new tab, copy) is left to the browser. */
function plainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function ExperimentsPanel({ config, state, kept, proxyEvaluations, onOpen }: Props) {
  const { match, verdict, sources, open } = useExperiment({ config, state, kept, proxyEvaluations, onOpen });
  const openId = match?.experiment.id ?? null;
  const requestScroll = useWatchOutline(match?.experiment.watch ?? null, openId, state.info);
  // Collapsed until an experiment is open: the page's own panels come first for everyone else.
  const [expanded, setExpanded] = useState(openId !== null);
  useEffect(() => {
    if (openId) setExpanded(true);
  }, [openId]);

  const onRunLink = (event: MouseEvent, experiment: Experiment, runIndex: number) => {
    if (!plainClick(event)) return;
    event.preventDefault();
    open(experiment, runIndex);
    requestScroll();
  };

  return (
    <section
      className="panel experiments"
      data-testid="experiments"
      aria-label="Experiments"
      data-open-experiment={openId ?? ''}
    >
      <div className="experiments-head">
        <button
          type="button"
          className="experiments-toggle"
          data-testid="experiments-toggle"
          aria-expanded={expanded}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? '▾' : '▸'} Experiments
        </button>
        <span className="hint">
          {match
            ? `Open: ${match.experiment.title} (run ${match.experiment.runs[match.runIndex].label}).`
            : `${EXPERIMENTS.length} claims of the papers to check for yourself: open a run, press ` +
              `Train, read the verdict.`}
        </span>
      </div>
      {expanded && (
        <ol className="experiments-list">
          {EXPERIMENTS.map((experiment) => (
            <ExperimentItem
              key={experiment.id}
              experiment={experiment}
              match={match?.experiment.id === experiment.id ? match : null}
              verdict={match?.experiment.id === experiment.id ? verdict : null}
              sources={match?.experiment.id === experiment.id ? sources : []}
              onRunLink={onRunLink}
              onShow={requestScroll}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

interface ItemProps {
  experiment: Experiment;
  /** Set when the page's config is one of this experiment's runs. */
  match: ExperimentMatch | null;
  verdict: Verdict | null;
  sources: RecordSource[];
  onRunLink(event: MouseEvent, experiment: Experiment, runIndex: number): void;
  onShow(): void;
}

function ExperimentItem({ experiment, match, verdict, sources, onRunLink, onShow }: ItemProps) {
  const [details, setDetails] = useState(false);
  const shown = details || match !== null;
  return (
    <li className={match ? 'experiment experiment-current' : 'experiment'} data-experiment-id={experiment.id}>
      <div className="experiment-row">
        <button
          type="button"
          className="experiment-title"
          aria-expanded={shown}
          onClick={() => setDetails(!details)}
          disabled={match !== null}
        >
          {experiment.title}
        </button>
        <a
          className="experiment-open"
          data-testid="experiment-open"
          href={`?${experiment.runs[0].query}`}
          onClick={(event) => onRunLink(event, experiment, 0)}
        >
          Open
        </a>
        <span className="experiment-runs">
          {experiment.runs.length > 1 ? 'runs:' : 'run:'}
          {experiment.runs.map((run, i) => (
            <a
              key={run.label}
              data-testid="experiment-run-link"
              data-run-label={run.label}
              className={match?.runIndex === i ? 'experiment-run experiment-run-current' : 'experiment-run'}
              aria-current={match?.runIndex === i ? 'page' : undefined}
              href={`?${run.query}`}
              onClick={(event) => onRunLink(event, experiment, i)}
            >
              {run.label}
            </a>
          ))}
        </span>
        <span className="experiment-id">
          <code>{experiment.id}</code>
        </span>
      </div>
      {shown && (
        <div className="experiment-body">
          <p>
            {experiment.claim} <span className="experiment-source">({experiment.source})</span>
          </p>
          <p>
            <strong>What should happen:</strong> {experiment.expectation}
          </p>
          <p data-testid="experiment-measured">
            <strong>Measured here</strong> (<code>npm run experiment -- {experiment.id}</code>, cpu backend):{' '}
            {experiment.measuredHere}
          </p>
          <p className="hint">
            {experiment.iterations} iterations per run · headless on a 2-core CPU {experiment.timeHere} · on a laptop
            GPU {experiment.timeLaptopGpu} (a software WebGPU adapter trains the toy MLP at about 1 iteration per
            second: choose the cpu backend there) · watch <code>{experiment.watch}</code>
            {match && (
              <button type="button" className="experiment-show" onClick={onShow}>
                Show it
              </button>
            )}
          </p>
          {match && verdict && (
            <ExperimentReadout experiment={experiment} runIndex={match.runIndex} verdict={verdict} sources={sources} />
          )}
        </div>
      )}
    </li>
  );
}

function sourceText(source: RecordSource, iterations: number): string {
  switch (source.kind) {
    case 'page':
      return `this page's run, at iteration ${source.iteration} of ${iterations}`;
    case 'earlier':
      return `trained earlier in this page, to iteration ${source.iteration}`;
    case 'kept':
      return (
        `kept run "${source.name}", iteration ${source.iteration} (the run list keeps its ` +
        `history only: checks on spectra or modes wait for it to be trained in this page)`
      );
    case 'missing':
      return `no data yet: open it, train it to iteration ${iterations} and press Keep run`;
  }
}

interface ReadoutProps {
  experiment: Experiment;
  runIndex: number;
  verdict: Verdict;
  sources: RecordSource[];
}

/** How to train the open run, where each run's numbers come from, and the criterion's verdict. */
function ExperimentReadout({ experiment, runIndex, verdict, sources }: ReadoutProps) {
  const several = experiment.runs.length > 1;
  const behind = sources.some((source) => source.kind !== 'missing' && source.iteration < experiment.iterations);
  return (
    <div className="experiment-readout">
      <p>
        <strong>Train:</strong> this page holds run <code>{experiment.runs[runIndex].label}</code>
        {several ? ` (${runIndex + 1} of ${experiment.runs.length})` : ''}. Press Train and pause at iteration{' '}
        {experiment.iterations} (the run does not stop by itself); the verdict is read again at every read-back.
        {several &&
          ' Then press Keep run in the run list, open the next run above and train it the same way. ' +
            'Once one run is kept, the runs are compared on the comparison chart (chart-compare).'}
      </p>
      {several && (
        <ul className="experiment-sources">
          {experiment.runs.map((run, i) => (
            <li key={run.label}>
              <code>{run.label}</code>: {sources[i] ? sourceText(sources[i], experiment.iterations) : ''}
            </li>
          ))}
        </ul>
      )}
      <div
        className={`experiment-verdict experiment-verdict-${verdict.status}`}
        data-testid="experiment-verdict"
        data-status={verdict.status}
        data-figures={verdict.figures.length}
      >
        <strong>{STATUS_TEXT[verdict.status]}</strong>
        {verdict.status === 'pending' && ' — a run the criterion needs has no data yet.'}
        {verdict.status !== 'pending' &&
          behind &&
          ` — provisional: not every run has reached iteration ${experiment.iterations}.`}
        {verdict.figures.length > 0 ? (
          <ul className="experiment-figures">
            {verdict.figures.map((line) => (
              <li key={line}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="hint">No figures yet: they appear after the first read-backs.</p>
        )}
      </div>
    </div>
  );
}

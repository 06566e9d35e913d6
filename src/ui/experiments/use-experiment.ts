// The Experiments panel's state: which experiment run the page's config is (derived, so it survives
// a reload), opening a run (URL fields only: a fresh, paused run), and the live verdict of the
// experiment's criterion on the page's metrics, the page's earlier runs and the kept runs.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { GanConfig } from '../../core/config/schema';
import { encodeConfig } from '../../core/config/url-codec';
import { EXPERIMENTS } from '../../core/experiments/catalogue';
import type { Experiment, Verdict } from '../../core/experiments/types';
import type { QualityRow } from '../../core/proxy/sample-quality';
import type { MetricsRecord } from '../../core/runs/metrics-record';
import {
  experimentRecords,
  matchExperiments,
  openedConfig,
  pickMatch,
  type ExperimentMatch,
  type RecordSource,
} from './experiment-records';
import type { KeptRun } from '../runs/kept-runs';
import { pageMetricsRecord } from '../runs/metrics-export';
import type { TrainingState } from '../app/training-state';

/** The experiment last opened: only a tie-break when the config is a run of several experiments. */
const PREFERRED_KEY = 'spectral-gan-experiment';

function readPreferred(): string | null {
  try {
    return window.localStorage.getItem(PREFERRED_KEY);
  } catch {
    return null; // storage blocked: the first matching experiment is shown
  }
}

function writePreferred(id: string): void {
  try {
    window.localStorage.setItem(PREFERRED_KEY, id);
  } catch {
    // storage blocked: nothing to remember, the match still works
  }
}

/**
 * What this page recorded of each experiment run (keyed by the run's query, as experiments share
 * runs) since it loaded: opening the second run replaces the first, and its spectra and mode counts,
 * which a kept run does not carry, are still there for the verdict.
 */
const earlierRecords = new Map<string, MetricsRecord>();

export interface ExperimentView {
  match: ExperimentMatch | null;
  verdict: Verdict | null;
  sources: RecordSource[];
  /** Opens run `runIndex` of `experiment`; returns false when the config already was that run. */
  open(experiment: Experiment, runIndex: number): boolean;
}

export interface ExperimentInput {
  config: GanConfig;
  state: TrainingState;
  kept: readonly KeptRun[];
  proxyEvaluations: readonly QualityRow[];
  /** Makes `next` the page's config and starts a fresh run at iteration 0, paused. */
  onOpen(next: GanConfig): void;
}

export function useExperiment({ config, state, kept, proxyEvaluations, onOpen }: ExperimentInput): ExperimentView {
  const [preferred, setPreferred] = useState(readPreferred);
  /** Between an Open and the worker's new run, the state still holds the run it replaces. */
  const [replacedRunId, setReplacedRunId] = useState<number | null>(null);
  const match = useMemo(() => pickMatch(matchExperiments(config, EXPERIMENTS), preferred), [config, preferred]);
  const stale = replacedRunId !== null && replacedRunId === state.runId;

  useEffect(() => {
    if (replacedRunId !== null && replacedRunId !== state.runId) setReplacedRunId(null);
  }, [replacedRunId, state.runId]);

  // Rebuilt at each read-back (history, spectra and mode counts change together with it).
  const current = useMemo((): MetricsRecord | undefined => {
    if (!match || !state.info || stale) return undefined;
    // The verdict reads the full record, not the charts' downsample of it.
    return pageMetricsRecord(config, state.info, state.iteration, { record: state.record, proxies: proxyEvaluations });
  }, [match, stale, config, state.info, state.iteration, state.record, proxyEvaluations]);

  const runQuery = match ? match.experiment.runs[match.runIndex].query : null;
  useEffect(() => {
    if (runQuery && current && current.history.length > 0) earlierRecords.set(runQuery, current);
  }, [runQuery, current]);

  const { verdict, sources } = useMemo(() => {
    if (!match) return { verdict: null, sources: [] };
    const earlier = new Map<number, MetricsRecord>();
    match.experiment.runs.forEach((run, i) => {
      const record = earlierRecords.get(run.query);
      if (record) earlier.set(i, record);
    });
    const { records, sources } = experimentRecords(
      match.experiment,
      match.runIndex,
      current,
      kept.map((k) => k.run),
      earlier,
    );
    return { verdict: match.experiment.criterion(records), sources };
  }, [match, current, kept]);

  const open = useCallback(
    (experiment: Experiment, runIndex: number) => {
      writePreferred(experiment.id);
      setPreferred(experiment.id);
      const next = openedConfig(experiment.runs[runIndex], config);
      if (encodeConfig(next) === encodeConfig(config)) return false; // already this run: keep its training
      setReplacedRunId(state.runId);
      onOpen(next);
      return true;
    },
    [config, onOpen, state.runId],
  );

  return { match, verdict, sources, open };
}

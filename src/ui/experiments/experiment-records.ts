// Which experiment run a configuration (or a kept run) is, and the records an experiment's criterion
// reads in the page. Pure functions, no DOM or React: the open experiment is derived from the URL's
// configuration alone, so it survives a reload without a URL field of its own.
import type { GanConfig } from '../../core/config/schema';
import { decodeConfig, encodeConfig } from '../../core/config/url-codec';
import type { Experiment, ExperimentRun } from '../../core/experiments/types';
import type { ComparableRun } from '../../core/runs/comparable-run';
import { createMetricsRecord, type MetricsRecord } from '../../core/runs/metrics-record';

/** One run of one experiment that a configuration matches. */
export interface ExperimentMatch {
  experiment: Experiment;
  runIndex: number;
}

/**
 * The fields an experiment's runs set (the union over its runs), each with the canonical value
 * every run has for it (written by the codec, so `0.002` and `2e-3` agree). A run that leaves a
 * field a sibling sets has its default there: the warm-up run (snwarmup=14) is not the plain run.
 */
function experimentFields(experiment: Experiment): { keys: string[]; values: Map<string, string>[] } {
  const keys = [...new Set(experiment.runs.flatMap((run) => [...new URLSearchParams(run.query).keys()]))];
  const values = experiment.runs.map((run) => {
    const canonical = new URLSearchParams(encodeConfig(decodeConfig(run.query).config));
    return new Map(keys.map((key) => [key, canonical.get(key) ?? '']));
  });
  return { keys, values };
}

const fieldCache = new Map<string, ReturnType<typeof experimentFields>>();
function cachedFields(experiment: Experiment): ReturnType<typeof experimentFields> {
  let fields = fieldCache.get(experiment.id);
  if (!fields) {
    fields = experimentFields(experiment);
    fieldCache.set(experiment.id, fields);
  }
  return fields;
}

/** Which run of `experiment` `config` is (-1: none); fields no run of it sets are free. */
export function runIndexOf(config: GanConfig, experiment: Experiment): number {
  const canonical = new URLSearchParams(encodeConfig(config));
  const { keys, values } = cachedFields(experiment);
  return values.findIndex((expected) => keys.every((key) => canonical.get(key) === expected.get(key)));
}

/** The same, for a query string (a kept run's); fields it rejects take their defaults, as on opening. */
export function queryRunIndex(query: string, experiment: Experiment): number {
  return runIndexOf(decodeConfig(query).config, experiment);
}

/** Every experiment run `config` matches, in catalogue order (runs may be shared by experiments). */
export function matchExperiments(config: GanConfig, experiments: readonly Experiment[]): ExperimentMatch[] {
  return experiments.flatMap((experiment) => {
    const runIndex = runIndexOf(config, experiment);
    return runIndex < 0 ? [] : [{ experiment, runIndex }];
  });
}

/**
 * The open experiment: the one last opened (`preferredId`, remembered by the page) when the config
 * still matches one of its runs, else the first match; null when the config is no experiment's run.
 */
export function pickMatch(matches: readonly ExperimentMatch[], preferredId: string | null): ExperimentMatch | null {
  return matches.find((match) => match.experiment.id === preferredId) ?? matches[0] ?? null;
}

/** The config "Open" gives the page: the run's fields over the defaults; the page keeps its backend. */
export function openedConfig(run: ExperimentRun, current: GanConfig): GanConfig {
  return { ...decodeConfig(run.query).config, backend: current.backend };
}

/**
 * A kept run as a metrics record. The run list keeps only the history and the proxies, so spectra
 * and mode counts are empty: checks that need them stay pending until the run is in this page again.
 */
export function recordOfKeptRun(run: ComparableRun): MetricsRecord {
  const config = decodeConfig(run.query).config;
  const last = run.history[run.history.length - 1];
  return createMetricsRecord({
    source: run.source,
    config,
    query: run.query,
    info: {
      backend: 'unknown',
      layerNames: [...run.layerNames],
      parameterCount: { generator: 0, discriminator: 0 },
      datasetName: config.dataset,
      datasetCount: 0,
      sampleShape: [],
      arch: config.arch,
    },
    iterations: last?.iteration ?? 0,
    history: [...run.history],
    spectra: [],
    alarms: [],
    proxies: [...run.proxies],
  });
}

/** Where a run's record came from, for the readout. */
export type RecordSource =
  | { kind: 'page'; iteration: number }
  | { kind: 'earlier'; iteration: number }
  | { kind: 'kept'; name: string; iteration: number }
  | { kind: 'missing' };

export interface ExperimentRecords {
  records: (MetricsRecord | undefined)[];
  sources: RecordSource[];
}

/**
 * The records the criterion reads, in the order of the experiment's runs: the page's run at
 * `runIndex`; for each other run, the fuller of what this page recorded of it earlier (`earlier`,
 * keyed by run index) and the newest kept run whose query matches it; else undefined.
 */
export function experimentRecords(
  experiment: Experiment,
  runIndex: number,
  current: MetricsRecord | undefined,
  kept: readonly ComparableRun[],
  earlier: ReadonlyMap<number, MetricsRecord> = new Map(),
): ExperimentRecords {
  const records: (MetricsRecord | undefined)[] = [];
  const sources: RecordSource[] = [];
  experiment.runs.forEach((_, i) => {
    if (i === runIndex) {
      records.push(current);
      sources.push(current ? { kind: 'page', iteration: current.iterations } : { kind: 'missing' });
      return;
    }
    const keptRun = [...kept].reverse().find((candidate) => queryRunIndex(candidate.query, experiment) === i);
    const keptRecord = keptRun && recordOfKeptRun(keptRun);
    const own = earlier.get(i);
    // What this page recorded has spectra and mode counts a kept run lacks: it wins unless shorter.
    if (own && (!keptRecord || own.iterations >= keptRecord.iterations)) {
      records.push(own);
      sources.push({ kind: 'earlier', iteration: own.iterations });
    } else if (keptRun && keptRecord) {
      records.push(keptRecord);
      sources.push({ kind: 'kept', name: keptRun.name, iteration: keptRecord.iterations });
    } else {
      records.push(undefined);
      sources.push({ kind: 'missing' });
    }
  });
  return { records, sources };
}

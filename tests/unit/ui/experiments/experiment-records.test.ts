// The Experiments panel's matching: which run of which experiment the page's config is (it is how
// the open experiment survives a reload), and which records the criterion gets.
import { describe, expect, it } from 'vitest';
import { defaultConfig, type GanConfig } from '../../../../src/core/config/schema';
import { decodeConfig, encodeConfig } from '../../../../src/core/config/url-codec';
import { EXPERIMENTS, findExperiment } from '../../../../src/core/experiments/catalogue';
import type { ComparableRun } from '../../../../src/core/runs/comparable-run';
import type { MetricsRecord } from '../../../../src/core/runs/metrics-record';
import {
  experimentRecords,
  matchExperiments,
  openedConfig,
  pickMatch,
  queryRunIndex,
  recordOfKeptRun,
  runIndexOf,
} from '../../../../src/ui/experiments/experiment-records';

function experiment(id: string) {
  const found = findExperiment(id);
  if (!found) throw new Error(`no experiment ${id}`);
  return found;
}

/** The config the page holds after opening `query` (as a reload of `?query` would decode it). */
function pageConfig(query: string): GanConfig {
  return decodeConfig(query).config;
}

function keptRun(query: string, lastIteration: number, name = 'kept'): ComparableRun {
  const point = {
    iteration: lastIteration,
    seconds: 1,
    dLoss: 1,
    gLoss: 1,
    sigmas: [1],
    gradNorms: [1],
    gradNormTotal: 1,
  };
  return {
    name,
    query,
    source: 'page',
    layerNames: ['dense1'],
    history: [{ ...point, iteration: 0 }, point],
    proxies: [],
  };
}

describe('matching a config against the experiments', () => {
  it('finds the run of a config opened from a run link, in every experiment that has that run', () => {
    const snBounds = experiment('sn-bounds-sigma');
    const matches = matchExperiments(pageConfig(snBounds.runs[0].query), EXPERIMENTS);
    const ids = matches.map((m) => `${m.experiment.id}#${m.runIndex}`);
    // ring8 without normalization is the first run of three experiments.
    expect(ids).toEqual(['sn-bounds-sigma#0', 'gradient-bounds#0', 'mode-coverage#0']);
    expect(pickMatch(matches, null)?.experiment.id).toBe('sn-bounds-sigma');
    expect(pickMatch(matches, 'mode-coverage')?.experiment.id).toBe('mode-coverage');
    // A remembered experiment the config is not a run of does not win.
    expect(pickMatch(matches, 'power-iteration')?.experiment.id).toBe('sn-bounds-sigma');
  });

  it('tells the runs of one experiment apart', () => {
    const power = experiment('power-iteration');
    power.runs.forEach((run, i) => {
      const matches = matchExperiments(pageConfig(run.query), EXPERIMENTS).filter(
        (m) => m.experiment.id === 'power-iteration',
      );
      expect(matches.map((m) => m.runIndex)).toEqual([i]);
    });
    // The warm-up run sets snwarmup, which the plain run leaves at its default: not the plain run.
    expect(runIndexOf({ ...pageConfig(power.runs[0].query), snwarmup: 14 }, power)).toBe(2);
    expect(runIndexOf({ ...pageConfig(power.runs[0].query), snwarmup: 3 }, power)).toBe(-1);
    const collapse = experiment('spectral-collapse-sr');
    expect(runIndexOf(pageConfig(collapse.runs[1].query), collapse)).toBe(1);
  });

  it('compares canonical values and ignores the fields a run leaves to defaults', () => {
    const snBounds = experiment('sn-bounds-sigma');
    const run = snBounds.runs[1];
    const config = { ...pageConfig(run.query), backend: 'webgl' as const, collapsedrop: 0.3 };
    expect(runIndexOf(config, snBounds)).toBe(1);
    // The canonical URL the page writes (with v, every field) still matches.
    expect(queryRunIndex(encodeConfig(config), snBounds)).toBe(1);
    // lr written another way is the same number.
    expect(queryRunIndex(run.query.replace('lr=0.002', 'lr=2e-3'), snBounds)).toBe(1);
  });

  it('matches nothing for the default config or a changed field', () => {
    expect(matchExperiments(defaultConfig(), EXPERIMENTS)).toEqual([]);
    expect(pickMatch([], 'sn-bounds-sigma')).toBeNull();
    const snBounds = experiment('sn-bounds-sigma');
    const run = snBounds.runs[0];
    expect(runIndexOf({ ...pageConfig(run.query), seed: 2 }, snBounds)).toBe(-1);
    expect(runIndexOf({ ...pageConfig(run.query), dataset: 'grid25' }, snBounds)).toBe(-1);
    expect(runIndexOf({ ...pageConfig(run.query), norm: 'wn' }, snBounds)).toBe(-1);
    expect(matchExperiments({ ...pageConfig(run.query), batch: 32 }, EXPERIMENTS)).toEqual([]);
  });

  it('opens a run with its fields over the defaults and keeps the page backend', () => {
    const snBounds = experiment('sn-bounds-sigma');
    const run = snBounds.runs[0];
    const current = { ...defaultConfig(), backend: 'webgl' as const, batch: 7 };
    const next = openedConfig(run, current);
    expect(next.norm).toBe('none');
    expect(next.dataset).toBe('ring8');
    expect(next.batch).toBe(64);
    expect(next.backend).toBe('webgl');
    expect(runIndexOf(next, snBounds)).toBe(0);
  });
});

describe('the records a criterion reads', () => {
  const snBounds = experiment('sn-bounds-sigma');

  it('puts the page record at the matched run and finds the other run among the kept runs', () => {
    const current = recordOfKeptRun(keptRun(encodeConfig(pageConfig(snBounds.runs[0].query)), 40));
    const otherQuery = encodeConfig(pageConfig(snBounds.runs[1].query));
    const kept = [
      keptRun(otherQuery, 100, 'older'),
      keptRun(encodeConfig(defaultConfig()), 500, 'unrelated'),
      keptRun(otherQuery, 200, 'newer'),
    ];
    const { records, sources } = experimentRecords(snBounds, 0, current, kept);
    expect(records[0]).toBe(current);
    expect(records[1]?.iterations).toBe(200);
    expect(records[1]?.spectra).toEqual([]);
    expect(sources).toEqual([
      { kind: 'page', iteration: 40 },
      { kind: 'kept', name: 'newer', iteration: 200 },
    ]);
  });

  it('leaves a run without data undefined, so the verdict is pending', () => {
    const { records, sources } = experimentRecords(snBounds, 1, undefined, []);
    expect(records).toEqual([undefined, undefined]);
    expect(sources.map((s) => s.kind)).toEqual(['missing', 'missing']);
    expect(snBounds.criterion(records).status).toBe('pending');
  });

  it('prefers what the page recorded earlier (it has spectra) unless a kept run went further', () => {
    const earlierRecord: MetricsRecord = recordOfKeptRun(keptRun(snBounds.runs[1].query, 300));
    const kept = [keptRun(snBounds.runs[1].query, 200)];
    expect(experimentRecords(snBounds, 0, undefined, kept, new Map([[1, earlierRecord]])).sources[1]).toEqual({
      kind: 'earlier',
      iteration: 300,
    });
    const further = [keptRun(snBounds.runs[1].query, 400, 'further')];
    expect(experimentRecords(snBounds, 0, undefined, further, new Map([[1, earlierRecord]])).sources[1]).toEqual({
      kind: 'kept',
      name: 'further',
      iteration: 400,
    });
  });
});

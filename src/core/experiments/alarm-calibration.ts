// How well the collapse alarm means collapse, on recorded runs: a run "collapsed" when its median
// mode count over the last five read-backs is under half the modes; the alarm is right when it
// fired on a collapsed run and stayed quiet on the others.
import { CollapseDetector } from '../metrics/collapse';
import type { CollapseAlarmOptions } from '../metrics/types';
import type { MetricsRecord } from '../runs/metrics-record';
import { tailModes } from './record-series';

/** What the alarm needs of a run: its collapse indicators per snapshot and its mode count. */
export interface AlarmRun {
  /** The run's query (its fields say which run it was). */
  query: string;
  seed: number;
  modes: number;
  modeCount: number;
  snapshots: { iteration: number; names: string[]; indicators: number[]; singularValueCounts: number[] }[];
}

export function alarmRunOf(record: MetricsRecord): AlarmRun | null {
  const modes = tailModes(record);
  if (!modes) return null;
  return {
    query: record.query,
    seed: record.config.seed,
    modes: modes.modes,
    modeCount: modes.modeCount,
    snapshots: record.spectra.map((snapshot) => ({
      iteration: snapshot.iteration,
      names: snapshot.layers.map((layer) => layer.name),
      indicators: snapshot.layers.map((layer) => layer.collapse),
      singularValueCounts: snapshot.layers.map((layer) => layer.effective.length),
    })),
  };
}

export function collapsed(run: AlarmRun): boolean {
  return run.modes < run.modeCount / 2;
}

/** Iteration of the run's first alarm under the options, or null when it stays quiet. */
export function firstAlarm(run: AlarmRun, options: CollapseAlarmOptions): number | null {
  const detector = new CollapseDetector();
  for (const snapshot of run.snapshots) {
    const alarms = detector.observe(
      snapshot.iteration,
      snapshot.indicators,
      snapshot.names,
      options,
      snapshot.singularValueCounts,
    );
    if (alarms.length > 0) return snapshot.iteration;
  }
  return null;
}

export interface AlarmScore {
  falseAlarms: string[];
  missedAlarms: string[];
  right: number;
  total: number;
}

export function scoreAlarm(
  runs: readonly AlarmRun[],
  options: CollapseAlarmOptions,
  name: (run: AlarmRun) => string = (run) => run.query,
): AlarmScore {
  const score: AlarmScore = { falseAlarms: [], missedAlarms: [], right: 0, total: runs.length };
  for (const run of runs) {
    const fired = firstAlarm(run, options) !== null;
    if (fired && !collapsed(run)) score.falseAlarms.push(name(run));
    else if (!fired && collapsed(run)) score.missedAlarms.push(name(run));
    else score.right++;
  }
  return score;
}

/**
 * The (drop, persist) pair with the fewest wrong calls on `runs`; among ties the smallest persist
 * (the earliest alarm), then the smallest drop.
 */
export function calibrateAlarm(
  runs: readonly AlarmRun[],
  window: number,
  drops: readonly number[],
  persists: readonly number[],
): { drop: number; persist: number; wrong: number } {
  let best = { drop: drops[0], persist: persists[0], wrong: Infinity };
  for (const persist of [...persists].sort((a, b) => a - b)) {
    for (const drop of [...drops].sort((a, b) => a - b)) {
      const score = scoreAlarm(runs, { drop, window, persist });
      const wrong = score.falseAlarms.length + score.missedAlarms.length;
      if (wrong < best.wrong) best = { drop, persist, wrong };
    }
  }
  return best;
}

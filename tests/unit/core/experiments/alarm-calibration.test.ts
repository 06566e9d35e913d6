// The collapse alarm against recorded runs (tests/fixtures/alarm-runs.json: the toy runs of the
// experiments gallery and the spectral-collapse grid, 2000-3000 iterations each; docs/experiments.md).
// A run "collapsed" when it kept under half the modes. Seeds 1 and 2 calibrate the rule, seed 3 is
// held out: the figures printed here are the note's false and missed alarms.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/core/config/schema';
import {
  calibrateAlarm,
  collapsed,
  firstAlarm,
  scoreAlarm,
  type AlarmRun,
} from '../../../../src/core/experiments/alarm-calibration';

const runs: AlarmRun[] = JSON.parse(readFileSync('tests/fixtures/alarm-runs.json', 'utf8')).runs;
const calibration = runs.filter((run) => run.seed === 1 || run.seed === 2);
const heldOut = runs.filter((run) => run.seed === 3);
const defaults = defaultConfig();
const RULE = { drop: defaults.collapsedrop, window: defaults.collapsewindow, persist: defaults.collapsepersist };
const OLD_RULE = { ...RULE, persist: 1 };

function name(run: AlarmRun): string {
  const q = new URLSearchParams(run.query);
  return (
    `${q.get('dataset')} ${q.get('norm')} lr=${q.get('lr')} ${q.get('loss')} seed ${run.seed} ` +
    `(${run.modes}/${run.modeCount} modes)`
  );
}

function wrong(score: ReturnType<typeof scoreAlarm>): number {
  return score.falseAlarms.length + score.missedAlarms.length;
}

/** A run of one tracked layer with these indicators, one snapshot per 100 iterations. */
function synthetic(indicators: number[], modes: number): AlarmRun {
  return {
    query: 'dataset=ring8',
    seed: 9,
    modes,
    modeCount: 8,
    snapshots: indicators.map((value, i) => ({
      iteration: 100 * i,
      names: ['d'],
      indicators: [value],
      singularValueCounts: [8],
    })),
  };
}

describe('collapse alarm calibration', () => {
  it('the fixture holds 28 calibration and 14 held-out runs, collapsed and healthy ones among both', () => {
    expect(calibration).toHaveLength(28);
    expect(heldOut).toHaveLength(14);
    for (const set of [calibration, heldOut]) {
      expect(set.some(collapsed)).toBe(true);
      expect(set.some((run) => !collapsed(run))).toBe(true);
    }
  });

  it('scores a rule: a false alarm on a healthy run, a missed one on a collapsed run', () => {
    const dipThenRecover = synthetic([0.27, 0.06, 0.06, 0.2, 0.22, 0.22, 0.22], 8);
    const stayDown = synthetic([0.27, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06], 1);
    expect(scoreAlarm([dipThenRecover, stayDown], { drop: 0.5, window: 10, persist: 1 }, () => 'x')).toMatchObject({
      falseAlarms: ['x'],
      missedAlarms: [],
      right: 1,
    });
    expect(scoreAlarm([dipThenRecover, stayDown], { drop: 0.5, window: 10, persist: 3 }, () => 'x')).toMatchObject({
      falseAlarms: [],
      missedAlarms: [],
      right: 2,
    });
    expect(scoreAlarm([dipThenRecover, stayDown], { drop: 0.5, window: 10, persist: 7 }, () => 'x')).toMatchObject({
      falseAlarms: [],
      missedAlarms: ['x'],
      right: 1,
    });
    expect(firstAlarm(stayDown, { drop: 0.5, window: 10, persist: 3 })).toBe(300);
  });

  it('the default rule is the one with the fewest wrong calls on the calibration runs', () => {
    const best = calibrateAlarm(calibration, RULE.window, [0.3, 0.4, 0.5, 0.6, 0.7], [1, 2, 3, 5, 8, 10]);
    console.log(
      `calibration grid: best drop ${best.drop}, persist ${best.persist}: ${best.wrong} wrong of ${calibration.length}`,
    );
    expect({ drop: best.drop, persist: best.persist }).toEqual({ drop: RULE.drop, persist: RULE.persist });
  });

  it('on the held-out runs the default rule makes fewer wrong calls than the rule before it (persist 1)', () => {
    for (const [label, set] of [
      ['calibration', calibration],
      ['held out', heldOut],
    ] as const) {
      const now = scoreAlarm(set, RULE, name);
      const before = scoreAlarm(set, OLD_RULE, name);
      console.log(
        `${label}, ${set.length} runs: default rule (drop ${RULE.drop}, window ${RULE.window}, ` +
          `persist ${RULE.persist}) ${now.right} right, ` +
          `${now.falseAlarms.length} false alarms [${now.falseAlarms.join('; ')}], ` +
          `${now.missedAlarms.length} missed [${now.missedAlarms.join('; ')}]; ` +
          `persist 1: ${before.right} right, ${before.falseAlarms.length} false, ${before.missedAlarms.length} missed`,
      );
      expect(wrong(now)).toBeLessThan(wrong(before));
    }
  });

  it('stays quiet on every healthy sn run of ring8 and fires on every collapsed run that used sn or none', () => {
    const ring8Sn = runs.filter(
      (run) => /norm=sn&/.test(run.query) && run.query.includes('dataset=ring8') && !collapsed(run),
    );
    expect(ring8Sn.length).toBeGreaterThanOrEqual(3);
    for (const run of ring8Sn) expect(firstAlarm(run, RULE), name(run)).toBeNull();
    const collapsedPlain = runs.filter((run) => /norm=(sn|none)&/.test(run.query) && collapsed(run));
    expect(collapsedPlain.length).toBeGreaterThanOrEqual(8);
    for (const run of collapsedPlain) expect(firstAlarm(run, RULE), name(run)).not.toBeNull();
  });
});

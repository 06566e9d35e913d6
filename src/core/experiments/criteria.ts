// The experiments' criteria: one pure function per claim over the runs' metrics records (in the
// order of the experiment's runs). Thresholds are stated here, before any run, in the units the
// claim speaks of; a factor of 2 is the common standard for "grows" or "differs".
import type { MetricsRecord } from '../runs/metrics-record';
import type { Criterion, Verdict } from './types';
import {
  figure,
  inputGradientMaxima,
  lastSnapshot,
  maxEffectiveTop,
  median,
  minCollapse,
  quarterMedian,
  tailModes,
  topPairRatio,
  worstUnitError,
  worstUnitErrorAt,
} from './record-series';

interface Check {
  ok: boolean;
  line: string;
}

/** Every check must hold; a check that cannot be computed yet makes the verdict pending. */
function judge(checks: (Check | null)[], extra: string[] = []): Verdict {
  const ready = checks.filter((check): check is Check => check !== null);
  const lines = [...ready.map((check) => `${check.ok ? 'ok  ' : 'FAIL'} ${check.line}`), ...extra];
  if (ready.length < checks.length) return { status: 'pending', figures: lines };
  return { status: ready.every((check) => check.ok) ? 'pass' : 'fail', figures: lines };
}

function recordsOf(records: readonly (MetricsRecord | undefined)[], count: number): (MetricsRecord | undefined)[] {
  return Array.from({ length: count }, (_, i) => records[i]);
}

/** Experiment 1: the effective sigmas and D's input gradient grow under `none`, stay near 1 under `sn`. */
export function snBoundsSigma(settleIteration: number): Criterion {
  return (records) => {
    const [none, sn] = recordsOf(records, 2);
    const noneLast = none && lastSnapshot(none);
    const snLast = sn && lastSnapshot(sn);
    const ratio: Check | null =
      noneLast && snLast
        ? (() => {
            const value = maxEffectiveTop(noneLast) / maxEffectiveTop(snLast);
            return {
              ok: value > 2,
              line:
                `max effective sigma(none)/sigma(sn) at iteration ${snLast.iteration} = ` +
                `${figure(value)} (needs > 2)`,
            };
          })()
        : null;
    const settled = sn?.spectra.filter((snapshot) => snapshot.iteration >= settleIteration) ?? [];
    const near: Check | null =
      settled.length > 0
        ? (() => {
            const worst = Math.max(...settled.map(worstUnitError));
            return {
              ok: worst <= 0.1,
              line:
                `sn: largest |effective sigma - 1| over layers from iteration ` +
                `${settleIteration} = ${figure(worst)} (needs <= 0.1)`,
            };
          })()
        : null;
    const noneLip = none?.history.filter((point) => point.lipschitz) ?? [];
    const growth: Check | null =
      noneLip.length >= 2
        ? (() => {
            const first = noneLip[0].lipschitz!.realMax;
            const last = noneLip[noneLip.length - 1].lipschitz!.realMax;
            const value = last / first;
            return {
              ok: value > 2,
              line:
                `none: max |grad_x D| on real data grew ${figure(first)} -> ${figure(last)}, ` +
                `x${figure(value)} (needs > 2)`,
            };
          })()
        : null;
    const snMaxima = sn ? inputGradientMaxima(sn) : [];
    const bounded: Check | null =
      snMaxima.length > 0
        ? (() => {
            const value = Math.max(...snMaxima);
            return {
              ok: value <= 1.05,
              line: `sn: max |grad_x D| over the run = ${figure(value)} (needs <= 1.05, the SN bound 1 plus 5%)`,
            };
          })()
        : null;
    const where = worstUnitErrorAt(settled);
    const extra = where
      ? [
          `sn: the largest error is on ${where.layer} at iteration ${where.iteration}, where its ` +
            `raw s_2/s_1 = ${figure(where.pairRatio)} (power iteration cannot separate s_1 from s_2 as that nears 1)`,
        ]
      : [];
    return judge([ratio, near, growth, bounded], extra);
  };
}

interface UnitErrorFigures {
  firstWithin: number | null;
  shareWithin: number;
  worst: number;
  atStart: number;
  /** Median over the settled snapshots of the closest top pair s_2/s_1 over layers (raw weights). */
  pairRatio: number;
}

function unitErrors(record: MetricsRecord, settleIteration: number): UnitErrorFigures | null {
  if (record.spectra.length === 0) return null;
  const within = (error: number) => error < 0.01;
  const settled = record.spectra.filter((snapshot) => snapshot.iteration >= settleIteration);
  const errors = settled.map(worstUnitError);
  return {
    firstWithin: record.spectra.find((snapshot) => within(worstUnitError(snapshot)))?.iteration ?? null,
    shareWithin: errors.length > 0 ? errors.filter(within).length / errors.length : Number.NaN,
    worst: errors.length > 0 ? Math.max(...errors) : Number.NaN,
    atStart: worstUnitError(record.spectra[0]),
    pairRatio: median(settled.map(topPairRatio)),
  };
}

/**
 * Experiment 2: with a persistent u, the estimate is within 1% of the exact s_1 (effective sigma
 * within 1% of 1 on every layer) at 90% of the snapshots from `settleIteration` on, with one power
 * iteration per step; and the warm-up run starts within 1%. Runs: [sniters=1, sniters=5, warm-up].
 */
export function powerIterationEnough(settleIteration: number): Criterion {
  return (records) => {
    const labels = ['sniters=1', 'sniters=5', 'sniters=1 + snwarmup=14'];
    const figures = recordsOf(records, 3).map((record) => (record ? unitErrors(record, settleIteration) : null));
    const info = figures.flatMap((f, i) =>
      f
        ? [
            `${labels[i]}: first within 1% at iteration ${f.firstWithin ?? 'never'}; from iteration ` +
              `${settleIteration} within 1% at ` +
              `${figure(f.shareWithin * 100)}% of snapshots, worst |sigma-1| ${figure(f.worst)}; at ` +
              `iteration 0 ${figure(f.atStart)}; ` +
              `median closest raw s_2/s_1 over layers ${figure(f.pairRatio)}`,
          ]
        : [],
    );
    const one = figures[0];
    const warm = figures[2];
    const enough: Check | null = one
      ? {
          ok: one.shareWithin >= 0.9,
          line:
            `sniters=1 within 1% at ${figure(one.shareWithin * 100)}% of snapshots from ` +
            `iteration ${settleIteration} (needs >= 90%)`,
        }
      : null;
    const warmStart: Check | null = warm
      ? {
          ok: warm.atStart < 0.01,
          line: `snwarmup=14: |effective sigma - 1| at iteration 0 = ${figure(warm.atStart)} (needs < 0.01)`,
        }
      : null;
    return judge([enough, warmStart], info);
  };
}

/**
 * Experiment 3: after training, WN's and clipping's spectra are concentrated (collapse indicator at most half of
 * SN's). Runs: [sn, wn, clip].
 */
export const spectrumConcentration: Criterion = (records) => {
  const [sn, wn, clip] = recordsOf(records, 3).map((record) => (record ? lastSnapshot(record) : undefined));
  const versus = (other: typeof sn, label: string): Check | null => {
    if (!sn || !other) return null;
    const value = minCollapse(sn) / minCollapse(other);
    return {
      ok: value > 2,
      line:
        `lowest collapse indicator at iteration ${other.iteration}: sn ` +
        `${figure(minCollapse(sn))}, ${label} ${figure(minCollapse(other))}, ratio ${figure(value)} (needs > 2)`,
    };
  };
  return judge([versus(wn, 'wn'), versus(clip, 'clip')]);
};

function gradientSeries(record: MetricsRecord): number[] {
  return record.history.map((point) => point.gradNormTotal).filter(Number.isFinite);
}

/**
 * Experiment 4: D's gradient norm grows without normalization, vanishes under clipping and stays
 * within a factor 10 under SN; Var(W/sigma) stays under 1/max(m, n) for SN and under BSSN's
 * Xavier-like bound. Runs: [none, sn, clip, bssn].
 */
export const gradientBounds: Criterion = (records) => {
  const [none, sn, clip, bssn] = recordsOf(records, 4);
  const trend = (record: MetricsRecord | undefined) => {
    const series = record ? gradientSeries(record) : [];
    return series.length >= 4 ? { first: quarterMedian(series, 'first'), last: quarterMedian(series, 'last') } : null;
  };
  const [tNone, tSn, tClip] = [trend(none), trend(sn), trend(clip)];
  const grows: Check | null = tNone && {
    ok: tNone.last / tNone.first > 2,
    line:
      `none: median |grad_W L_D| first quarter ${figure(tNone.first)}, last quarter ` +
      `${figure(tNone.last)}, x${figure(tNone.last / tNone.first)} (needs > 2)`,
  };
  const vanishes: Check | null = tClip &&
    tSn && {
      ok: tClip.last < tSn.last / 10,
      line: `clip: last-quarter median ${figure(tClip.last)} vs sn ${figure(tSn.last)} (needs < sn / 10)`,
    };
  const steady: Check | null = tSn && {
    ok: tSn.last / tSn.first >= 0.1 && tSn.last / tSn.first <= 10,
    line: `sn: last/first quarter median = ${figure(tSn.last / tSn.first)} (needs within 0.1..10)`,
  };
  const variance = (
    record: MetricsRecord | undefined,
    label: string,
    bound: 'lecunBound' | 'xavierBound',
  ): Check | null => {
    const snapshot = record && lastSnapshot(record);
    if (!snapshot) return null;
    const ratios = snapshot.layers.map((layer) => layer.effectiveVariance / layer[bound]);
    return {
      ok: ratios.every((ratio) => ratio <= 1.05),
      line:
        `${label}: Var(W_eff) / ${bound === 'lecunBound' ? '1/max(m,n)' : 'Xavier-like bound'} ` +
        `per layer at iteration ${snapshot.iteration} = ${ratios.map(figure).join(', ')} (needs <= 1.05)`,
    };
  };
  return judge([grows, vanishes, steady, variance(sn, 'sn', 'lecunBound'), variance(bssn, 'bssn', 'xavierBound')]);
};

/**
 * Experiment 5: the SN run loses modes (at most a quarter left) while its lowest collapse indicator
 * falls below half its value at iteration 0; the SR run keeps at least twice SN's modes and at
 * least half its initial indicator. Runs: [sn, sr].
 */
export const spectralCollapseWithSr: Criterion = (records) => {
  const [sn, sr] = recordsOf(records, 2);
  const indicatorRatio = (record: MetricsRecord | undefined) => {
    const last = record && lastSnapshot(record);
    return record && last && record.spectra.length >= 2
      ? { value: minCollapse(last) / minCollapse(record.spectra[0]), iteration: last.iteration }
      : null;
  };
  const [mSn, mSr] = [sn && tailModes(sn), sr && tailModes(sr)];
  const [iSn, iSr] = [indicatorRatio(sn), indicatorRatio(sr)];
  return judge([
    mSn
      ? {
          ok: mSn.modes <= mSn.modeCount / 4,
          line:
            `sn: ${figure(mSn.modes)} of ${mSn.modeCount} modes at iteration ${mSn.iteration} ` +
            `(needs <= ${mSn.modeCount / 4})`,
        }
      : null,
    iSn
      ? {
          ok: iSn.value < 0.5,
          line:
            `sn: lowest collapse indicator at iteration ${iSn.iteration} / at 0 = ` +
            `${figure(iSn.value)} (needs < 0.5)`,
        }
      : null,
    mSn && mSr
      ? {
          ok: mSr.modes >= 2 * mSn.modes && mSr.modes > mSn.modes,
          line: `sr: ${figure(mSr.modes)} of ${mSr.modeCount} modes vs sn ${figure(mSn.modes)} (needs >= 2x sn)`,
        }
      : null,
    iSr
      ? {
          ok: iSr.value >= 0.5,
          line:
            `sr: lowest collapse indicator at iteration ${iSr.iteration} / at 0 = ` +
            `${figure(iSr.value)} (needs >= 0.5)`,
        }
      : null,
  ]);
};

/**
 * Experiment 6: on ring8, SN captures all modes but at most one, no normalization at most half.
 * Runs: [none, sn, sn with hinge]; the hinge run is shown, not judged.
 */
export const modeCoverageNoneVsSn: Criterion = (records) => {
  const [none, sn, hinge] = recordsOf(records, 3).map((record) => (record ? tailModes(record) : null));
  const extra = hinge
    ? [
        `sn + hinge loss (shown, not judged): ${figure(hinge.modes)} of ${hinge.modeCount} modes at ` +
          `iteration ${hinge.iteration}`,
      ]
    : [];
  return judge(
    [
      sn
        ? {
            ok: sn.modes >= sn.modeCount - 1,
            line:
              `sn: ${figure(sn.modes)} of ${sn.modeCount} modes at iteration ${sn.iteration} ` +
              `(needs >= ${sn.modeCount - 1})`,
          }
        : null,
      none
        ? {
            ok: none.modes <= none.modeCount / 2,
            line:
              `none: ${figure(none.modes)} of ${none.modeCount} modes at iteration ` +
              `${none.iteration} (needs <= ${none.modeCount / 2})`,
          }
        : null,
    ],
    extra,
  );
};

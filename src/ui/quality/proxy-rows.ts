// What the sample-quality panel draws and says, built from the proxy state by pure functions like
// observatory-rows.ts (no React, no DOM), so the rows and the sentences are testable on their own.
import type { ProxyInfo, ProxyReference } from '../../worker/proxy-protocol';
import { finiteOrNull } from '../../core/numbers';
import type { TimeRow } from '../observatory/observatory-rows';
import type { ProxyEvaluationPoint, ProxyState } from './proxy-state';

export const IS_KEY = 'is';
export const MARGINAL_ENTROPY_KEY = 'hy';
export const CONDITIONAL_ENTROPY_KEY = 'hyx';
export const FID_KEY = 'fid';
export const KID_KEY = 'kid';
export const KID_HIGH_KEY = 'kidHigh';
export const KID_LOW_KEY = 'kidLow';
export const CLASSES_KEY = 'classes';

/** One row per evaluation with every chart's columns; non-finite values become gaps (null). */
export function proxyRows(evaluations: readonly ProxyEvaluationPoint[]): TimeRow[] {
  return evaluations.map((e) => {
    const kid = finiteOrNull(e.kidMean);
    const std = finiteOrNull(e.kidStd);
    return {
      iteration: e.iteration,
      [IS_KEY]: finiteOrNull(e.isProxy),
      [MARGINAL_ENTROPY_KEY]: finiteOrNull(e.marginalEntropy),
      [CONDITIONAL_ENTROPY_KEY]: finiteOrNull(e.meanConditionalEntropy),
      [FID_KEY]: finiteOrNull(e.fidProxy),
      [KID_KEY]: kid,
      [KID_HIGH_KEY]: kid === null || std === null ? null : kid + std,
      [KID_LOW_KEY]: kid === null || std === null ? null : kid - std,
      [CLASSES_KEY]: finiteOrNull(e.classesCovered),
    };
  });
}

export interface Guide {
  y: number;
  label: string;
}

export interface ProxyGuides {
  is: Guide[];
  fid: Guide[];
  kid: Guide[];
  classes: Guide[];
}

const NO_GUIDES: ProxyGuides = { is: [], fid: [], kid: [], classes: [] };

function guide(y: number | undefined, label: string): Guide[] {
  return typeof y === 'number' && Number.isFinite(y) ? [{ y, label }] : [];
}

/** The real-data lines beside the generator's numbers (none without a reference). */
export function proxyGuides(reference: ProxyReference | null): ProxyGuides {
  if (!reference) return NO_GUIDES;
  return {
    is: guide(reference.heldOutIs, 'held-out real'),
    fid: guide(reference.fidTrainVsHeldOut, 'real vs real'),
    kid: guide(reference.kidTrainVsHeldOut?.mean, 'real vs real'),
    classes: guide(reference.heldOutClassesCovered, 'held-out real'),
  };
}

// ---------------------------------------------------------------------------------------------
// Sentences

/** Chance accuracy in percent for `classCount` classes (null without classes). */
export function chancePercent(classCount: number): number | null {
  return classCount > 0 ? 100 / classCount : null;
}

/** A percentage with one decimal: 71.3%. */
export function percentText(percent: number | null): string {
  return percent === null || !Number.isFinite(percent) ? 'n/a' : `${percent.toFixed(1)}%`;
}

/** Whole numbers with thousands separators, the same in every locale: 7,123. */
export function countText(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** Three significant digits: 3.21, 0.0123, 250. */
function short(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(3))) : 'n/a';
}

/** KID is small (about 1e-3): four decimals keep mean and std comparable. */
function kidText(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'n/a';
}

const ORIGIN: Record<ProxyInfo['source'], (proxy: ProxyInfo) => string> = {
  trained: (p) => (p.trainSeconds === null ? 'trained here' : `trained in ${Math.round(p.trainSeconds)} s here`),
  cache: () => "loaded from this browser's cache",
  imported: () => 'imported from a file',
};

/** What the proxy in use is, how good it is (against chance), where it came from. */
export function accuracyText(proxy: ProxyInfo): string {
  return (
    `Proxy net (${proxy.recipeName} recipe): test accuracy ${percentText(proxy.accuracy * 100)} ` +
    `on ${countText(proxy.heldOutCount)} held-out images, chance ` +
    `${percentText(chancePercent(proxy.classNames.length))}, ` +
    `${ORIGIN[proxy.source](proxy)}; ${proxy.featureDimension}-d features, ` +
    `${countText(proxy.parameterCount)} parameters`
  );
}

/** The real-data references at N; says when N had to be capped by a small split. */
export function referenceText(reference: ProxyReference, requestedN: number): string {
  const kid = reference.kidTrainVsHeldOut;
  const capped = reference.n < requestedN ? `; N capped at ${reference.n}: a split has fewer images` : '';
  return (
    `Real data at N=${reference.n}: IS ${short(reference.heldOutIs)} (held-out), ` +
    `FID ${short(reference.fidTrainVsHeldOut)} and KID ${kidText(kid.mean)} ± ${kidText(kid.std)} ` +
    `(training vs held-out)${capped}`
  );
}

function seconds(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : 'n/a';
}

/**
 * What the latest evaluation cost, on which worker; and how many were dropped. Training pays only
 * the read-back of G's weights (milliseconds, hence 3 decimals).
 */
export function costText(latest: ProxyEvaluationPoint, skipped: number): string {
  const dropped = skipped > 0 ? `; ${skipped} skipped while one was running` : '';
  const readBack = Number.isFinite(latest.readBackSeconds) ? latest.readBackSeconds.toFixed(3) : 'n/a';
  return (
    `last evaluation at iteration ${latest.iteration}: G read-back ${readBack} s (training worker); ` +
    `generation ${seconds(latest.generationSeconds)} s + scoring ${seconds(latest.proxySeconds)} s ` +
    `(proxy worker)${dropped}`
  );
}

/** How many classes the generator produces (argmax of the proxy), with the count of each. */
export function classCoverageText(point: ProxyEvaluationPoint, classNames: readonly string[]): string {
  const counts = point.classHistogram.map((count, i) => `${classNames[i] ?? `class ${i}`} ${count}`);
  return (
    `Classes produced at iteration ${point.iteration}: ${point.classesCovered} of ` +
    `${point.classCount} (${counts.join(', ')})`
  );
}

/**
 * What the proxy worker is doing, after "Proxy net: ". The progress epoch is 0-based, as
 * ProxyNet reports it; step counts all epochs (1-based) out of steps.
 */
export function proxyStatusText(state: Pick<ProxyState, 'phase' | 'detail' | 'progress'>, proxyEvery: number): string {
  const { phase, detail, progress } = state;
  if (proxyEvery === 0 && phase !== 'training') return 'evaluations are off (proxyevery=0)';
  const extra = detail ? ` (${detail})` : '';
  switch (phase) {
    case 'training':
      if (!progress) return `training…${extra}`;
      return (
        `training, epoch ${Math.min(progress.epoch + 1, progress.epochs)}/${progress.epochs}, ` +
        `step ${progress.step}/${progress.steps}, loss ${progress.loss.toFixed(3)}, ${Math.round(progress.seconds)} s`
      );
    case 'loading-data':
      return `loading data…${extra}`;
    case 'untrained':
      return `not trained yet: it trains when the first evaluation is due (iteration ${proxyEvery}), or now`;
    case 'measuring':
      return `measuring test accuracy and the real-data references…${extra}`;
    case 'ready':
      return 'ready';
    case 'failed':
      return detail ? `failed: ${detail}` : 'failed: see the message above';
    case 'idle':
      return `idle: no image data prepared${extra}`;
  }
}

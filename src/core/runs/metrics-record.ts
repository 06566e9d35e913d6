// A run's metrics as one JSON document: what `npm run headless` writes and what the page's
// "Export metrics (JSON)" writes. The run list reads either, so a sweep's runs and runs exported from
// a browser can be compared on the same charts. Plain data, no Node or tfjs imports.
//
//   { "format": "spectral-gan-metrics", "version": 1, "source": "page" | "headless",
//     "config": {...}, "query": "v=1&dataset=...", "info": {...}, "iterations": 120,
//     "history": [MetricsPoint...], "spectra": [...], "alarms": [...], "proxies": [QualityRow...], ... }
//
// Older headless files (before `format` was written) have the same keys without format, version
// and source; readers accept them as version 1 from a headless run.
import type { GanConfig } from '../config/schema';
import type { CollapseAlarm, SpectrumSnapshot } from '../metrics/types';
import { QUALITY_ROW_KEYS, type QualityRow } from '../proxy/sample-quality';
import type { MetricsPoint, TrainerInfo } from '../train/types';
import { LIPSCHITZ_KEYS, type LipschitzReading } from '../train/lipschitz-probe';
import type { CoveragePoint } from '../metrics/mode-coverage';
import { errorText } from '../error-text';
import { encodeConfig } from '../config/url-codec';

export const METRICS_FORMAT = 'spectral-gan-metrics';
export const METRICS_VERSION = 1;

export interface MetricsRecord {
  format: typeof METRICS_FORMAT;
  version: number;
  source: 'page' | 'headless';
  config: GanConfig;
  /** The canonical query string (with `v`): open `/?<query>` to get the same run. */
  query: string;
  info: TrainerInfo;
  /** G iterations done. */
  iterations: number;
  history: MetricsPoint[];
  spectra: SpectrumSnapshot[];
  alarms: CollapseAlarm[];
  /** Sample-quality evaluations (IS/FID/KID proxies), oldest first; empty when there were none. */
  proxies: QualityRow[];
  /**
   * 2-D data: modes captured, high-quality share and KL from uniform at each read-back (absent for images and in
   * older files).
   */
  coverage?: CoveragePoint[];
  /** What the record left out, when it had to (the page's spectrum cap, run-record.ts); absent when nothing. */
  omitted?: RecordOmissions;
}

/** Items a record had to leave out, and why. */
export interface RecordOmissions {
  spectra: number;
  reason: string;
}

/** A record's contents: everything but its format and version, with the query optional. */
export type MetricsRecordParts = Omit<MetricsRecord, 'format' | 'version' | 'query'> & { query?: string };

/**
 * A metrics record of the current format and version. The query defaults to the config's canonical
 * one; coverage is written only when given (image runs have none).
 */
export function createMetricsRecord(parts: MetricsRecordParts): MetricsRecord {
  const { source, config, query, info, iterations, history, spectra, alarms, proxies, coverage } = parts;
  return {
    format: METRICS_FORMAT,
    version: METRICS_VERSION,
    source,
    config,
    query: query ?? encodeConfig(config),
    info,
    iterations,
    history,
    spectra,
    alarms,
    proxies,
    ...(coverage === undefined ? {} : { coverage }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** JSON writes NaN and Infinity as null: a missing reading reads back as NaN. */
function numberOrNull(value: unknown, where: string): number {
  if (value === null) return Number.NaN;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new Error(`${where} must be a number or null, got ${shown(value)}`);
}

function numberList(value: unknown, where: string): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where} must be an array of numbers, got ${shown(value)}`);
  return value.map((item, i) => numberOrNull(item, `${where}[${i}]`));
}

function wholeNumber(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new Error(`${what} must be a whole number ≥ 0, got ${shown(value)}`);
}

function historyPoint(value: unknown, i: number): MetricsPoint {
  const where = `history point ${i + 1}`;
  if (!isObject(value)) throw new Error(`${where} must be an object, got ${shown(value)}`);
  return {
    iteration: wholeNumber(value.iteration, `${where}: "iteration"`),
    seconds: value.seconds === undefined ? Number.NaN : numberOrNull(value.seconds, `${where}: "seconds"`),
    dLoss: numberOrNull(value.dLoss, `${where}: "dLoss"`),
    gLoss: numberOrNull(value.gLoss, `${where}: "gLoss"`),
    sigmas: numberList(value.sigmas, `${where}: "sigmas"`),
    gradNorms: numberList(value.gradNorms, `${where}: "gradNorms"`),
    gradNormTotal:
      value.gradNormTotal === undefined ? Number.NaN : numberOrNull(value.gradNormTotal, `${where}: "gradNormTotal"`),
    ...(value.lipschitz === undefined ? {} : { lipschitz: lipschitzPoint(value.lipschitz, where) }),
  };
}

function lipschitzPoint(value: unknown, where: string): LipschitzReading {
  if (!isObject(value)) throw new Error(`${where}: "lipschitz" must be an object, got ${shown(value)}`);
  const reading = {} as Record<(typeof LIPSCHITZ_KEYS)[number], number>;
  for (const key of LIPSCHITZ_KEYS) reading[key] = numberOrNull(value[key] ?? null, `${where}: "lipschitz.${key}"`);
  return reading;
}

const COVERAGE_NUMBERS = ['modesCaptured', 'modeCount', 'highQualityShare', 'klFromUniform'] as const;

function coverageEntry(value: unknown, i: number): CoveragePoint {
  const where = `coverage point ${i + 1}`;
  if (!isObject(value)) throw new Error(`${where} must be an object, got ${shown(value)}`);
  const point = { iteration: wholeNumber(value.iteration, `${where}: "iteration"`) } as Record<string, number>;
  for (const key of COVERAGE_NUMBERS) point[key] = numberOrNull(value[key] ?? null, `${where}: "${key}"`);
  return point as unknown as CoveragePoint;
}

const QUALITY_NUMBERS = QUALITY_ROW_KEYS.filter((key) => key !== 'iteration');

function qualityPoint(value: unknown, i: number): QualityRow {
  const where = `proxy evaluation ${i + 1}`;
  if (!isObject(value)) throw new Error(`${where} must be an object, got ${shown(value)}`);
  const row = { ...value, iteration: wholeNumber(value.iteration, `${where}: "iteration"`) } as Record<string, unknown>;
  // Missing columns read as NaN (older files); extra ones (headless `seconds`) are kept.
  for (const key of QUALITY_NUMBERS)
    row[key] = value[key] === undefined ? Number.NaN : numberOrNull(value[key], `${where}: "${key}"`);
  return row as unknown as QualityRow;
}

function objectList<T>(value: unknown, key: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`"${key}" must be an array, got ${shown(value)}`);
  return value as T[];
}

/**
 * Reads a metrics file: the page's export, or a headless run's JSON (also one written before
 * `format` existed). Checks what the run list and the charts read (query, layer names, history,
 * proxies) and throws an Error whose message says what is wrong, ready to show to a person.
 * Readings JSON wrote as null come back as NaN.
 */
export function parseMetricsRecord(text: string): MetricsRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${errorText(error)}`, { cause: error });
  }
  if (!isObject(data)) throw new Error('a metrics file must be a JSON object');
  let version = METRICS_VERSION;
  let source: MetricsRecord['source'] = 'headless';
  if (data.format !== undefined) {
    if (data.format !== METRICS_FORMAT) {
      throw new Error(
        `not a metrics file: "format" is ${shown(data.format)}, expected "${METRICS_FORMAT}" (a ` +
          `page export or a headless run's JSON)`,
      );
    }
    if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1) {
      throw new Error(`"version" must be a positive integer, got ${shown(data.version)}`);
    }
    if (data.version > METRICS_VERSION)
      throw new Error(`metrics version ${data.version} is newer than this version reads (${METRICS_VERSION})`);
    version = data.version;
    if (data.source !== 'page' && data.source !== 'headless')
      throw new Error(`"source" must be "page" or "headless", got ${shown(data.source)}`);
    source = data.source;
  } else if (!('history' in data) || !('query' in data)) {
    throw new Error(
      `not a metrics file: it has no "format", "history" or "query" (expected "${METRICS_FORMAT}", ` +
        `a page export or a headless run's JSON)`,
    );
  }
  if (typeof data.query !== 'string')
    throw new Error(`"query" must be a string (the run's configuration), got ${shown(data.query)}`);
  if (!isObject(data.info))
    throw new Error(`"info" must be an object with the run's layer names, got ${shown(data.info)}`);
  const layerNames = data.info.layerNames;
  if (!Array.isArray(layerNames) || !layerNames.every((name) => typeof name === 'string')) {
    throw new Error(`"info.layerNames" must be a list of D layer names, got ${shown(layerNames)}`);
  }
  if (!Array.isArray(data.history))
    throw new Error(`"history" must be an array of read-backs, got ${shown(data.history)}`);
  const history = data.history.map(historyPoint);
  const proxies = objectList(data.proxies, 'proxies').map(qualityPoint);
  const last = history[history.length - 1]?.iteration ?? 0;
  const iterations = data.iterations === undefined ? last : wholeNumber(data.iterations, '"iterations"');
  return {
    ...(data as object),
    format: METRICS_FORMAT,
    version,
    source,
    config: (isObject(data.config) ? data.config : {}) as unknown as GanConfig,
    query: data.query,
    info: data.info as unknown as TrainerInfo,
    iterations,
    history,
    spectra: objectList<SpectrumSnapshot>(data.spectra, 'spectra'),
    alarms: objectList<CollapseAlarm>(data.alarms, 'alarms'),
    proxies,
    ...(data.coverage === undefined ? {} : { coverage: objectList(data.coverage, 'coverage').map(coverageEntry) }),
  };
}

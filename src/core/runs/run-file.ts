// A whole run in one file (`.sgrun`), to continue it in another browser: the trainer's checkpoint
// and the series the page showed up to it (metrics, mode counts, spectra, alarms, sample-quality
// evaluations). Plain data, no DOM or tfjs imports: the page, a worker and Node read it alike.
//
//   gzip( JSON { "format": "spectral-gan-run", "version": 1, "exportedAt": "2025-...Z",
//                "query": "v=1&dataset=...", "checkpoint": {...}, "history": [...], "coverageHistory": [...],
//                "spectra": [...], "alarms": [...], "proxies": [...] } )
//
// JSON cannot hold typed arrays or NaN/Infinity/-0 (a gradient norm is NaN before the first D
// update), so they are written as tagged objects: {"$typed": "Float32Array", "base64": <their bytes,
// little-endian as on every platform the page runs on>} and {"$number": "NaN"}. Every other number
// is written in JSON's shortest round-trip form, so the run comes back bit for bit.
import { gzipSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { decodeConfig, encodeConfig } from '../config/url-codec';
import { crc32 } from '../data/tar-gz';
import type { CollapseAlarm, SpectrumSnapshot } from '../metrics/types';
import type { QualityRow } from '../proxy/sample-quality';
import { checkCheckpoint, type TrainerCheckpoint } from '../train/checkpoint';
import type { MetricsPoint } from '../train/types';
import type { CoveragePoint } from '../metrics/mode-coverage';
import type { RecordOmissions } from './metrics-record';
import { errorText } from '../error-text';

export const RUN_FILE_FORMAT = 'spectral-gan-run';
export const RUN_FILE_VERSION = 1;
export const RUN_FILE_EXTENSION = '.sgrun';

export interface RunFileContents {
  format: typeof RUN_FILE_FORMAT;
  version: number;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** encodeConfig(checkpoint.config), with `v`: open `/?<query>` for a fresh run of the same settings. */
  query: string;
  checkpoint: TrainerCheckpoint;
  /** The page's series up to the checkpoint's iteration. */
  history: MetricsPoint[];
  coverageHistory: CoveragePoint[];
  spectra: SpectrumSnapshot[];
  alarms: CollapseAlarm[];
  proxies: QualityRow[];
  /** What the page's record left out (its spectrum cap); absent when it holds everything. */
  omitted?: RecordOmissions;
}

/** What a run file is made from; format, version, query (and by default the time) are filled in. */
export type RunFileInput = Omit<RunFileContents, 'format' | 'version' | 'query' | 'exportedAt'> & { exportedAt?: Date };

type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;
type TypedArrayConstructor = {
  new (buffer: ArrayBuffer, offset: number, length: number): TypedArray;
  BYTES_PER_ELEMENT: number;
};

const TYPED_ARRAYS: Record<string, TypedArrayConstructor> = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
};

export function encodeRunFile(run: RunFileInput): Uint8Array {
  const { exportedAt = new Date(), ...rest } = run;
  const contents: RunFileContents = {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    exportedAt: exportedAt.toISOString(),
    query: encodeConfig(run.checkpoint.config),
    ...rest,
  };
  return gzipSync(strToU8(JSON.stringify(contents, tagSpecialValues)));
}

/**
 * The run in `bytes`, checked: throws an Error whose message says what is wrong with the file and
 * what to do, ready to show to a person (prefix it with the file's name).
 */
export function decodeRunFile(bytes: Uint8Array): RunFileContents {
  if (bytes.byteLength === 0) throw new Error('the file is empty (0 bytes)');
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    throw new Error(`it is not a run file (${RUN_FILE_EXTENSION}): ${notGzipDetail(bytes)}`);
  let text: string;
  try {
    text = strFromU8(gunzipVerified(bytes));
  } catch (error) {
    throw new Error(
      `the file is incomplete or damaged (${errorText(error)}); export the run again and copy the whole file`,
      { cause: error },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text, untagSpecialValues);
  } catch (error) {
    throw new Error(`the file unpacks, but not to a run (${errorText(error)})`, { cause: error });
  }
  return checkContents(data);
}

function checkContents(data: unknown): RunFileContents {
  if (!isRecord(data) || data.format !== RUN_FILE_FORMAT) {
    const format = isRecord(data) ? (JSON.stringify(data.format) ?? 'missing') : 'missing';
    throw new Error(`it is not a run file: its "format" is ${format}, expected "${RUN_FILE_FORMAT}"`);
  }
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`the run file's version ${JSON.stringify(version) ?? 'is missing'}: not a version this page knows`);
  }
  if (version > RUN_FILE_VERSION) {
    throw new Error(
      `it was made by a newer version of the playground (run file version ${version}; this page ` +
        `reads version ${RUN_FILE_VERSION}): ` +
        'reload the page to get the newest version, then import it again',
    );
  }
  try {
    checkCheckpoint(data.checkpoint);
  } catch (error) {
    throw new Error(`its checkpoint cannot be used: ${errorText(error)}`, { cause: error });
  }
  const checkpoint = data.checkpoint;
  const configErrors = configProblems(checkpoint);
  if (configErrors.length) throw new Error(`its settings are not valid here: ${configErrors.join('; ')}`);
  return {
    format: RUN_FILE_FORMAT,
    version,
    exportedAt: typeof data.exportedAt === 'string' ? data.exportedAt : '',
    query: encodeConfig(checkpoint.config),
    checkpoint,
    history: seriesOf<MetricsPoint>(data, 'history', isMetricsPoint),
    coverageHistory: seriesOf<CoveragePoint>(data, 'coverageHistory', isIterationRecord),
    spectra: seriesOf<SpectrumSnapshot>(
      data,
      'spectra',
      (item) => isIterationRecord(item) && Array.isArray(item.layers) && Array.isArray(item.alarms),
    ),
    alarms: seriesOf<CollapseAlarm>(data, 'alarms', isIterationRecord),
    proxies: seriesOf<QualityRow>(data, 'proxies', isIterationRecord),
    ...omissionsOf(data.omitted),
  };
}

/** What the exporting page said it left out; anything malformed there reads as nothing said. */
function omissionsOf(value: unknown): { omitted?: RecordOmissions } {
  if (!isRecord(value) || typeof value.spectra !== 'number' || typeof value.reason !== 'string') return {};
  return { omitted: { spectra: value.spectra, reason: value.reason } };
}

/** The configuration must survive the URL codec unchanged (the page keeps it in the URL). */
function configProblems(checkpoint: TrainerCheckpoint): string[] {
  if (!isRecord(checkpoint.config)) return ['the checkpoint has no configuration'];
  try {
    return decodeConfig(encodeConfig(checkpoint.config)).errors;
  } catch (error) {
    return [errorText(error)];
  }
}

/** The series `key` of the file: absent is empty; anything but a list of well-formed entries is refused. */
function seriesOf<T>(data: Record<string, unknown>, key: string, isEntry: (item: unknown) => boolean): T[] {
  const series = data[key];
  if (series === undefined) return [];
  if (!Array.isArray(series)) throw new Error(`its "${key}" is not a list`);
  const bad = series.findIndex((item) => !isEntry(item));
  if (bad >= 0) throw new Error(`entry ${bad} of its "${key}" is malformed`);
  return series as T[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIterationRecord(item: unknown): item is Record<string, unknown> & { iteration: number } {
  return isRecord(item) && typeof item.iteration === 'number';
}

const isNumberList = (value: unknown) => Array.isArray(value) && value.every((n) => typeof n === 'number');

function isMetricsPoint(item: unknown): item is MetricsPoint {
  return (
    isIterationRecord(item) &&
    ['seconds', 'dLoss', 'gLoss', 'gradNormTotal'].every((key) => typeof item[key] === 'number') &&
    isNumberList(item.sigmas) &&
    isNumberList(item.gradNorms)
  );
}

// ---------------------------------------------------------------------------------------------
// JSON of typed arrays and non-finite numbers

function tagSpecialValues(this: unknown, _key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name;
    if (!(name in TYPED_ARRAYS)) throw new Error(`cannot write a ${name} into a run file`);
    return { $typed: name, base64: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
    return { $number: Object.is(value, -0) ? '-0' : String(value) };
  return value;
}

const SPECIAL_NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

function untagSpecialValues(this: unknown, _key: string, value: unknown): unknown {
  if (!isRecord(value)) return value;
  if (typeof value.$number === 'string' && value.$number in SPECIAL_NUMBERS) return SPECIAL_NUMBERS[value.$number];
  if (typeof value.$typed !== 'string' || typeof value.base64 !== 'string') return value;
  const type = TYPED_ARRAYS[value.$typed];
  if (!type) throw new Error(`unknown array type ${JSON.stringify(value.$typed)}`);
  const bytes = base64ToBytes(value.base64);
  if (bytes.byteLength % type.BYTES_PER_ELEMENT !== 0)
    throw new Error(`a ${value.$typed} of ${bytes.byteLength} bytes`);
  return new type(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / type.BYTES_PER_ELEMENT);
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are limited.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new Error('an array is not valid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// gzip

/**
 * Unpacks one gzip member and checks it against its trailer (size and CRC-32), so a cut-off or
 * damaged download is refused instead of giving other weights. inflateSync grows its output as it
 * goes: fflate's gunzipSync would allocate whatever the (possibly cut-off) last 4 bytes say.
 */
function gunzipVerified(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength < 18 || bytes[2] !== 8) throw new Error(`${bytes.byteLength} bytes, not a whole gzip file`);
  const bodyStart = gzipHeaderLength(bytes);
  if (bodyStart <= 0 || bodyStart + 8 > bytes.byteLength) throw new Error('the gzip header is cut off');
  const data = inflateSync(bytes.subarray(bodyStart, bytes.byteLength - 8));
  const trailer = new DataView(bytes.buffer, bytes.byteOffset + bytes.byteLength - 8, 8);
  if (data.byteLength !== trailer.getUint32(4, true))
    throw new Error('its unpacked size does not match its gzip trailer');
  if (crc32(data) !== trailer.getUint32(0, true)) throw new Error('CRC-32 checksum mismatch');
  return data;
}

/** RFC 1952: a 10-byte header, then the optional extra field, name, comment and header CRC. */
function gzipHeaderLength(bytes: Uint8Array): number {
  const flags = bytes[3];
  let at = 10;
  if (flags & 4) at += 2 + (bytes[10] | (bytes[11] << 8));
  if (flags & 8) at = bytes.indexOf(0, at) + 1;
  if (at > 0 && flags & 16) at = bytes.indexOf(0, at) + 1;
  if (at > 0 && flags & 2) at += 2;
  return at;
}

/** Why a file that is not gzip is no run file; a JSON export of another kind is named. */
function notGzipDetail(bytes: Uint8Array): string {
  const start = strFromU8(bytes.subarray(0, 64)).trimStart();
  if (!start.startsWith('{')) return 'a run file is gzip-compressed, and this one is not';
  try {
    const format = (JSON.parse(strFromU8(bytes)) as { format?: unknown }).format;
    return (
      `it is a JSON file (format ${JSON.stringify(format) ?? 'not given'}); export the run ` +
      `with "Export run" to get a ${RUN_FILE_EXTENSION} file`
    );
  } catch {
    return 'it looks like text, but a run file is gzip-compressed';
  }
}

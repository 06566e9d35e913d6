// Reads CIFAR-10 in the official binary layout ("CIFAR-10 binary version"): records of 3073 bytes,
// one label byte 0-9, then 1024 red, 1024 green and 1024 blue bytes, each plane row-major 32x32.
// Framework-free: runs in the page, in a worker and in Node.
//
// Parsing only validates and keeps the planar records; pixels are converted to NHWC for the images
// a subset actually uses, so a 5000-image subset never converts (or copies) whole batch files.
import { gunzipSync } from 'fflate';
import { parseTar } from 'nanotar';
import { IMAGE_BYTES, IMAGE_SIZE, type ImageSet } from './types';
import { errorText } from '../error-text';

export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
export const CIFAR10_RECORD_BYTES = 1 + IMAGE_BYTES; // 3073
export const CIFAR10_RECORDS_PER_BATCH = 10000;
/** Batch files in the order subsets are filled: training batches first, then the test batch. */
export const CIFAR10_BATCH_FILES: readonly string[] = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
  'test_batch.bin',
];
export const CIFAR10_ARCHIVE_NAME = 'cifar-10-binary.tar.gz';

export type DataFileProblem =
  | 'empty'
  | 'truncated'
  | 'bad-label'
  | 'unknown-name'
  | 'no-batches-in-archive'
  | 'corrupt-gzip'
  | 'corrupt-tar'
  | 'no-matching-images'
  | 'not-found'
  | 'unreadable';

/** Every problem with a data file; the message names the file and what is wrong with it. */
export class DataFileError extends Error {
  readonly fileName: string;
  readonly problem: DataFileProblem;

  constructor(fileName: string, problem: DataFileProblem, detail: string) {
    super(`${fileName}: ${detail}`);
    this.name = 'DataFileError';
    this.fileName = fileName;
    this.problem = problem;
  }
}

/** One validated batch file, still in the planar record layout. */
export interface CifarBatch {
  /** File name as given (inside an archive: "archive.tar.gz:cifar-10-batches-bin/data_batch_1.bin"). */
  fileName: string;
  count: number;
  /** count x 3073 bytes, exactly as in the file. */
  records: Uint8Array;
}

export interface CifarSubset {
  set: ImageSet;
  requested: number;
  /** Null when the subset was filled; otherwise says how many images were available. */
  shortfall: string | null;
}

/** The name without directories, so both "data_batch_1.bin" and ".../data_batch_1.bin" match. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

export function isCifarBatchName(fileName: string): boolean {
  return CIFAR10_BATCH_FILES.includes(baseName(fileName));
}

/** Archives are recognized by extension: browsers and mirrors often rename the download. */
export function isCifarArchiveName(fileName: string): boolean {
  return /\.(tar\.gz|tgz|tar)$/i.test(baseName(fileName));
}

function asBytes(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Validates one batch file (size, label bytes) without copying it. */
export function parseCifarBatch(data: ArrayBuffer | Uint8Array, fileName: string): CifarBatch {
  const records = asBytes(data);
  if (records.byteLength === 0) {
    throw new DataFileError(fileName, 'empty', 'file is empty (0 bytes)');
  }
  const leftover = records.byteLength % CIFAR10_RECORD_BYTES;
  if (leftover !== 0) {
    const whole = Math.floor(records.byteLength / CIFAR10_RECORD_BYTES);
    throw new DataFileError(
      fileName,
      'truncated',
      `truncated or wrong size: ${records.byteLength} bytes is not a whole number of ` +
        `${CIFAR10_RECORD_BYTES}-byte records (${plural(whole, 'whole record')} plus ${leftover} bytes; ` +
        `an official batch file has ${CIFAR10_RECORDS_PER_BATCH} records = ` +
        `${CIFAR10_RECORDS_PER_BATCH * CIFAR10_RECORD_BYTES} bytes)`,
    );
  }
  const count = records.byteLength / CIFAR10_RECORD_BYTES;
  for (let record = 0; record < count; record++) {
    const label = records[record * CIFAR10_RECORD_BYTES];
    if (label > 9) {
      throw new DataFileError(
        fileName,
        'bad-label',
        `record ${record} (byte offset ${record * CIFAR10_RECORD_BYTES}) has label byte ${label}; ` +
          'expected 0-9 (is this really a CIFAR-10 binary batch file?)',
      );
    }
  }
  return { fileName, count, records };
}

/** nanotar reads `data.buffer` from offset 0 to its end, so it needs a view of a whole buffer. */
function wholeBufferView(bytes: Uint8Array): Uint8Array {
  // `new Uint8Array(view)` always copies (a Node Buffer's slice() would not).
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * A tar archive starts with a 512-byte header whose checksum field (octal, bytes 148-155) equals
 * the byte sum of the header with that field read as spaces; this holds for v7, ustar and GNU tar.
 */
function isTar(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 512) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : bytes[i];
  const field = String.fromCharCode(...bytes.subarray(148, 156))
    .replace(/[\0 ]+$/, '')
    .trim();
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}

/** Eight 256-entry CRC-32 tables (slicing by 8), built on first use. */
let crcTables: Int32Array | null = null;

/** CRC-32 (the gzip/zip polynomial 0xedb88320) of `bytes`, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTables) {
    crcTables = new Int32Array(8 * 256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTables[n] = c;
    }
    for (let n = 0; n < 256; n++) {
      for (let t = 1; t < 8; t++) {
        const previous = crcTables[(t - 1) * 256 + n];
        crcTables[t * 256 + n] = (previous >>> 8) ^ crcTables[previous & 255];
      }
    }
  }
  const T = crcTables;
  let crc = -1;
  let i = 0;
  for (const whole = bytes.length & ~7; i < whole; i += 8) {
    const low = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ crc;
    crc =
      T[1792 + (low & 255)] ^
      T[1536 + ((low >>> 8) & 255)] ^
      T[1280 + ((low >>> 16) & 255)] ^
      T[1024 + (low >>> 24)] ^
      T[768 + bytes[i + 4]] ^
      T[512 + bytes[i + 5]] ^
      T[256 + bytes[i + 6]] ^
      T[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = T[(crc ^ bytes[i]) & 255] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Deflate expands at most about 1032:1; a gzip trailer promising more than this is damaged. */
const MAX_GZIP_RATIO = 1100;

/**
 * gunzipSync plus the checks it leaves out: the trailer's uncompressed size must be plausible
 * before anything is allocated for it (fflate allocates what the last 4 bytes say, up to 4 GB), and
 * the data must match the trailer's CRC-32 and size. Without them a flipped bit in a download, or
 * bytes appended to it, could give different images with no error.
 */
function gunzipChecked(bytes: Uint8Array, fileName: string): Uint8Array {
  const damaged = (what: string) =>
    new DataFileError(
      fileName,
      'corrupt-gzip',
      `corrupt gzip data (${what}); the file is damaged or incomplete; download the file again`,
    );
  if (bytes.byteLength < 18) throw damaged(`${bytes.byteLength} bytes is too short for a gzip file`);
  const trailer = new DataView(bytes.buffer, bytes.byteOffset + bytes.byteLength - 8, 8);
  const storedCrc = trailer.getUint32(0, true);
  const storedSize = trailer.getUint32(4, true);
  if (storedSize > bytes.byteLength * MAX_GZIP_RATIO) {
    throw damaged(`the trailer promises ${storedSize} bytes from ${bytes.byteLength} compressed bytes`);
  }
  let data: Uint8Array;
  try {
    data = gunzipSync(bytes);
  } catch (error) {
    throw damaged(errorText(error));
  }
  if (data.byteLength !== storedSize)
    throw damaged(`${data.byteLength} bytes unpacked, the trailer says ${storedSize}`);
  if (crc32(data) !== storedCrc) throw damaged('CRC-32 checksum mismatch');
  return data;
}

export interface ArchiveFile {
  /** Path inside the archive, e.g. "cifar-10-batches-bin/data_batch_1.bin". */
  name: string;
  data: Uint8Array;
}

/**
 * The regular files of a .tar.gz (views into the decompressed tar, not copies). A plain tar is
 * accepted too: some servers send .gz files with Content-Encoding: gzip, and the browser then
 * hands over the already decompressed tar.
 */
export function extractArchiveFiles(data: ArrayBuffer | Uint8Array, fileName: string): ArchiveFile[] {
  const bytes = asBytes(data);
  if (bytes.byteLength === 0) throw new DataFileError(fileName, 'empty', 'file is empty (0 bytes)');

  let tar: Uint8Array;
  if (isGzip(bytes)) {
    tar = gunzipChecked(bytes, fileName);
  } else if (isTar(bytes)) {
    tar = bytes;
  } else {
    throw new DataFileError(
      fileName,
      'corrupt-gzip',
      'not a gzip file (it does not start with the gzip signature 1f 8b)',
    );
  }
  if (!isTar(tar)) {
    throw new DataFileError(fileName, 'corrupt-tar', 'the gzip data inside is not a tar archive');
  }

  try {
    return parseTar(wholeBufferView(tar))
      .filter((entry) => entry.type === 'file')
      .map((entry) => ({ name: entry.name, data: entry.data ?? new Uint8Array(0) }));
  } catch (error) {
    throw new DataFileError(fileName, 'corrupt-tar', `corrupt tar archive (${errorText(error)})`);
  }
}

/** Unpacks cifar-10-binary.tar.gz and validates its batch files, returned in CIFAR10_BATCH_FILES order. */
export function unpackCifarArchive(data: ArrayBuffer | Uint8Array, fileName: string): CifarBatch[] {
  const files = extractArchiveFiles(data, fileName);
  const batches: CifarBatch[] = [];
  for (const wanted of CIFAR10_BATCH_FILES) {
    const file = files.find((f) => baseName(f.name) === wanted);
    if (file) batches.push(parseCifarBatch(file.data, `${fileName}:${file.name}`));
  }
  if (batches.length === 0)
    throw noBatchesError(
      fileName,
      files.map((f) => f.name),
    );
  return batches;
}

/** The error for an archive without batch files, listing what it does hold. */
export function noBatchesError(fileName: string, found: readonly string[]): DataFileError {
  const pythonHint = found.some((name) => /data_batch_\d$/.test(name))
    ? ' This looks like the Python (pickle) version; the binary version is cifar-10-binary.tar.gz.'
    : '';
  const listed = found.length === 0 ? 'no files' : found.slice(0, 8).join(', ') + (found.length > 8 ? ', ...' : '');
  return new DataFileError(
    fileName,
    'no-batches-in-archive',
    `archive holds no CIFAR-10 batch files (expected cifar-10-batches-bin/data_batch_1.bin ... test_batch.bin; found ${listed}).${pythonHint}`,
  );
}

/** Reads any accepted CIFAR-10 file (a batch file or the archive) into validated batches. */
export function readCifarFile(data: ArrayBuffer | Uint8Array, fileName: string): CifarBatch[] {
  if (isCifarBatchName(fileName)) return [parseCifarBatch(data, fileName)];
  if (isCifarArchiveName(fileName)) return unpackCifarArchive(data, fileName);
  throw new DataFileError(
    fileName,
    'unknown-name',
    `unknown file name; expected one of ${CIFAR10_BATCH_FILES.join(', ')} or ${CIFAR10_ARCHIVE_NAME}`,
  );
}

/** How many records of a batch have a label in `wanted` (a 10-entry lookup by label). */
export function countInClasses(batch: CifarBatch, wanted: readonly boolean[]): number {
  let count = 0;
  for (let record = 0; record < batch.count; record++) {
    if (wanted[batch.records[record * CIFAR10_RECORD_BYTES]]) count++;
  }
  return count;
}

/** Copies record `record` of `records` (planar R, G, B) into `pixels` at image `image` as NHWC. */
function copyRecordAsNhwc(records: Uint8Array, record: number, pixels: Uint8Array, image: number): void {
  const planeSize = IMAGE_SIZE * IMAGE_SIZE;
  const red = record * CIFAR10_RECORD_BYTES + 1;
  const green = red + planeSize;
  const blue = green + planeSize;
  let out = image * IMAGE_BYTES;
  for (let p = 0; p < planeSize; p++) {
    pixels[out++] = records[red + p];
    pixels[out++] = records[green + p];
    pixels[out++] = records[blue + p];
  }
}

export function classLookup(classes: readonly number[]): boolean[] {
  if (classes.length === 0) throw new RangeError('classes must name at least one class id 0-9');
  const wanted = new Array<boolean>(10).fill(false);
  for (const id of classes) {
    if (!Number.isInteger(id) || id < 0 || id > 9) throw new RangeError(`class id ${id} is not an integer 0-9`);
    wanted[id] = true;
  }
  return wanted;
}

/**
 * The first `subset` images (in the given batch order, then record order) whose labels are in
 * `classes`, converted to NHWC. When fewer exist, all of them are returned and `shortfall` says so.
 */
export function selectCifarSubset(
  batches: readonly CifarBatch[],
  classes: readonly number[],
  subset: number,
): CifarSubset {
  if (!Number.isInteger(subset) || subset < 1) throw new RangeError(`subset must be a positive integer, got ${subset}`);
  const wanted = classLookup(classes);

  let available = 0;
  for (const batch of batches) available += countInClasses(batch, wanted);
  const classList = [...classes].sort((a, b) => a - b).join(',');
  const fileList = batches.map((b) => baseName(b.fileName)).join(', ') || 'no files';
  if (available === 0) {
    throw new DataFileError(fileList, 'no-matching-images', `no CIFAR-10 images of classes ${classList}`);
  }
  const count = Math.min(subset, available);

  const pixels = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);
  const usedFiles: string[] = [];
  let filled = 0;
  for (const batch of batches) {
    if (filled === count) break;
    const filledBefore = filled;
    for (let record = 0; record < batch.count && filled < count; record++) {
      const label = batch.records[record * CIFAR10_RECORD_BYTES];
      if (!wanted[label]) continue;
      copyRecordAsNhwc(batch.records, record, pixels, filled);
      labels[filled] = label;
      filled++;
    }
    if (filled > filledBefore) usedFiles.push(baseName(batch.fileName));
  }

  const shortfall =
    available < subset
      ? `only ${available} CIFAR-10 images of classes ${classList} in ${fileList}; using ${available} instead of ${subset}`
      : null;
  return {
    set: {
      name: `CIFAR-10 classes ${classList}, ${count} images from ${usedFiles.join(', ')}`,
      count,
      pixels,
      labels,
      classNames: [...CIFAR10_CLASS_NAMES],
    },
    requested: subset,
    shortfall,
  };
}

/** A whole batch file as an ImageSet (all records, file order). */
export function cifarBatchToImageSet(batch: CifarBatch): ImageSet {
  const pixels = new Uint8Array(batch.count * IMAGE_BYTES);
  const labels = new Uint8Array(batch.count);
  for (let record = 0; record < batch.count; record++) {
    copyRecordAsNhwc(batch.records, record, pixels, record);
    labels[record] = batch.records[record * CIFAR10_RECORD_BYTES];
  }
  return {
    name: `CIFAR-10 ${baseName(batch.fileName)}`,
    count: batch.count,
    pixels,
    labels,
    classNames: [...CIFAR10_CLASS_NAMES],
  };
}

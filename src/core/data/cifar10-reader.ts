// Reads CIFAR-10 in the official binary layout ("CIFAR-10 binary version"): records of 3073 bytes,
// one label byte 0-9, then 1024 red, 1024 green and 1024 blue bytes, each plane row-major 32x32.
// Framework-free: runs in the page, in a worker and in Node.
//
// Parsing only validates and keeps the planar records; pixels are converted to NHWC for the images
// a subset actually uses, so a 5000-image subset never converts (or copies) whole batch files.
import { IMAGE_BYTES, IMAGE_SIZE, type ImageSet } from './types';
import { DataFileError } from './data-file-error';
import { asBytes, extractArchiveFiles } from './tar-gz';

// Importers from before the error and the archive reader had their own modules.
export { DataFileError, type DataFileProblem } from './data-file-error';
export { crc32, extractArchiveFiles, type ArchiveFile } from './tar-gz';

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
    `archive holds no CIFAR-10 batch files (expected cifar-10-batches-bin/data_batch_1.bin ... ` +
      `test_batch.bin; found ${listed}).${pythonHint}`,
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
      ? `only ${available} CIFAR-10 images of classes ${classList} in ${fileList}; using ` +
        `${available} instead of ${subset}`
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

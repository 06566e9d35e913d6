// .tar.gz (or plain .tar) archives read in memory, with the integrity checks fflate leaves out, and
// the CRC-32 they use. Framework-free: runs in the page, in a worker and in Node.
import { gunzipSync } from 'fflate';
import { parseTar } from 'nanotar';
import { DataFileError } from './data-file-error';
import { errorText } from '../error-text';

export function asBytes(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
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

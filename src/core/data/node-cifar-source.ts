// CIFAR-10 from the file system, for the Node CLI and tests. Kept apart from load-dataset.ts so
// the page and the worker never import node:fs.
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CIFAR10_ARCHIVE_NAME, DataFileError, baseName, isCifarBatchName } from './cifar10-reader';
import type { CifarFileSource } from './load-dataset';
import { errorText } from '../error-text';

/** Where `npm run data:cifar10` unpacks the batch files, relative to the repository root. */
export const DEFAULT_CIFAR_DIR = 'public/data/cifar-10-batches-bin';

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Batch files in `batchDir`, plus the archive (by default cifar-10-binary.tar.gz next to that
 * directory, where the download script keeps it).
 */
export function nodeCifarSource(
  batchDir: string = DEFAULT_CIFAR_DIR,
  archivePath: string = join(dirname(resolve(batchDir)), CIFAR10_ARCHIVE_NAME),
): CifarFileSource {
  const pathOf = (name: string): string =>
    baseName(name) === CIFAR10_ARCHIVE_NAME ? archivePath : join(batchDir, baseName(name));

  return {
    description: batchDir,
    async list() {
      let entries: string[] = [];
      try {
        entries = await readdir(batchDir);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      const names = entries.filter(isCifarBatchName).sort();
      try {
        if ((await stat(archivePath)).isFile()) names.push(CIFAR10_ARCHIVE_NAME);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      return names;
    },
    async read(name) {
      // Only known names, so a caller's string can never reach other paths.
      if (!isCifarBatchName(name) && baseName(name) !== CIFAR10_ARCHIVE_NAME) {
        throw new DataFileError(name, 'unknown-name', 'not a CIFAR-10 file name this source serves');
      }
      const path = pathOf(name);
      try {
        const buffer = await readFile(path);
        // A plain view: Buffer's own slice() semantics differ from Uint8Array's.
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        if (isMissing(error)) throw new DataFileError(path, 'not-found', 'no such file');
        throw new DataFileError(path, 'unreadable', errorText(error));
      }
    },
  };
}

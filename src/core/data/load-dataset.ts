// The one entry point the worker and the Node CLI call to get training data for a config: images
// (shapes, CIFAR-10) or the toy 2-D points (ring8, grid25).
// Where CIFAR-10 files come from (HTTP, dropped files, the file system) is behind CifarFileSource,
// so the page, the worker and Node share the same selection logic.
import { isToyDataset, type GanConfig } from '../config/schema';
import {
  CIFAR10_ARCHIVE_NAME,
  CIFAR10_BATCH_FILES,
  DataFileError,
  baseName,
  classLookup,
  countInClasses,
  isCifarArchiveName,
  isCifarBatchName,
  parseCifarBatch,
  selectCifarSubset,
  unpackCifarArchive,
  type CifarBatch,
} from './cifar10-reader';
import { makeShapesDataset } from './shapes-dataset';
import { makeToyDataset } from './toy-dataset';
import type { TrainingSet } from './types';
import { errorText } from '../error-text';

export const CIFAR_NOT_FOUND_MESSAGE = 'CIFAR-10 not found; run npm run data:cifar10 or drop the files into the page';
/** Where the app serves the unpacked batch files (Vite serves public/ at the site root). */
export const DEFAULT_CIFAR_URL = '/data/cifar-10-batches-bin';

export interface CifarFileSource {
  /** Names of the CIFAR-10 files this source holds (batch files and/or the archive). */
  list(): Promise<string[]>;
  read(name: string): Promise<Uint8Array>;
  /** Where the files come from, for messages (a URL, a directory, "dropped files"). */
  readonly description?: string;
}

export type DatasetConfig = Pick<GanConfig, 'dataset' | 'classes' | 'subset' | 'seed'>;

export interface LoadedDataset {
  set: TrainingSet;
  /** Null when `subset` images were available; otherwise a notice for the person. */
  shortfall: string | null;
}

export interface LoadOptions {
  /** Called before each slow step, e.g. "reading data_batch_2.bin". */
  onProgress?: (message: string) => void;
}

export async function loadDataset(
  config: DatasetConfig,
  source?: CifarFileSource,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  if (config.dataset === 'shapes') {
    options.onProgress?.(`drawing ${config.subset} shapes`);
    return {
      set: makeShapesDataset({ seed: config.seed, count: config.subset, classes: config.classes }),
      shortfall: null,
    };
  }
  if (isToyDataset(config.dataset)) {
    options.onProgress?.(`drawing ${config.subset} points`);
    return { set: makeToyDataset(config.dataset, config.subset), shortfall: null };
  }
  if (!source) throw new DataFileError('CIFAR-10', 'not-found', CIFAR_NOT_FOUND_MESSAGE);
  const batches = await readNeededBatches(source, config.classes, config.subset, options);
  const { set, shortfall } = selectCifarSubset(batches, config.classes, config.subset);
  return { set, shortfall };
}

/**
 * Batch files in CIFAR10_BATCH_FILES order, stopping once they hold `subset` images of `classes`;
 * the archive only when the source has no separate batch files.
 */
async function readNeededBatches(
  source: CifarFileSource,
  classes: readonly number[],
  subset: number,
  options: LoadOptions,
): Promise<CifarBatch[]> {
  const wanted = classLookup(classes);
  const names = await source.list();
  const batchNames = CIFAR10_BATCH_FILES.map((file) => names.find((name) => baseName(name) === file)).filter(
    (name): name is string => name !== undefined,
  );

  if (batchNames.length > 0) {
    const batches: CifarBatch[] = [];
    let available = 0;
    for (const name of batchNames) {
      if (available >= subset) break;
      options.onProgress?.(`reading ${name}`);
      const batch = parseCifarBatch(await source.read(name), name);
      batches.push(batch);
      available += countInClasses(batch, wanted);
    }
    return batches;
  }

  const archive = names.find(isCifarArchiveName);
  if (archive !== undefined) {
    options.onProgress?.(`reading and unpacking ${archive}`);
    return unpackCifarArchive(await source.read(archive), archive);
  }

  const unknown = names.find((name) => !isCifarBatchName(name));
  if (unknown !== undefined) {
    throw new DataFileError(
      unknown,
      'unknown-name',
      `not a CIFAR-10 file; expected ${CIFAR10_BATCH_FILES.join(', ')} or ${CIFAR10_ARCHIVE_NAME}`,
    );
  }
  throw new DataFileError(source.description ?? 'CIFAR-10', 'not-found', CIFAR_NOT_FOUND_MESSAGE);
}

export interface FetchSourceOptions {
  /** Defaults to cifar-10-binary.tar.gz next to the batch directory (public/data/ in the app). */
  archiveUrl?: string;
  fetchImpl?: typeof fetch;
}

/**
 * CIFAR-10 over HTTP, for the page and the worker. `baseUrl` is the directory of the batch files,
 * e.g. DEFAULT_CIFAR_URL. list() probes with HEAD requests, so nothing large moves until read().
 */
export function fetchCifarSource(baseUrl: string, options: FetchSourceOptions = {}): CifarFileSource {
  const base = baseUrl.replace(/\/+$/, '');
  const archiveUrl = options.archiveUrl ?? `${base.replace(/\/[^/]*$/, '')}/${CIFAR10_ARCHIVE_NAME}`;
  const fetchImpl = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const urlOf = (name: string): string =>
    baseName(name) === CIFAR10_ARCHIVE_NAME ? archiveUrl : `${base}/${baseName(name)}`;

  // Vite (and most single-page-app hosts) answer a missing file with index.html and status 200;
  // asking for bytes avoids that fallback, and an HTML answer is still treated as "missing".
  const request = async (name: string, method: 'HEAD' | 'GET'): Promise<Response> => {
    const url = urlOf(name);
    try {
      return await fetchImpl(url, { method, headers: { Accept: 'application/octet-stream' } });
    } catch (error) {
      throw new DataFileError(url, 'unreadable', `could not fetch (${errorText(error)})`);
    }
  };
  const isPresent = (response: Response): boolean =>
    response.ok && !(response.headers.get('content-type') ?? '').includes('text/html');

  return {
    description: base,
    async list() {
      const candidates = [...CIFAR10_BATCH_FILES, CIFAR10_ARCHIVE_NAME];
      const answers = await Promise.all(candidates.map((name) => request(name, 'HEAD')));
      return candidates.filter((_, i) => isPresent(answers[i]));
    },
    async read(name) {
      if (!isCifarBatchName(name) && baseName(name) !== CIFAR10_ARCHIVE_NAME) {
        throw new DataFileError(name, 'unknown-name', 'not a CIFAR-10 file name this source serves');
      }
      const response = await request(name, 'GET');
      if (!isPresent(response)) {
        const why = response.ok
          ? 'the server answered with an HTML page instead of the file'
          : `HTTP ${response.status}`;
        throw new DataFileError(urlOf(name), 'not-found', `${why}; ${CIFAR_NOT_FOUND_MESSAGE}`);
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** What the page gets from a drop or a file input (File satisfies it); structural, so Node can test it. */
export interface DroppedFile {
  readonly name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** CIFAR-10 from files the person dropped into the page (batch files and/or the archive). */
export function droppedFilesSource(files: readonly DroppedFile[]): CifarFileSource {
  return {
    description: 'dropped files',
    async list() {
      return files.map((file) => file.name);
    },
    async read(name) {
      const file = files.find((f) => f.name === name);
      if (!file) throw new DataFileError(name, 'not-found', 'was not among the dropped files');
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}

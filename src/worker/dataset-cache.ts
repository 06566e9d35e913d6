// The worker's data sets: the built-in shapes, CIFAR-10 from the server (/data/...), or CIFAR-10
// files the person dropped on the page (which then take the server's place). Keeps the last
// ImageSet so a rebuild that does not change the data (lr, batch, arch...) does not reload it.
import type { GanConfig } from '../core/config/schema';
import { CIFAR10_CLASS_NAMES, readCifarFile } from '../core/data/cifar10-reader';
import {
  DEFAULT_CIFAR_URL,
  droppedFilesSource,
  fetchCifarSource,
  loadDataset,
  type CifarFileSource,
  type LoadedDataset,
} from '../core/data/load-dataset';

export interface UploadSummary {
  name: string;
  count: number;
  classNames: string[];
  files: string[];
}

export class DatasetCache {
  private readonly serverSource: CifarFileSource = fetchCifarSource(DEFAULT_CIFAR_URL);
  private uploaded: { source: CifarFileSource; generation: number } | null = null;
  private last: { key: string; loaded: LoadedDataset } | null = null;

  async load(config: GanConfig, onProgress: (message: string) => void): Promise<LoadedDataset> {
    const key = this.keyOf(config);
    if (this.last?.key === key) return this.last.loaded;
    const loaded = await loadDataset(config, this.source, { onProgress });
    this.last = { key, loaded };
    return loaded;
  }

  /** Where CIFAR-10 comes from now: the dropped files when there are any, else the server. */
  get source(): CifarFileSource {
    return this.uploaded?.source ?? this.serverSource;
  }

  /** Bumped by every accepted drop, so anything derived from the old files can tell it is stale. */
  get uploadGeneration(): number {
    return this.uploaded?.generation ?? 0;
  }

  /**
   * Reads and validates every dropped file (so a truncated data_batch_3.bin is caught now, not
   * when a larger subset first needs it). Throws DataFileError, naming the file and the problem,
   * and then keeps the data set in use: a bad drop never replaces good data.
   */
  async addDroppedFiles(files: readonly File[]): Promise<UploadSummary> {
    if (files.length === 0) throw new Error('no files were given');
    let count = 0;
    for (const file of files) {
      const batches = readCifarFile(new Uint8Array(await file.arrayBuffer()), file.name);
      count += batches.reduce((sum, batch) => sum + batch.count, 0);
    }
    this.uploaded = { source: droppedFilesSource(files), generation: (this.uploaded?.generation ?? 0) + 1 };
    const names = files.map((f) => f.name);
    return { name: `CIFAR-10 from ${names.join(', ')}`, count, classNames: [...CIFAR10_CLASS_NAMES], files: names };
  }

  private keyOf(config: GanConfig): string {
    const source = config.dataset === 'cifar10' ? `upload${this.uploaded?.generation ?? 0}` : 'builtin';
    const seed = config.dataset === 'shapes' ? config.seed : null; // only the drawn shapes depend on it
    return JSON.stringify([config.dataset, config.classes, config.subset, seed, source]);
  }
}

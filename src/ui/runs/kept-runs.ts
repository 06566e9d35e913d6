// Kept runs in IndexedDB (through idb-keyval, a store of their own beside the autosave's), so the run
// list survives a reload. One entry per run, keyed by its id; what an older build wrote in another
// shape is skipped (and counted), never thrown at the page.
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { checkComparableRun, type ComparableRun } from '../../core/runs/comparable-run';

export interface KeptRun {
  id: string;
  /** Milliseconds since the epoch: the list's order. */
  keptAt: number;
  /** Drawn on the comparison chart. */
  overlaid: boolean;
  /** Its colour in the palette, fixed when kept, so removing another run does not recolour it. */
  colorIndex: number;
  run: ComparableRun;
}

/** The smallest colour index no kept run uses (a removed run's colour is the next one given out). */
export function freeColorIndex(used: readonly number[]): number {
  const taken = new Set(used);
  let index = 0;
  while (taken.has(index)) index++;
  return index;
}

let store: UseStore | null = null;
function keptRunStore(): UseStore {
  store ??= createStore('spectral-gan-runs', 'runs');
  return store;
}

export async function writeKeptRun(kept: KeptRun): Promise<void> {
  await set(kept.id, kept, keptRunStore());
}

export async function deleteKeptRun(id: string): Promise<void> {
  await del(id, keptRunStore());
}

/** The kept runs, oldest first, and how many stored entries could not be read. */
export async function readKeptRuns(): Promise<{ runs: KeptRun[]; unreadable: number }> {
  const runs: KeptRun[] = [];
  let unreadable = 0;
  for (const [key, value] of await entries<string, Partial<KeptRun>>(keptRunStore())) {
    try {
      if (typeof value !== 'object' || value === null) throw new Error('not an object');
      const colorIndex =
        Number.isSafeInteger(value.colorIndex) && Number(value.colorIndex) >= 0 ? Number(value.colorIndex) : -1;
      runs.push({
        id: String(key),
        keptAt: Number(value.keptAt) || 0,
        overlaid: value.overlaid !== false,
        colorIndex,
        run: checkComparableRun(value.run),
      });
    } catch {
      unreadable++;
    }
  }
  runs.sort((a, b) => a.keptAt - b.keptAt);
  // Entries kept before colours were stored get the free ones, in list order.
  for (const kept of runs) if (kept.colorIndex < 0) kept.colorIndex = freeColorIndex(runs.map((r) => r.colorIndex));
  return { runs, unreadable };
}

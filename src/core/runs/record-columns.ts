// A run's record of one kind of reading (read-backs, mode counts), every row kept, in compact
// columns: one Float64Array per slot, so 100,000 read-backs cost a few MB and no objects. Float64
// holds every number a reading carries (float32 read-backs, NaN, ±Infinity) exactly.
//
// A handle is an immutable view of the first `length` rows of a shared, append-only store, so the
// page's reducer stays pure: appending to the newest handle writes in place (amortized O(1)); a
// handle that is not the newest (React replaying a reducer, a rollback) copies its rows first.
export interface RowCodec<T> {
  /** Slots this row needs; slot 0 is always its iteration. */
  slots(row: T): number;
  write(row: T, put: (slot: number, value: number) => void): void;
  /** The row whose slots `get` returns (slots beyond `slotCount` read as NaN). */
  read(get: (slot: number) => number): T;
}

interface Store {
  columns: Float64Array[];
  capacity: number;
  /** Rows written; handles see a prefix of them. */
  length: number;
}

const FIRST_CAPACITY = 256;

function newStore(slotCount: number, capacity: number): Store {
  return { columns: Array.from({ length: slotCount }, () => new Float64Array(capacity)), capacity, length: 0 };
}

export class RecordColumns<T> {
  private constructor(
    private readonly codec: RowCodec<T>,
    private readonly store: Store,
    /** Rows this handle holds. */
    readonly length: number,
  ) {}

  static empty<T>(codec: RowCodec<T>): RecordColumns<T> {
    return new RecordColumns(codec, newStore(1, FIRST_CAPACITY), 0);
  }

  static of<T extends { iteration: number }>(codec: RowCodec<T>, rows: readonly T[]): RecordColumns<T> {
    let record = RecordColumns.empty(codec);
    for (const row of rows) record = record.append(row);
    return record;
  }

  get slotCount(): number {
    return this.store.columns.length;
  }

  /** Slot `slot` of row `index` (NaN beyond the slots that row wrote). */
  value(slot: number, index: number): number {
    return slot < this.store.columns.length ? this.store.columns[slot][index] : Number.NaN;
  }

  /** A row made of the slots `get` returns (e.g. a chart's summary of several rows). */
  compose(get: (slot: number) => number): T {
    return this.codec.read(get);
  }

  /** The same for every handle on one store: rows below its length never change (caches key on it). */
  get storeKey(): object {
    return this.store;
  }

  iterationAt(index: number): number {
    return this.store.columns[0][index];
  }

  at(index: number): T {
    if (index < 0 || index >= this.length) throw new RangeError(`row ${index} of ${this.length}`);
    return this.codec.read((slot) => this.value(slot, index));
  }

  /** Rows [from, to) as objects, oldest first. */
  toArray(from = 0, to = this.length): T[] {
    const rows: T[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) rows.push(this.at(i));
    return rows;
  }

  /** The rows up to and at `iteration` (rows are in iteration order). */
  upTo(iteration: number): RecordColumns<T> {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.iterationAt(mid) <= iteration) low = mid + 1;
      else high = mid;
    }
    return low === this.length ? this : new RecordColumns(this.codec, this.store, low);
  }

  /**
   * This record with `row` at its end. A row of the same iteration as the last replaces it (a step
   * re-reads the iteration it is at): only the latest reading of an iteration is kept.
   */
  append(row: T & { iteration: number }): RecordColumns<T> {
    const replacing = this.length > 0 && this.iterationAt(this.length - 1) === row.iteration;
    const at = replacing ? this.length - 1 : this.length;
    const store = this.store;
    if (!replacing && store.length === at) {
      this.writeRow(store, at, row);
      return new RecordColumns(this.codec, store, at + 1);
    }
    // The same row already follows this prefix (React ran the reducer twice): share it.
    if (!replacing && store.length > at && this.rowEquals(at, row)) return new RecordColumns(this.codec, store, at + 1);
    const copy = this.copyPrefix(at);
    this.writeRow(copy, at, row);
    return new RecordColumns(this.codec, copy, at + 1);
  }

  private rowEquals(index: number, row: T): boolean {
    let same = this.codec.slots(row) <= this.store.columns.length;
    if (same) {
      const wanted = new Map<number, number>();
      this.codec.write(row, (slot, value) => wanted.set(slot, value));
      for (let slot = 0; slot < this.store.columns.length && same; slot++)
        same = Object.is(this.store.columns[slot][index], wanted.get(slot) ?? Number.NaN);
    }
    return same;
  }

  private copyPrefix(rows: number): Store {
    const copy = newStore(this.store.columns.length, Math.max(FIRST_CAPACITY, rows * 2));
    this.store.columns.forEach((column, slot) => copy.columns[slot].set(column.subarray(0, rows)));
    copy.length = rows;
    return copy;
  }

  private writeRow(store: Store, index: number, row: T): void {
    const slots = this.codec.slots(row);
    if (index >= store.capacity) {
      store.capacity *= 2;
      store.columns = store.columns.map((column) => {
        const wider = new Float64Array(store.capacity);
        wider.set(column);
        return wider;
      });
    }
    while (store.columns.length < slots) store.columns.push(new Float64Array(store.capacity).fill(Number.NaN));
    for (const column of store.columns) column[index] = Number.NaN;
    this.codec.write(row, (slot, value) => {
      store.columns[slot][index] = value;
    });
    store.length = index + 1;
  }
}

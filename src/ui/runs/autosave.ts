// The autosave in IndexedDB (database `spectral-gan-autosave`, store `runs`, in the storage bucket of
// autosave-bucket.ts), used by the run store worker (src/worker/run-store-worker.ts) so that the
// page's thread never clones or writes a checkpoint. Each tab's slot is two records written in one
// transaction: if the write fails (the storage is full) neither changes and the slot's previous
// autosave stays whole. Formats and slot rules: autosave-slots.ts.
import { del, delMany, get, getMany, keys, promisifyRequest } from 'idb-keyval';
import { autosaveStore } from './autosave-bucket';
import {
  checkAutosaveRecord,
  LEGACY_SLOT,
  legacyRecord,
  offerOfSummary,
  runKey,
  summaryKey,
  summaryOf,
  type AutosaveRecord,
  type AutosaveSummary,
  type SavedRunOffer,
} from './autosave-slots';
import { errorText } from '../../core/error-text';

/** Timings of one autosave: `encodeMs` the structured serialization inside put(), `writeMs` the commit. */
export interface WriteTimes {
  bytes: number;
  encodeMs: number;
  writeMs: number;
}

export async function writeAutosave(record: AutosaveRecord): Promise<WriteTimes> {
  const summary = summaryOf(record);
  return autosaveStore('readwrite', (objects) => {
    const started = performance.now();
    objects.put(record, runKey(record.slot));
    const encoded = performance.now();
    objects.put(summary, summaryKey(record.slot));
    return promisifyRequest(objects.transaction).then(() => ({
      bytes: summary.bytes,
      encodeMs: encoded - started,
      writeMs: performance.now() - encoded,
    }));
  });
}

/** Every saved run, as offers (read from the summaries only, not the weights), damaged ones included. */
export async function listSavedRuns(): Promise<SavedRunOffer[]> {
  const all = (await keys(autosaveStore)).map(String);
  const summaries = all.filter((key) => key.startsWith('summary:'));
  const values = await getMany(summaries, autosaveStore);
  const offers = summaries.map((key, i) => offerOfSummary(key.slice('summary:'.length), values[i]));
  const listed = new Set(offers.map((offer) => runKey(offer.slot)));
  for (const key of all.filter((k) => k.startsWith('run:') && !listed.has(k)))
    offers.push({ ...offerOfSummary(key.slice('run:'.length), undefined), damaged: 'its summary is missing' });
  if (all.includes(LEGACY_SLOT)) offers.push(await legacyOffer());
  return offers;
}

/** The one record of builds before slots, read whole (it has no summary). */
async function legacyOffer(): Promise<SavedRunOffer> {
  try {
    const record = legacyRecord(await get(LEGACY_SLOT, autosaveStore));
    checkAutosaveRecord(record, null);
    const { savedAt, iteration, dataset, norm, bytes } = summaryOf(record);
    return { slot: LEGACY_SLOT, savedAt, iteration, dataset, norm, bytes, damaged: null };
  } catch (error) {
    return { ...offerOfSummary(LEGACY_SLOT, undefined), damaged: errorText(error) };
  }
}

/** The run saved in `slot`, checked against its summary; throws with the reason when it cannot be resumed. */
export async function readAutosave(slot: string): Promise<AutosaveRecord> {
  if (slot === LEGACY_SLOT) {
    const record = legacyRecord(await get(LEGACY_SLOT, autosaveStore));
    checkAutosaveRecord(record, null);
    return record;
  }
  const [summaryValue, value] = await getMany([summaryKey(slot), runKey(slot)], autosaveStore);
  if (value === undefined) throw new Error('its run record is missing');
  const offer = offerOfSummary(slot, summaryValue);
  if (offer.damaged) throw new Error(offer.damaged);
  checkAutosaveRecord(value, summaryValue as AutosaveSummary);
  return value;
}

/** The iteration the summary of `slot` names (what a failed write leaves in place), or null. */
export async function savedIteration(slot: string): Promise<number | null> {
  const offer = offerOfSummary(slot, await get(summaryKey(slot), autosaveStore));
  return offer.damaged ? null : offer.iteration;
}

export async function deleteAutosave(slot: string): Promise<void> {
  if (slot === LEGACY_SLOT) await del(LEGACY_SLOT, autosaveStore);
  else await delMany([summaryKey(slot), runKey(slot)], autosaveStore);
}

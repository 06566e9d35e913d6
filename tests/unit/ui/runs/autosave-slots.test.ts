// The autosave's slot rules and record checks (src/ui/runs/autosave-slots.ts) and the transfer lists
// (src/core/runs/transfer-list.ts): which saved runs a tab offers and prunes, which records are refused
// and why, and what a failed write says.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/core/config/schema';
import { copyForTransfer, transferOf } from '../../../../src/core/runs/transfer-list';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type TrainerCheckpoint } from '../../../../src/core/train/checkpoint';
import {
  AUTOSAVE_FORMAT,
  AUTOSAVE_VERSION,
  checkAutosaveRecord,
  notSavedMessage,
  offerOfSummary,
  offersFor,
  slotsToPrune,
  summaryOf,
  type AutosaveRecord,
  type SavedRunOffer,
} from '../../../../src/ui/runs/autosave-slots';

function checkpoint(iteration = 12): TrainerCheckpoint {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: defaultConfig(),
    iteration,
    switches: [],
    generator: [new Float32Array(6), new Float32Array(2)],
    discriminator: [new Float32Array(4)],
    dOptimizer: [{ name: 'w/m', dtype: 'float32', shape: [2, 2], values: new Float32Array(4) }],
    gOptimizer: [],
    normalizers: {},
    sigmaMonitors: [],
    sampler: { order: [], position: 0, epoch: 0 } as unknown as TrainerCheckpoint['sampler'],
    noiseState: 1,
    lastDLoss: 0.5,
    lastGLoss: 0.7,
    lastGradSquares: null,
  };
}

function record(slot = 'a', savedAt = '2025-01-01T00:00:00.000Z'): AutosaveRecord {
  return {
    format: AUTOSAVE_FORMAT,
    version: AUTOSAVE_VERSION,
    slot,
    savedAt,
    checkpoint: checkpoint(),
    history: [],
    coverageHistory: [],
  };
}

const offer = (slot: string, savedAt: string): SavedRunOffer => ({
  slot,
  savedAt,
  iteration: 1,
  dataset: 'shapes',
  norm: 'sn',
  bytes: 1,
  damaged: null,
});

describe('autosave records', () => {
  it('summarizes a record with its sizes, and reads the summary back as an offer', () => {
    const summary = summaryOf(record('a'));
    expect(summary).toMatchObject({ slot: 'a', iteration: 12, numbers: 16, bytes: 64 });
    expect(offerOfSummary('a', summary)).toMatchObject({ slot: 'a', iteration: 12, damaged: null });
  });

  it('offers a summary of another format or version as damaged, naming why', () => {
    expect(offerOfSummary('x', 'garbage').damaged).toMatch(/not in the format/);
    expect(offerOfSummary('x', { ...summaryOf(record()), version: 9 }).damaged).toMatch(/version 9/);
    expect(offerOfSummary('x', { ...summaryOf(record()), iteration: 'ten' }).damaged).toMatch(/lacks/);
  });

  it('accepts a whole record and refuses a cut-off or foreign one', () => {
    const whole = record();
    expect(() => checkAutosaveRecord(whole, summaryOf(whole))).not.toThrow();
    const cut = record();
    cut.checkpoint.generator[0] = cut.checkpoint.generator[0].subarray(0, 3);
    expect(() => checkAutosaveRecord(cut, summaryOf(whole))).toThrow(/holds 13 of the 16 numbers/);
    const cutMoment = record();
    cutMoment.checkpoint.dOptimizer[0].values = new Float32Array(3);
    expect(() => checkAutosaveRecord(cutMoment, null)).toThrow(/w\/m holds 3 of 4/);
    expect(() => checkAutosaveRecord({ ...whole, format: 'other' }, null)).toThrow(/format is "other"/);
    expect(() => checkAutosaveRecord({ ...whole, checkpoint: { format: 'x' } }, null)).toThrow(/checkpoint/);
    expect(() => checkAutosaveRecord('text', null)).toThrow(/not a run/);
  });
});

describe('slots', () => {
  const all = [offer('old', '2025-01-01'), offer('mine', '2025-01-03'), offer('other', '2025-01-05')];

  it('offers every slot but those other open tabs hold, newest first', () => {
    expect(offersFor(all, 'mine', new Set(['mine', 'other'])).map((o) => o.slot)).toEqual(['mine', 'old']);
    expect(offersFor(all, 'mine', new Set()).map((o) => o.slot)).toEqual(['other', 'mine', 'old']);
  });

  it('prunes beyond the newest few, never a slot an open tab holds', () => {
    expect(slotsToPrune(all, 'mine', new Set(), 1)).toEqual(['old']);
    expect(slotsToPrune(all, 'mine', new Set(['old']), 1)).toEqual([]);
    expect(slotsToPrune(all, 'other', new Set(), 5)).toEqual([]);
  });
});

describe('a failed autosave', () => {
  it('names the iteration not saved, the full storage and the autosave kept', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(notSavedMessage(9, quota, 6, { usage: 2e6, quota: 2.5e6 })).toBe(
      "The run at iteration 9 was not autosaved: the browser's storage is full (2.0 MB used of 2.5 MB); " +
        'the autosave of iteration 6 is kept. Free space (discard saved runs, or clear site data) or export the ' +
        'run to a file.',
    );
    expect(notSavedMessage(9, new Error('disk error'), null, null)).toBe(
      'The run at iteration 9 was not autosaved (disk error); no earlier autosave of this tab is kept.',
    );
  });
});

describe('transfer lists', () => {
  it('lists each buffer once and copies so that the original stays usable', () => {
    const shared = new Float32Array(8);
    const value = { a: shared.subarray(0, 4), b: shared.subarray(4), c: [new Int32Array(2)], n: 3 };
    expect(transferOf(value)).toHaveLength(2);
    const { copy, transfer } = copyForTransfer(value);
    structuredClone(copy, { transfer });
    expect(copy.c[0].length).toBe(0); // detached by the transfer
    expect(value.c[0].length).toBe(2);
  });
});

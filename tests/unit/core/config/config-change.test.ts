// planConfigChange (src/core/config/config-change.ts): what a config change means for the running
// training. The live fields are listed here on purpose, apart from the FIELDS flags they check: a
// flag added, dropped or wrong fails both the list test and the per-field plan test.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  LIVE_FIELDS,
  changedFields,
  liveChanges,
  needsRebuild,
  planConfigChange,
} from '../../../../src/core/config/config-change';
import {
  FIELDS,
  defaultConfig,
  type BackendChoice,
  type DatasetName,
  type FieldSpec,
  type GanConfig,
  type LiveSettings,
  type ScheduleEntry,
} from '../../../../src/core/config/schema';

/** GanTrainer.applyLiveSettings takes these without a rebuild (the last six only change what is measured). */
const EXPECTED_LIVE = [
  'norm',
  'sniters',
  'bssnc',
  'srfrac',
  'srevery',
  'srlayers',
  'orthobeta',
  'clipc',
  'loss',
  'every',
  'spectra',
  'collapsedrop',
  'collapsewindow',
  'proxy',
  'proxyevery',
  'proxyn',
] as const;
/** The tfjs backend is chosen once per worker. */
const EXPECTED_NEW_WORKER = ['backend'] as const;

/** A value of the field other than `current`, valid where the field's range allows one. */
function otherValue(field: FieldSpec, current: unknown): GanConfig[keyof GanConfig] {
  switch (field.kind) {
    case 'enum':
      return field.values.find((v) => v !== current) as GanConfig[keyof GanConfig];
    case 'int':
    case 'float': {
      const value = current as number;
      if (field.min === field.max) return value + 1; // `v`: one valid value only
      if (value < field.max) return field.kind === 'int' ? value + 1 : (value + field.max) / 2;
      return field.min;
    }
    case 'classes':
      return [0, 1];
    case 'schedule':
      return [{ iteration: 100, norm: 'none' }];
  }
}

function withChange(config: GanConfig, key: keyof GanConfig): GanConfig {
  return {
    ...config,
    [key]: otherValue(
      FIELDS.find((f) => f.key === key)!,
      config[key],
    ),
  };
}

describe('the live flags of FIELDS', () => {
  it('flag exactly the expected live fields, and LIVE_FIELDS lists them in FIELDS order', () => {
    const live = FIELDS.filter((f) => f.live).map((f) => f.key);
    expect([...live].sort()).toEqual([...EXPECTED_LIVE].sort());
    expect(LIVE_FIELDS).toEqual(live);
    expect(FIELDS.filter((f) => f.newWorker).map((f) => f.key)).toEqual(EXPECTED_NEW_WORKER);
  });

  it('name every field once, and the default config has exactly those keys', () => {
    const keys = FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.keys(defaultConfig()).sort()).toEqual([...keys].sort());
  });

  it('give LiveSettings exactly the live fields and GanConfig the types of the entries (type level)', () => {
    expectTypeOf<keyof LiveSettings>().toEqualTypeOf<(typeof EXPECTED_LIVE)[number]>();
    expectTypeOf<LiveSettings['norm']>().toEqualTypeOf<GanConfig['norm']>();
    expectTypeOf<GanConfig['dataset']>().toEqualTypeOf<DatasetName>();
    expectTypeOf<GanConfig['backend']>().toEqualTypeOf<BackendChoice>();
    expectTypeOf<GanConfig['srlayers']>().toEqualTypeOf<'conv' | 'all'>();
    expectTypeOf<GanConfig['lr']>().toEqualTypeOf<number>();
    expectTypeOf<GanConfig['classes']>().toEqualTypeOf<number[]>();
    expectTypeOf<GanConfig['schedule']>().toEqualTypeOf<ScheduleEntry[]>();
  });
});

describe('planConfigChange', () => {
  const base = defaultConfig();

  it('plans nothing for the same config, lists compared by content', () => {
    expect(planConfigChange(base, base)).toEqual({ kind: 'none' });
    const copy = { ...base, classes: [...base.classes], schedule: [...base.schedule] };
    expect(planConfigChange(base, copy)).toEqual({ kind: 'none' });
    expect(changedFields(base, copy)).toEqual([]);
  });

  it('plans a live change for each live field, a new worker for backend and a rebuild for every other field', () => {
    for (const field of FIELDS) {
      const after = withChange(base, field.key);
      const plan = planConfigChange(base, after);
      const live = (EXPECTED_LIVE as readonly string[]).includes(field.key);
      const newWorker = (EXPECTED_NEW_WORKER as readonly string[]).includes(field.key);
      if (live)
        expect(plan, field.key).toEqual({
          kind: 'live',
          settings: { [field.key]: after[field.key] },
          fields: [field.key],
        });
      else expect(plan, field.key).toEqual({ kind: newWorker ? 'new-worker' : 'rebuild', fields: [field.key] });
      expect(needsRebuild(base, after), field.key).toBe(!live);
      expect(liveChanges(base, after), field.key).toEqual(live ? { [field.key]: after[field.key] } : {});
    }
  });

  it('sends every changed live field together, in FIELDS order', () => {
    const after: GanConfig = { ...base, norm: 'sr-dynamic', loss: 'ns', proxyn: 200 };
    expect(planConfigChange(base, after)).toEqual({
      kind: 'live',
      settings: { norm: 'sr-dynamic', loss: 'ns', proxyn: 200 },
      fields: ['loss', 'norm', 'proxyn'],
    });
  });

  it('sends forced live settings even when nothing changed, and lets them win over the change', () => {
    expect(planConfigChange(base, base, { norm: 'sn' })).toEqual({
      kind: 'live',
      settings: { norm: 'sn' },
      fields: ['norm'],
    });
    const after: GanConfig = { ...base, norm: 'wn', every: 10 };
    expect(planConfigChange(base, after, { norm: 'wn', sniters: 2 })).toEqual({
      kind: 'live',
      settings: { norm: 'wn', every: 10, sniters: 2 },
      fields: ['norm', 'every', 'sniters'],
    });
  });

  it('rebuilds when a live and a rebuild field change together, naming only the rebuild fields', () => {
    const after: GanConfig = { ...base, norm: 'wn', lr: 1e-3, dataset: 'ring8', classes: [3] };
    expect(planConfigChange(base, after, { norm: 'wn' })).toEqual({
      kind: 'rebuild',
      fields: ['dataset', 'classes', 'lr'],
    });
  });

  it('starts a new worker for a backend change, whatever else changes', () => {
    const after: GanConfig = { ...base, backend: 'cpu', lr: 1e-3, norm: 'wn' };
    expect(planConfigChange(base, after)).toEqual({ kind: 'new-worker', fields: ['backend'] });
  });
});

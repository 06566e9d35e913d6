import { describe, expect, it } from 'vitest';
import { FIELDS, defaultConfig, type GanConfig } from '../../../../src/core/config/schema';
import { decodeConfig, encodeConfig } from '../../../../src/core/config/url-codec';
import { applyPreset, matchingPreset, SN_PAPER_PRESETS } from '../../../../src/core/config/presets';

/** A valid non-default value for each field, so a round trip proves each one is carried. */
function nonDefaultValue(key: keyof GanConfig): GanConfig[keyof GanConfig] {
  const field = FIELDS.find((f) => f.key === key)!;
  switch (field.kind) {
    case 'enum':
      return field.values.find((v) => v !== field.default) as GanConfig[keyof GanConfig];
    case 'classes':
      return [1, 3, 9];
    case 'int':
      return field.default === field.max ? field.min : Math.min(field.max, (field.default as number) + 1);
    case 'float':
      return ((field.default as number) + field.min) / 2 === field.default
        ? field.max
        : ((field.default as number) + field.min) / 2;
    case 'schedule':
      return [
        { iteration: 40, norm: 'sr-dynamic' },
        { iteration: 90, norm: 'sn' },
      ];
  }
}

describe('URL codec', () => {
  it('decodes an empty query to the defaults with no errors', () => {
    const { config, errors } = decodeConfig('');
    expect(errors).toEqual([]);
    expect(config).toEqual(defaultConfig());
  });

  // `v` has one valid value today, so it has no non-default to carry.
  for (const field of FIELDS.filter((f) => f.key !== 'v')) {
    it(`round-trips a non-default ${field.key}`, () => {
      const config = { ...defaultConfig(), [field.key]: nonDefaultValue(field.key) } as GanConfig;
      expect(config[field.key]).not.toEqual(defaultConfig()[field.key]);
      const { config: decoded, errors } = decodeConfig(encodeConfig(config));
      expect(errors).toEqual([]);
      expect(decoded).toEqual(config);
    });
  }

  it('writes every field into the query', () => {
    const params = new URLSearchParams(encodeConfig(defaultConfig()));
    expect([...params.keys()].sort()).toEqual(FIELDS.map((f) => f.key).sort());
    expect(encodeConfig(defaultConfig())).toContain('classes=0,1,2,3,4,5,6,7,8,9');
  });

  it('accepts a leading question mark and trims values', () => {
    const { config, errors } = decodeConfig('?lr=%200.001%20&norm=none&classes=3,1,3');
    expect(errors).toEqual([]);
    expect(config.lr).toBe(0.001);
    expect(config.norm).toBe('none');
    expect(config.classes).toEqual([1, 3]);
  });

  const rejected: Array<[string, string, RegExp]> = [
    ['lr=abc', 'lr', /lr="abc" is not a number; using 0.0002/],
    ['lr=', 'lr', /lr="" is empty/],
    ['lr=NaN', 'lr', /is not a number/],
    ['lr=Infinity', 'lr', /is not a number/],
    ['batch=99999', 'batch', /batch="99999" is out of range \[1, 512\]; using 64/],
    ['batch=2.5', 'batch', /must be an integer/],
    ['ch=0', 'ch', /out of range/],
    [
      'norm=bogus',
      'norm',
      /norm="bogus" must be one of none, sn, sr-static, sr-dynamic, bssn, wn, ortho, clip; using sn/,
    ],
    ['arch=vgg', 'arch', /must be one of cnn, resnet, mlp/],
    ['schedule=40:bogus', 'schedule', /unknown method "bogus"/],
    ['schedule=40-sn', 'schedule', /each entry must be iteration:method/],
    ['schedule=40:sn,40:wn', 'schedule', /names iteration 40 twice/],
    ['classes=1,12', 'classes', /comma list of class ids 0-9/],
    ['classes=', 'classes', /comma list/],
    ['v=-1', 'v', /out of range/],
  ];
  for (const [query, key, message] of rejected) {
    it(`rejects ${query} with a message naming ${key} and keeps its default`, () => {
      const { config, errors } = decodeConfig(query);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(errors[0].startsWith(`${key}=`)).toBe(true);
      expect(config[key as keyof GanConfig]).toEqual(defaultConfig()[key as keyof GanConfig]);
    });
  }

  it('keeps the good fields when others are bad', () => {
    const { config, errors } = decodeConfig('lr=abc&batch=99999&norm=bogus&seed=7&ch=8');
    expect(errors.map((e) => e.split('=')[0]).sort()).toEqual(['batch', 'lr', 'norm']);
    expect(config.seed).toBe(7);
    expect(config.ch).toBe(8);
  });

  it('sorts a schedule by iteration and writes it back readably', () => {
    const { config, errors } = decodeConfig('schedule=900:sn,40:sr-dynamic');
    expect(errors).toEqual([]);
    expect(config.schedule).toEqual([
      { iteration: 40, norm: 'sr-dynamic' },
      { iteration: 900, norm: 'sn' },
    ]);
    expect(encodeConfig(config)).toContain('schedule=40:sr-dynamic,900:sn');
  });

  it('names unknown fields', () => {
    const { errors } = decodeConfig('colour=red');
    expect(errors).toEqual(['unknown URL field "colour" ignored']);
  });
});

describe('SN paper presets', () => {
  it('has the six settings of Table 1', () => {
    expect(SN_PAPER_PRESETS.A).toEqual({ lr: 1e-4, beta1: 0.5, beta2: 0.9, ndis: 5 });
    expect(SN_PAPER_PRESETS.F).toEqual({ lr: 1e-3, beta1: 0.9, beta2: 0.999, ndis: 5 });
    expect(Object.keys(SN_PAPER_PRESETS)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  it('applies a preset and recognizes it again', () => {
    const config = applyPreset(defaultConfig(), 'D');
    expect(config.lr).toBe(1e-3);
    expect(config.ndis).toBe(5);
    expect(matchingPreset(config)).toBe('D');
    expect(matchingPreset({ ...config, lr: 5e-4 })).toBeNull();
  });

  it('the default optimizer setting is preset C', () => {
    expect(matchingPreset(defaultConfig())).toBe('C');
  });
});

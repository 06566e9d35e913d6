// Property-based fuzzing of the URL codec (src/core/config/url-codec.ts) with fast-check: thousands
// of random and hostile query strings per property. Decoding must never throw, must always give a
// valid configuration (checked generically against FIELDS, so a new field is covered as soon as it
// is added), must keep every valid field, must round-trip, and its messages must never become HTML.
//
// A failure prints fast-check's seed and path; rerun it with FUZZ_SEED=<seed> (FUZZ_RUNS=<n>
// changes the number of runs per property, default 2000).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS, NORMS, defaultConfig, type FieldSpec, type GanConfig } from '../../../../src/core/config/schema';
import { decodeConfig, encodeConfig } from '../../../../src/core/config/url-codec';
import { ErrorBanner } from '../../../../src/ui/app/ErrorBanner';
import type { BannerMessage } from '../../../../src/ui/app/training-state';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PARAMS: fc.Parameters<unknown> = { numRuns: NUM_RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

/**
 * The longest message the banner should ever show for one URL field: the codec quotes at most 40
 * characters of an input (each at most a 6-character JSON escape), a schedule message quotes two.
 */
const MAX_MESSAGE_CHARS = 600;
/** One message per field, up to 10 unknown keys named, and one counting the rest. */
const MAX_MESSAGES = FIELDS.length + 11;
const KEYS = FIELDS.map((f) => f.key);

// ---------------------------------------------------------------------------------------------
// The generic validity check: every field of FIELDS, by kind.

function fail(field: FieldSpec, value: unknown, why: string): never {
  throw new Error(`config.${field.key} = ${JSON.stringify(value)} ${why}`);
}

function assertValidConfig(config: GanConfig): void {
  expect(typeof config).toBe('object');
  expect(Object.keys(config).sort()).toEqual([...KEYS].sort());
  for (const field of FIELDS) {
    const value: unknown = config[field.key];
    switch (field.kind) {
      case 'enum':
        if (typeof value !== 'string' || !field.values.includes(value))
          fail(field, value, `is not one of ${field.values.join(', ')}`);
        break;
      case 'int':
      case 'float':
        if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, value, 'is not a finite number');
        if (Object.is(value, -0)) fail(field, value, 'is -0');
        if (value < field.min || value > field.max) fail(field, value, `is outside [${field.min}, ${field.max}]`);
        if (field.kind === 'int' && !Number.isInteger(value)) fail(field, value, 'is not an integer');
        break;
      case 'classes': {
        if (!Array.isArray(value) || value.length === 0) fail(field, value, 'is not a non-empty list');
        value.forEach((id: unknown, i: number) => {
          if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 9)
            fail(field, value, `has ${String(id)}, not a class id 0-9`);
          if (i > 0 && id <= value[i - 1]) fail(field, value, 'is not sorted and unique');
        });
        break;
      }
      case 'schedule': {
        if (!Array.isArray(value)) fail(field, value, 'is not a list');
        value.forEach((entry: unknown, i: number) => {
          if (entry === null || typeof entry !== 'object') fail(field, value, `entry ${i} is not an object`);
          const { iteration, norm } = entry as Record<string, unknown>;
          if (Object.keys(entry).sort().join() !== 'iteration,norm') fail(field, value, `entry ${i} has other keys`);
          if (
            typeof iteration !== 'number' ||
            !Number.isSafeInteger(iteration) ||
            iteration < 0 ||
            Object.is(iteration, -0)
          ) {
            fail(field, value, `entry ${i} has a bad iteration`);
          }
          if (typeof norm !== 'string' || !(NORMS as readonly string[]).includes(norm))
            fail(field, value, `entry ${i} has a bad method`);
          if (i > 0 && iteration <= value[i - 1].iteration) fail(field, value, 'is not sorted by unique iteration');
        });
        break;
      }
      default: {
        const unknownKind: never = field;
        throw new Error(`assertValidConfig does not know field kind ${JSON.stringify(unknownKind)}`);
      }
    }
  }
}

function assertMessages(errors: unknown): asserts errors is string[] {
  expect(Array.isArray(errors)).toBe(true);
  expect((errors as unknown[]).length).toBeLessThanOrEqual(MAX_MESSAGES);
  expect(new Set(errors as unknown[]).size).toBe((errors as unknown[]).length);
  for (const message of errors as unknown[]) {
    expect(typeof message).toBe('string');
    expect((message as string).length).toBeGreaterThan(0);
    expect((message as string).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  }
}

function decodeChecked(query: string): { config: GanConfig; errors: string[] } {
  const result = decodeConfig(query);
  assertMessages(result.errors);
  assertValidConfig(result.config);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const LONG = 'x'.repeat(100_000);
const HOSTILE_VALUES = [
  '1e308',
  '-1e308',
  '1e309',
  '9999999999999999999',
  '9'.repeat(400),
  '5e-324',
  '1e-400',
  '-5e-324',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '+Infinity',
  'infinity',
  '-0',
  '+0',
  '0',
  '-1',
  '-16',
  '-0.0',
  '',
  ' ',
  '  \t ',
  '%',
  '%E0%A4%A',
  '%zz',
  '%%',
  '%00',
  '%u0041',
  '%2',
  '%C0%80',
  '%FF%FE',
  '\u0000',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '&lt;script&gt;',
  '0x10',
  '0b11',
  '0o7',
  '1_000',
  '1,5',
  '1.5',
  '2.5',
  '0.5',
  '1/0',
  '.5',
  '5.',
  '1e3',
  '1E3',
  '+5',
  '%2B5',
  '5+',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '😀',
  '\u202e',
  '\ud800',
  '\udfff',
  'é',
  'e\u0301',
  LONG,
  `1,${LONG}`,
  '1,2,2,3',
  '10',
  '-1,3',
  '0,,1',
  ',',
  '1,a',
  '3,1,3',
  '0,1,2,3,4,5,6,7,8,9,9',
  '1 , 2',
  '01',
  '1.0,2',
  '40:sn',
  '40:sn,40:wn',
  '40:bogus',
  '40-sn',
  '-40:sn',
  '99999999999999999999:sn',
  '40:sn,',
  ':sn',
  '40:',
  '1.5:sn',
  '40:SN',
  '40 : sn',
  '0x10:sn',
  '1e3:sn',
  `40:${LONG}`,
  `${'9'.repeat(5000)}:sn`,
  'sn',
  'cnn',
  'hinge',
  'cifar10',
  'auto',
  'tiny',
  ' sn ',
  'SN',
];
const HOSTILE_KEYS = [
  '',
  ' ',
  'LR',
  'lr ',
  ' lr',
  'l%72',
  'lr%00',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  LONG,
  '😀',
  '%',
  '%E0%A4%A',
  'v[]',
  'lr[0]',
];

const longString = fc
  .tuple(fc.constantFrom('x', '9', '%', '<', '😀', ',', '&'), fc.integer({ min: 500, max: 30_000 }))
  .map(([c, n]) => c.repeat(n));

const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.fullUnicodeString({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string16bits({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: longString },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(fc.integer({ min: -3, max: 12 }).map(String), fc.string({ maxLength: 3 })), { maxLength: 14 })
      .map((p) => p.join(',')),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.nat().map(String), fc.string({ maxLength: 4 })),
          fc.oneof(fc.constantFrom(...NORMS), fc.string({ maxLength: 6 })),
        ),
        { maxLength: 5 },
      )
      .map((entries) => entries.map(([i, n]) => `${i}:${n}`).join(',')),
  },
);

const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.fullUnicodeString({ maxLength: 8 }) },
);

/** One `key=value` piece in one of the forms a hand-edited or attacked link may hold. */
const hostilePart: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(hostileKey, hostileValue).map(([k, v]) => `${k}=${v}`),
  fc.tuple(hostileKey, hostileValue).map(([k, v]) => `${encode(k)}=${encode(v)}`),
  fc.tuple(hostileKey, hostileValue).map(([k, v]) => `${k}=${encode(v).replace(/%20/g, '+')}`),
  hostileKey,
  hostileKey.map((k) => `${k}=`),
  hostileValue.map((v) => `=${v}`),
  fc.tuple(hostileKey, hostileValue, hostileValue).map(([k, a, b]) => `${k}=${a}=${b}`),
);

const hostileQuery: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '?', '??', '&', '?&'),
    fc.array(hostilePart, { maxLength: 12 }),
    fc.constantFrom('&', '&&&', '&', '&'),
    fc.constantFrom('', '&', '#x'),
  )
  .map(([prefix, parts, joiner, suffix]) => prefix + parts.join(joiner) + suffix);

const QUERY_CHARS = [
  '%',
  '&',
  '=',
  '?',
  '+',
  '#',
  ',',
  ':',
  '.',
  '-',
  'e',
  'E',
  '0',
  '1',
  '9',
  'a',
  'l',
  'r',
  ' ',
  '<',
  '>',
  '"',
  'A',
  '4',
];
const rawQuery: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string16bits({ maxLength: 100 }),
  fc.fullUnicodeString({ maxLength: 100 }),
  fc.stringOf(fc.constantFrom(...QUERY_CHARS), { maxLength: 200 }),
  fc.stringOf(fc.constantFrom(...QUERY_CHARS, ...KEYS.map((k) => `${k}=`)), { maxLength: 60 }),
);

/** A valid value of any field, generated from its FieldSpec (so a new field is covered too). */
function validValue(field: FieldSpec): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'enum':
      return fc.constantFrom(...field.values);
    case 'int':
      return fc.integer({ min: field.min, max: field.max });
    case 'float':
      return fc
        .oneof(fc.double({ min: field.min, max: field.max, noNaN: true }), fc.constantFrom(field.min, field.max))
        .map((v) => (v === 0 ? 0 : v));
    case 'classes':
      return fc
        .uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 10 })
        .map((ids) => [...ids].sort((a, b) => a - b));
    case 'schedule':
      return fc
        .uniqueArray(
          fc.record({ iteration: fc.oneof(fc.nat(100_000), fc.maxSafeNat()), norm: fc.constantFrom(...NORMS) }),
          {
            maxLength: 6,
            selector: (e) => e.iteration,
          },
        )
        .map((entries) => [...entries].sort((a, b) => a.iteration - b.iteration));
  }
}

/**
 * `value` written as a person might type it in a link: numbers with spaces or in another notation
 * that means the same, classes and schedules out of order (classes with repeats).
 */
function validText(field: FieldSpec, value: unknown): fc.Arbitrary<string> {
  const pad = (text: string) => fc.constantFrom(text, ` ${text}`, `${text} `, ` ${text} `);
  switch (field.kind) {
    case 'enum':
      return pad(value as string);
    case 'int':
    case 'float': {
      const n = value as number;
      const forms = [String(n), n.toExponential(), `${n}`.includes('.') || !Number.isInteger(n) ? String(n) : `${n}.0`];
      if (Number(n.toPrecision(17)) === n) forms.push(n.toPrecision(17));
      return fc.constantFrom(...forms).chain(pad);
    }
    case 'classes': {
      const ids = value as number[];
      return fc
        .tuple(fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }), fc.subarray(ids))
        .map(([shuffled, repeats]) => [...shuffled, ...repeats].join(','));
    }
    case 'schedule': {
      const entries = value as GanConfig['schedule'];
      return fc
        .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
        .map((shuffled) => shuffled.map((e) => `${e.iteration}:${e.norm}`).join(','));
    }
  }
}

/** A valid value for each of a random subset of fields, and a query text for each. */
const validEntries: fc.Arbitrary<Array<{ field: FieldSpec; value: unknown; text: string }>> = fc
  .subarray([...FIELDS])
  .chain((fields) =>
    fields.length === 0
      ? fc.constant([])
      : fc.tuple(
          ...fields.map((field) =>
            validValue(field).chain((value) => validText(field, value).map((text) => ({ field, value, text }))),
          ),
        ),
  );

const validConfig: fc.Arbitrary<GanConfig> = fc
  .tuple(...FIELDS.map((field) => validValue(field)))
  .map((values) => Object.fromEntries(FIELDS.map((field, i) => [field.key, values[i]])) as unknown as GanConfig);

/** encodeURIComponent, with lone surrogates (which it refuses) replaced as a browser would. */
function encode(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}

function queryOf(entries: ReadonlyArray<{ field: FieldSpec; text: string }>): string {
  return entries.map(({ field, text }) => `${field.key}=${encode(text)}`).join('&');
}

/** The keys a query's parts decode to, as URLSearchParams (and so the codec) reads them. */
function decodedKeys(query: string): Set<string> {
  return new Set(new URLSearchParams(query.startsWith('?') ? query.slice(1) : query).keys());
}

function bannerMarkup(errors: readonly string[]): string {
  const messages: BannerMessage[] = errors.map((text, id) => ({ id, source: 'url', text }));
  return renderToStaticMarkup(createElement(ErrorBanner, { messages, onDismiss: () => {} }));
}

/** The banner's own elements; anything else in the markup came from the input. */
const BANNER_TAGS = new Set(['div', 'ul', 'li', 'strong', 'button']);

function assertNoMarkupFromInput(markup: string): void {
  expect(markup).not.toMatch(/<script/i);
  expect(markup).not.toMatch(/<img/i);
  expect(markup).not.toMatch(/<svg/i);
  for (const [, tag, attributes] of markup.matchAll(/<\/?([A-Za-z][\w-]*)([^>]*)>/g)) {
    expect(BANNER_TAGS.has(tag.toLowerCase()), `unexpected <${tag}>`).toBe(true);
    // An event handler attribute (onerror=, onload=...) on any element; the text between tags is
    // escaped, so "onerror=" there is harmless.
    expect(attributes).not.toMatch(/\son\w+\s*=/i);
  }
}

// ---------------------------------------------------------------------------------------------

describe('URL codec fuzzing', () => {
  it('the validity check itself accepts the defaults and rejects broken configs', () => {
    assertValidConfig(defaultConfig());
    const broken: Array<Partial<Record<keyof GanConfig, unknown>>> = [
      { lr: Number.NaN },
      { lr: 2 },
      { batch: 2.5 },
      { batch: Infinity },
      { spectra: -0 },
      { norm: 'bogus' },
      { classes: [] },
      { classes: [3, 1] },
      { classes: [1, 1] },
      { classes: [10] },
      { seed: '7' },
      { schedule: [{ iteration: -1, norm: 'sn' }] },
      {
        schedule: [
          { iteration: 5, norm: 'sn' },
          { iteration: 5, norm: 'wn' },
        ],
      },
      { schedule: [{ iteration: 1, norm: 'bogus' }] },
    ];
    for (const patch of broken) {
      expect(() => assertValidConfig({ ...defaultConfig(), ...patch } as GanConfig), JSON.stringify(patch)).toThrow();
    }
    const missing = defaultConfig() as unknown as Record<string, unknown>;
    delete missing.lr;
    expect(() => assertValidConfig(missing as unknown as GanConfig)).toThrow();
  });

  it('never throws and always yields a valid config for random raw strings', () => {
    fc.assert(
      fc.property(rawQuery, (query) => {
        decodeChecked(query);
      }),
      PARAMS,
    );
  });

  it('never throws and always yields a valid config for hostile queries', () => {
    fc.assert(
      fc.property(hostileQuery, (query) => {
        const { config, errors } = decodeChecked(query);
        // A field the query does not name keeps its default.
        const named = decodedKeys(query);
        const defaults = defaultConfig();
        for (const key of KEYS) if (!named.has(key)) expect(config[key]).toEqual(defaults[key]);
        // Every message names a field of the query (or says it is unknown).
        for (const message of errors)
          expect(KEYS.some((k) => message.startsWith(`${k}=`)) || / unknown URL fields? /.test(` ${message}`)).toBe(
            true,
          );
      }),
      PARAMS,
    );
  });

  it('decodes a query of valid values, in any spelling, to exactly those values with no messages', () => {
    fc.assert(
      fc.property(validEntries, fc.constantFrom('', '?'), (entries, prefix) => {
        const { config, errors } = decodeChecked(prefix + queryOf(entries));
        expect(errors).toEqual([]);
        const expected = { ...defaultConfig() } as unknown as Record<string, unknown>;
        for (const { field, value } of entries) expected[field.key] = value;
        expect(config).toEqual(expected);
      }),
      PARAMS,
    );
  });

  it('keeps every valid field when the rest of the query is hostile', () => {
    fc.assert(
      fc.property(
        validEntries,
        fc.array(hostilePart, { maxLength: 8 }),
        fc.boolean(),
        (entries, hostile, hostileFirst) => {
          const validKeys = new Set<string>(entries.map((e) => e.field.key));
          // Hostile parts that decode to a key given a valid value would be a repeated key; the
          // dedicated check below covers those.
          const others = hostile.filter((part) => ![...decodedKeys(part)].some((k) => validKeys.has(k)));
          const valid = queryOf(entries);
          const query = hostileFirst ? [...others, valid].join('&') : [valid, ...others].join('&');
          const { config, errors } = decodeChecked(query);
          for (const { field, value } of entries) {
            expect(config[field.key]).toEqual(value);
            expect(errors.filter((m) => m.startsWith(`${field.key}=`))).toEqual([]);
          }
        },
      ),
      PARAMS,
    );
  });

  it('uses the first of repeated keys', () => {
    fc.assert(
      fc.property(validEntries, fc.array(hostileValue, { minLength: 1, maxLength: 3 }), (entries, repeats) => {
        const repeated = entries.flatMap(({ field }) => repeats.map((v) => `${field.key}=${encode(v)}`));
        const { config, errors } = decodeChecked([queryOf(entries), ...repeated].join('&'));
        expect(errors).toEqual([]);
        for (const { field, value } of entries) expect(config[field.key]).toEqual(value);
      }),
      PARAMS,
    );
  });

  it('round-trips: any valid config encodes and decodes to itself', () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        assertValidConfig(config);
        const query = encodeConfig(config);
        const { config: decoded, errors } = decodeChecked(query);
        expect(errors).toEqual([]);
        expect(decoded).toEqual(config);
        expect(encodeConfig(decoded)).toBe(query);
      }),
      PARAMS,
    );
  });

  it('round-trips: whatever a hostile query decodes to encodes and decodes to the same config', () => {
    fc.assert(
      fc.property(fc.oneof(hostileQuery, rawQuery), (query) => {
        const { config } = decodeChecked(query);
        const encoded = encodeConfig(config);
        const again = decodeChecked(encoded);
        expect(again.errors).toEqual([]);
        expect(again.config).toEqual(config);
        expect(encodeConfig(again.config)).toBe(encoded);
      }),
      PARAMS,
    );
  });

  it('never puts an input into the page as HTML, and clips long inputs in messages', () => {
    const attack = fc.constantFrom(
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      "'><svg onload=alert(1)>",
      '<img src=x onerror=alert(1)>',
      '</li><script>alert(1)</script>',
    );
    const attackPart = fc.oneof(
      fc.tuple(fc.constantFrom(...KEYS), attack).map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
      fc.tuple(fc.constantFrom(...KEYS), attack).map(([k, v]) => `${k}=${v}`),
      fc.tuple(fc.constantFrom(...KEYS), attack).map(([k, v]) => `${k}=40:sn,${encodeURIComponent(v)}`),
      fc.tuple(fc.constantFrom(...KEYS), attack).map(([k, v]) => `${k}=40:${encodeURIComponent(v)}`),
      attack.map((v) => `${encodeURIComponent(v)}=1`),
      attack.map((v) => v),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(attackPart, hostilePart), { minLength: 1, maxLength: 6 }), (parts) => {
        const { errors } = decodeChecked(parts.join('&'));
        assertNoMarkupFromInput(bannerMarkup(errors));
      }),
      PARAMS,
    );

    // A 100 kB value or key is named, but not echoed whole.
    for (const query of [
      `lr=${LONG}`,
      `classes=${LONG}`,
      `schedule=40:${LONG}`,
      `schedule=${'9'.repeat(100_000)}:sn`,
      `${LONG}=1`,
      `norm=${LONG}`,
    ]) {
      const { errors } = decodeChecked(query);
      expect(errors).toHaveLength(1);
      expect(errors[0].length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
    // Thousands of unknown keys give a few messages, not thousands.
    const many = Array.from({ length: 5000 }, (_, i) => `k${i}=1`).join('&');
    const { errors } = decodeChecked(`${many}&${many}`);
    expect(errors).toHaveLength(11);
    expect(errors[10]).toBe('4990 more unknown URL fields ignored');
    // The banner shows the rejected text as text.
    const markup = bannerMarkup(decodeChecked('norm=%3Cscript%3Ealert(1)%3C%2Fscript%3E').errors);
    expect(markup).toContain('&lt;script&gt;');
  });
});

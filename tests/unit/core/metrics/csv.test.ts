/** CSV export: RFC 4180 quoting, full-precision numbers, empty cells for missing values. */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../../src/core/metrics/csv';

describe('toCsv', () => {
  it('writes a header and rows in column order, each line ending in \\n', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          { b: 2, a: 1 },
          { a: 3, b: 4 },
        ],
      ),
    ).toBe('a,b\n1,2\n3,4\n');
    expect(toCsv(['a'], [])).toBe('a\n');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    const csv = toCsv(
      ['name', 'note'],
      [
        { name: 'conv,1', note: 'say "hi"' },
        { name: 'a\nb', note: 'c\rd' },
      ],
    );
    expect(csv).toBe('name,note\n"conv,1","say ""hi"""\n"a\nb","c\rd"\n');
    expect(toCsv(['x,y'], [])).toBe('"x,y"\n');
  });

  it('prints numbers with full round-trip precision', () => {
    const values = [0.1 + 0.2, 1e-7, -123456789.12345679, 2 ** 53 + 2, 5e-324];
    const csv = toCsv(
      ['v'],
      values.map((v) => ({ v })),
    );
    const cells = csv.trim().split('\n').slice(1);
    expect(cells).toEqual(['0.30000000000000004', '1e-7', '-123456789.12345679', '9007199254740994', '5e-324']);
    cells.forEach((cell, i) => expect(Number(cell)).toBe(values[i]));
  });

  it('leaves null, undefined, missing and NaN cells empty', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [{ a: null, b: undefined, d: NaN }])).toBe('a,b,c,d\n,,,\n');
  });

  it('writes other values readably', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [{ a: true, b: Infinity, c: [1, 2], d: 'plain' }])).toBe(
      'a,b,c,d\ntrue,Infinity,"[1,2]",plain\n',
    );
  });
});

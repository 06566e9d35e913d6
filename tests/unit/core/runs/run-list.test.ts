// The run-list file a sweep writes (runs.json) and the page opens: its validating parser.
import { describe, expect, it } from 'vitest';
import { RUN_LIST_FORMAT, formatRunList, parseRunList } from '../../../../src/core/runs/run-list';

const entry = { name: 'norm=sn batch=64', query: 'v=1&norm=sn&batch=64', file: 'runs/01-norm-sn_batch-64.json' };
const list = (runs: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: RUN_LIST_FORMAT, version: 1, runs, ...extra });

describe('parseRunList', () => {
  it('reads back what formatRunList writes', () => {
    const runs = [entry, { name: 'norm=sr-static batch=64', query: 'v=1&norm=sr-static', file: 'runs/02.json' }];
    expect(parseRunList(formatRunList(runs, 'sweep 1'))).toEqual(runs);
    expect(JSON.parse(formatRunList(runs, 'sweep 1'))).toMatchObject({
      format: RUN_LIST_FORMAT,
      version: 1,
      title: 'sweep 1',
    });
    expect(parseRunList(list([]))).toEqual([]);
  });

  it('ignores fields it does not know, at the top and in entries', () => {
    expect(parseRunList(list([{ ...entry, worker: 'gpu-1' }], { title: 't', created: 'now' }))).toEqual([entry]);
  });

  it.each([
    ['not json', /run list is not JSON/],
    ['[1, 2]', /must be a JSON object/],
    [
      JSON.stringify({ format: 'something-else', version: 1, runs: [] }),
      /not a run list: "format" is "something-else"/,
    ],
    [JSON.stringify({ version: 1, runs: [] }), /"format" is missing/],
    [
      JSON.stringify({ format: RUN_LIST_FORMAT, version: 2, runs: [] }),
      /version 2 is newer than this version reads \(1\)/,
    ],
    [
      JSON.stringify({ format: RUN_LIST_FORMAT, version: '1', runs: [] }),
      /"version" must be a positive integer, got "1"/,
    ],
    [JSON.stringify({ format: RUN_LIST_FORMAT, version: 1 }), /"runs" must be an array/],
    [list([entry, 'x']), /entry 2 must be an object/],
    [list([{ name: 'a', query: 'q' }]), /entry 1: "file" must be a string, got nothing/],
    [list([{ name: 'a', query: 3, file: 'f' }]), /entry 1: "query" must be a string, got 3/],
    [list([{ ...entry, name: ' ' }]), /entry 1: "name" is empty/],
    [list([{ ...entry, file: '' }]), /entry 1 \(norm=sn batch=64\): "file" is empty/],
    [list([entry, { ...entry, file: 'other.json' }]), /entry 2: name "norm=sn batch=64" appears twice/],
  ])('refuses %s with a clear message', (text, message) => {
    expect(() => parseRunList(text)).toThrow(message);
  });
});

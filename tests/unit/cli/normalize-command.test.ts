/**
 * The normalize command on weight files this test writes, checked against ml-matrix SVDs; malformed
 * inputs and commands exit 2 with a clear message. The promised cases run `npx tsx src/cli/cli.ts` as
 * a child process, as a user does; the rest call runNormalizeCommand in-process (same code, same exit
 * status), since each child process costs seconds of tsx and tfjs start-up.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runNormalizeCommand } from '../../../src/cli/normalize-command';
import { seededNormals } from '../../gpu/gpu-test-utils';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cli-normalize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CliResult {
  code: number;
  stderr: string;
}

async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stderr } = await run('npx', ['tsx', 'src/cli/cli.ts', ...args], { cwd: process.cwd() });
    return { code: 0, stderr };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return { code: failure.code ?? -1, stderr: failure.stderr ?? '' };
  }
}

interface Output {
  method: string;
  shape: number[];
  data: number[];
  singularValuesBefore: number[];
  singularValuesAfter: number[];
  penalty: number | null;
}

/** A seeded Gaussian weight whose c_out x K matrix has top singular value 1.5x the second. */
function weightWithGap(shape: number[], seed: number): number[] {
  const cout = shape[shape.length - 1];
  const k = shape.reduce((a, b) => a * b, 1) / cout;
  const gaussian = Matrix.from1DArray(k, cout, Array.from(seededNormals(k * cout, seed)));
  const svd = new SingularValueDecomposition(gaussian, { autoTranspose: true });
  const singular = svd.diagonal.slice();
  singular[0] = 1.5 * singular[1];
  return svd.leftSingularVectors.mmul(Matrix.diag(singular)).mmul(svd.rightSingularVectors.transpose()).to1DArray();
}

function topSingularValue(shape: number[], data: number[]): number {
  const cout = shape[shape.length - 1];
  const a = Matrix.from1DArray(data.length / cout, cout, data);
  return new SingularValueDecomposition(a, { autoTranspose: true }).diagonal[0];
}

let files = 0;
function writeInput(content: unknown): string {
  const path = join(dir, `w${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** runNormalizeCommand in this process, its stderr captured. */
async function inProcess(...args: string[]): Promise<CliResult> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  try {
    return { code: await runNormalizeCommand(args), stderr: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

async function normalize(
  how: 'child process' | 'in process',
  method: string,
  input: { shape: number[]; data: number[] },
  ...flags: string[]
): Promise<Output> {
  const output = join(dir, `out${files++}.json`);
  const args = ['--method', method, '--input', writeInput(input), '--output', output, ...flags];
  const result = how === 'child process' ? await cli('normalize', ...args) : await inProcess(...args);
  expect(result.stderr).not.toMatch(/usage/);
  expect(result.code).toBe(0);
  return JSON.parse(readFileSync(output, 'utf8')) as Output;
}

const CONV = [3, 3, 4, 8];

describe('cli normalize', () => {
  it.concurrent('sn: the top singular value after is 1 to 1e-3, before is the SVD of the input', async () => {
    const data = weightWithGap(CONV, 1);
    const out = await normalize('child process', 'sn', { shape: CONV, data });
    expect(out.method).toBe('sn');
    expect(out.shape).toEqual(CONV);
    expect(out.data).toHaveLength(data.length);
    expect(out.singularValuesAfter[0]).toBeCloseTo(1, 3);
    expect(topSingularValue(CONV, out.data)).toBeCloseTo(1, 3);
    expect(out.singularValuesBefore[0] / topSingularValue(CONV, data)).toBeCloseTo(1, 5);
    expect(out.singularValuesBefore).toHaveLength(8); // min(K = 36, c_out = 8)
    expect([...out.singularValuesBefore].sort((x, y) => y - x)).toEqual(out.singularValuesBefore);
    expect(out.penalty).toBeNull();
  });

  it.concurrent('clip: every value within [-c, c], in-range values unchanged', async () => {
    const data = Array.from(seededNormals(288, 2), (x) => x * 0.03);
    const out = await normalize('child process', 'clip', { shape: CONV, data }, '--clipc', '0.02');
    out.data.forEach((value, i) => {
      expect(Math.abs(value)).toBeLessThanOrEqual(Math.fround(0.02));
      if (Math.abs(data[i]) < 0.02) expect(value).toBeCloseTo(data[i], 7);
    });
    expect(out.data.some((value) => Math.abs(value) === Math.fround(0.02))).toBe(true);
  });

  it('bssn on a dense weight: top singular value c', async () => {
    const shape = [12, 5];
    const out = await normalize(
      'in process',
      'bssn',
      { shape, data: weightWithGap(shape, 3) },
      '--bssnc',
      '2.5',
      '--iterations',
      '300',
    );
    expect(out.singularValuesAfter[0]).toBeCloseTo(2.5, 3);
  });

  it('ortho: the penalty beta |W W^T - I|_F^2 is reported and the weight is unchanged', async () => {
    const data = Array.from(seededNormals(288, 4), (x) => x * 0.1);
    const out = await normalize('in process', 'ortho', { shape: CONV, data }, '--orthobeta', '0.5');
    const a = Matrix.from1DArray(36, 8, data);
    const residual = a.transpose().mmul(a).sub(Matrix.eye(8));
    expect(out.penalty! / (0.5 * residual.norm('frobenius') ** 2)).toBeCloseTo(1, 4);
    out.data.forEach((value, i) => expect(value).toBeCloseTo(data[i], 6));
  });

  // Each method's own result, from an SVD reference written here: a registry that maps a method to
  // another normalizer (wn to none, sr-static and sr-dynamic swapped) fails these.
  describe('each method through the registry gives its own weight', () => {
    const data = weightWithGap(CONV, 5);
    const cout = CONV[3];
    const k = data.length / cout;
    // tfjs layout [kh, kw, c_in, c_out] read row-major is A = W^T, [K, c_out].
    const a = Matrix.from1DArray(k, cout, data);
    const svd = new SingularValueDecomposition(a, { autoTranspose: true });
    const s = svd.diagonal;
    const expectClose = (actual: number[], expected: number[], digits: number) => {
      expect(actual).toHaveLength(expected.length);
      const worst = Math.max(...actual.map((value, i) => Math.abs(value - expected[i])));
      expect(worst).toBeLessThan(10 ** -digits);
    };

    it('none: the weight unchanged', async () => {
      expectClose((await normalize('in process', 'none', { shape: CONV, data })).data, data, 6);
    });

    it('wn: every output channel (row of the c_out x K matrix) divided by its norm', async () => {
      const out = await normalize('in process', 'wn', { shape: CONV, data });
      const norms = Array.from({ length: cout }, (_, j) => Math.hypot(...a.getColumn(j)));
      expectClose(
        out.data,
        data.map((value, i) => value / norms[i % cout]),
        6,
      );
      expect(Math.max(...norms) / Math.min(...norms)).toBeGreaterThan(1.05); // the rows really differ
    });

    it('sr-static: the top floor(N/2) singular values raised to s_1, then divided by s_1 (SVD reference)', async () => {
      const out = await normalize('in process', 'sr-static', { shape: CONV, data }, '--srfrac', '0.5');
      const target = s.map((value, i) => (i < Math.floor(s.length / 2) ? s[0] : value) / s[0]);
      const expected = svd.leftSingularVectors
        .mmul(Matrix.diag(target))
        .mmul(svd.rightSingularVectors.transpose())
        .to1DArray();
      expectClose(out.data, expected, 4);
      expectClose(out.singularValuesAfter, target, 4);
    });

    it('sr-dynamic: on its first call the ratios are the spectrum itself, so W is only divided by s_1', async () => {
      const out = await normalize('in process', 'sr-dynamic', { shape: CONV, data });
      expectClose(
        out.data,
        data.map((value) => value / s[0]),
        4,
      );
      expect(out.singularValuesAfter[3]).toBeLessThan(0.9); // not the static compensation
    });

    it("bssn on a conv weight: c W over the mean of the two reshapes' top singular values", async () => {
      const [kh, kw, cin] = CONV;
      // The second reshape: c_in x (c_out kh kw).
      const other = Matrix.zeros(cin, cout * kh * kw);
      data.forEach((value, i) => {
        const j = i % cout;
        const c = Math.floor(i / cout) % cin;
        const spatial = Math.floor(i / (cout * cin));
        other.set(c, j * kh * kw + spatial, value);
      });
      const sigmaOther = new SingularValueDecomposition(other, { autoTranspose: true }).diagonal[0];
      expect(Math.abs(sigmaOther - s[0]) / s[0]).toBeGreaterThan(0.01); // the two sigmas differ here
      const out = await normalize('in process', 'bssn', { shape: CONV, data }, '--bssnc', '1.5', '--iterations', '300');
      const scale = 1.5 / ((s[0] + sigmaOther) / 2);
      expectClose(
        out.data,
        data.map((value) => value * scale),
        4,
      );
    });
  });
});

describe('cli errors: exit 2 with a clear message', () => {
  it.concurrent('malformed JSON, in a child process', async () => {
    const input = writeInput('{"shape": [2, 2], "data": [1, 2, 3');
    const result = await cli('normalize', '--method', 'sn', '--input', input, '--output', join(dir, 'never.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not valid JSON/);
    expect(result.stderr).toMatch(/usage: npm run cli -- normalize/);
  });

  it.concurrent('an unknown command prints the usage and exits 2', async () => {
    const result = await cli('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"/);
    expect(result.stderr).toMatch(/usage: npm run cli -- <command>/);
  });

  const inputCases: Array<[string, string, RegExp]> = [
    ['shape/data length mismatch', '{"shape": [2, 3], "data": [1, 2, 3]}', /has 6 elements but "data" has 3/],
    ['rank < 2', '{"shape": [3], "data": [1, 2, 3]}', /rank >= 2/],
    [
      'non-finite value',
      '{"shape": [2, 2], "data": [1, 2, 1e999, 4]}',
      /data\[2\] is not a finite number \(Infinity\)/,
    ],
    ['a string among the data', '{"shape": [2, 2], "data": [1, "2", 3, 4]}', /data\[1\] is not a finite number/],
    ['no shape', '{"data": [1, 2]}', /"shape" must be an array of positive integers/],
  ];
  it.each(inputCases)('%s', async (_label, content, message) => {
    const result = await inProcess(
      '--method',
      'sn',
      '--input',
      writeInput(content),
      '--output',
      join(dir, 'never.json'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/usage: npm run cli -- normalize/);
  });

  const argumentCases: Array<[string, string[], RegExp]> = [
    [
      'missing input file',
      ['--method', 'sn', '--input', join(dir, 'nope.json'), '--output', 'o'],
      /input file not found/,
    ],
    ['unknown method', ['--method', 'svd', '--input', 'x', '--output', 'y'], /unknown --method "svd"/],
    ['out-of-range flag', ['--method', 'clip', '--clipc', '5', '--input', 'x', '--output', 'y'], /--clipc must be in/],
    [
      'non-numeric flag',
      ['--method', 'sn', '--iterations', 'many', '--input', 'x', '--output', 'y'],
      /--iterations must be an integer/,
    ],
    ['unknown flag', ['--method', 'sn', '--frob', '1'], /Unknown option '--frob'/],
    ['no --output', ['--method', 'sn', '--input', 'x'], /--output is required/],
  ];
  it.each(argumentCases)('%s', async (_label, args, message) => {
    const result = await inProcess(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

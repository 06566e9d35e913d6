// `npm run cli -- normalize --method M --input W.json --output OUT.json [options]`: applies one D
// weight normalization to a single weight, through the same normalizer classes training uses, and
// writes the normalized weight with the singular values of the c_out x K matrix before and after.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultConfig, fieldSpec, NORMS, type GanConfig, type NormName } from '../core/config/schema';
import { layerMatrix, singularValues } from '../core/metrics/exact-spectrum';
import { createNormalizer } from '../core/normalize/registry';
import { normalizerSettings } from '../core/normalize/settings';
import type { NormalizerSettings } from '../core/normalize/types';
import { errorText } from '../core/error-text';
import { shapeSize } from '../core/numbers';

export const NORMALIZE_USAGE =
  'usage: npm run cli -- normalize --method <' +
  NORMS.join('|') +
  '> --input W.json --output OUT.json\n' +
  '         [--sniters N] [--bssnc C] [--srfrac F] [--srevery N] [--orthobeta B] [--clipc C]\n' +
  '         [--iterations N (power iterations, default 100)] [--backend cpu|webgpu]\n' +
  '  W.json: {"shape": [kh, kw, cin, cout] or [in, out], "data": [numbers, row-major, tfjs layout]}';

/** A problem with the command line or the input file: reported with the usage, exit status 2. */
class UsageError extends Error {}

export interface WeightFile {
  shape: number[];
  data: number[];
}

export interface NormalizeOutput {
  method: NormName;
  shape: number[];
  data: number[];
  /** All singular values of the c_out x K matrix, descending. */
  singularValuesBefore: number[];
  singularValuesAfter: number[];
  /** The ortho penalty beta |W W^T - I|_F^2; null for the other methods. */
  penalty: number | null;
  /** The method's own estimate of sigma(raw W) after the run (null if it keeps none). */
  sigmaEstimate: number | null;
  /** Power iterations run for the estimate. */
  iterations: number;
}

/** The URL fields the command takes as flags, each checked against the config schema's range. */
const SETTING_FLAGS = ['sniters', 'bssnc', 'srfrac', 'srevery', 'orthobeta', 'clipc'] as const;
const MAX_ITERATIONS = 100_000;

function parseNumberFlag(name: string, text: string, min: number, max: number, integer: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'}, got "${text}"`);
  }
  if (value < min || value > max) throw new UsageError(`--${name} must be in [${min}, ${max}], got ${value}`);
  return value;
}

/** Reads and checks W.json; every problem becomes a UsageError naming the file. */
export function readWeightFile(path: string): WeightFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `input file not found: ${path}` : `cannot read ${path}: ${String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${errorText(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${path} must hold an object {"shape": [...], "data": [...]}`);
  }
  const { shape, data } = parsed as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new UsageError(`${path}: "shape" must be an array of positive integers, got ${JSON.stringify(shape)}`);
  }
  if (shape.length < 2) {
    throw new UsageError(
      `${path}: a weight needs rank >= 2 (conv [kh, kw, cin, cout] or dense [in, out]), got shape [${shape}]`,
    );
  }
  if (!Array.isArray(data)) throw new UsageError(`${path}: "data" must be a flat array of numbers`);
  const size = shapeSize(shape as number[]);
  if (data.length !== size) {
    throw new UsageError(`${path}: shape [${shape}] has ${size} elements but "data" has ${data.length}`);
  }
  // JSON has no NaN or Infinity literals, but 1e999 parses to Infinity; null and strings are not numbers.
  const bad = data.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0) {
    const shown = typeof data[bad] === 'number' ? String(data[bad]) : JSON.stringify(data[bad]);
    throw new UsageError(`${path}: data[${bad}] is not a finite number (${shown})`);
  }
  return { shape: shape as number[], data: data as number[] };
}

/** All singular values of the c_out x K matrix (those of A = [K, c_out], its transpose), descending. */
export function layerSingularValues(shape: readonly number[], data: ArrayLike<number>): number[] {
  const { storageRows, storageCols } = layerMatrix(shape);
  return Array.from(singularValues(Float64Array.from(data), storageRows, storageCols));
}

/**
 * The normalizer's forward weight for one "D update" on this weight: afterDiscriminatorUpdate first
 * (clip and SR rewrite the raw weight there; gIteration 0 is an SR step; a no-op for the others),
 * then beforeDiscriminatorUpdate (power iterations on the raw weight as it now is), effectiveWeight
 * and penalty, as the trainer calls them.
 */
export async function normalizeWeight(
  method: NormName,
  weight: WeightFile,
  settings: NormalizerSettings,
): Promise<NormalizeOutput> {
  const layer = { kind: weight.shape.length === 2 ? ('dense' as const) : ('conv' as const), shape: weight.shape };
  const normalizer = createNormalizer(method, layer, defaultConfig().seed, settings);
  const raw = tf.variable(tf.tensor(weight.data, weight.shape, 'float32'));
  try {
    normalizer.afterDiscriminatorUpdate(raw, { gIteration: 0 });
    normalizer.beforeDiscriminatorUpdate(raw);
    const effective = normalizer.effectiveWeight(raw);
    const penalty = normalizer.penalty(raw);
    const data = Array.from(await effective.data());
    const penaltyValue = penalty ? (await penalty.data())[0] : null;
    const sigma = normalizer.sigmaEstimate();
    const sigmaValue = sigma ? (await sigma.data())[0] : null;
    if (effective !== raw) effective.dispose();
    penalty?.dispose();
    return {
      method,
      shape: weight.shape,
      data,
      singularValuesBefore: layerSingularValues(weight.shape, weight.data),
      singularValuesAfter: layerSingularValues(weight.shape, data),
      penalty: penaltyValue,
      sigmaEstimate: sigmaValue,
      iterations: settings.powerIterations,
    };
  } finally {
    raw.dispose();
    normalizer.dispose();
  }
}

interface ParsedCommand {
  method: NormName;
  input: string;
  output: string;
  backend: 'cpu' | 'webgpu';
  settings: NormalizerSettings;
}

function parseCommand(args: string[]): ParsedCommand {
  let values: Record<string, string | undefined>;
  try {
    const options = Object.fromEntries(
      [...SETTING_FLAGS, 'method', 'iterations', 'input', 'output', 'backend'].map((name) => [
        name,
        { type: 'string' as const },
      ]),
    );
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (error) {
    throw new UsageError(errorText(error));
  }
  const method = values.method;
  if (!method) throw new UsageError('--method is required');
  if (!(NORMS as readonly string[]).includes(method))
    throw new UsageError(`unknown --method "${method}" (one of ${NORMS.join(', ')})`);
  if (!values.input) throw new UsageError('--input is required');
  if (!values.output) throw new UsageError('--output is required');
  const backend = values.backend ?? 'cpu';
  if (backend !== 'cpu' && backend !== 'webgpu')
    throw new UsageError(`--backend must be cpu or webgpu, got "${backend}"`);

  const config: GanConfig = defaultConfig();
  for (const flag of SETTING_FLAGS) {
    const text = values[flag];
    if (text === undefined) continue;
    const spec = fieldSpec(flag);
    if (spec.kind !== 'int' && spec.kind !== 'float') throw new Error(`schema field ${flag} is not numeric`);
    config[flag] = parseNumberFlag(flag, text, spec.min, spec.max, spec.kind === 'int');
  }
  const iterations =
    values.iterations === undefined ? 100 : parseNumberFlag('iterations', values.iterations, 1, MAX_ITERATIONS, true);
  // A one-off estimate wants converged vectors: --iterations replaces the per-D-update --sniters.
  const settings = { ...normalizerSettings(config), powerIterations: iterations };
  return { method: method as NormName, input: values.input, output: values.output, backend, settings };
}

async function selectBackend(backend: 'cpu' | 'webgpu'): Promise<void> {
  if (backend === 'webgpu') {
    const { initNodeWebGPU } = await import('../core/kernels/node-webgpu');
    if (!(await initNodeWebGPU())) throw new UsageError('--backend webgpu: WebGPU did not start (no adapter)');
    return;
  }
  await tf.setBackend('cpu');
}

/** Runs the subcommand; returns the exit status (0 done, 2 usage or input error, 1 other failure). */
export async function runNormalizeCommand(args: string[]): Promise<number> {
  try {
    const command = parseCommand(args);
    const weight = readWeightFile(command.input);
    await selectBackend(command.backend);
    const result = await normalizeWeight(command.method, weight, command.settings);
    writeFileSync(command.output, JSON.stringify(result));
    const top = (values: number[]) => (values[0] ?? 0).toPrecision(6);
    console.error(
      `normalize: ${command.method} on [${weight.shape}] (${tf.getBackend()}): top singular value ` +
        `${top(result.singularValuesBefore)} -> ${top(result.singularValuesAfter)}; wrote ${command.output}`,
    );
    if (command.backend === 'webgpu') (await import('../core/kernels/node-webgpu')).releaseNodeWebGPU();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`normalize: ${error.message}\n${NORMALIZE_USAGE}`);
      return 2;
    }
    console.error(`normalize: ${errorText(error)}`);
    return 1;
  }
}

// Grid expansion for `npm run sweep` and `npm run queue -- enqueue`: a grid is a query string whose
// values may list alternatives; the runs are the cartesian product, each merged over a base query and
// checked with decodeConfig before anything runs.
//
// Alternatives: `|` separates them in every field; `,` too, except in `classes` and `schedule`, whose
// single values are themselves comma lists (`classes=0,1|2,3` is two runs, `classes=0,1` one).
// Named grids: a grid part without `=` names one, e.g. `sr-paper`, and further parts add or replace
// axes and fixed fields (`sr-paper&seed=1,2`, `sr-paper&batch=64,128`).
// Precedence: base < the named grid's fixed fields < grid axes. The first axis varies slowest.
import { FIELDS, type GanConfig } from '../core/config/schema';
import { decodeConfig, encodeConfig } from '../core/config/url-codec';
import { SETUP_KEYS, SR_GRID_BATCHES, SR_GRID_D_WIDTHS, findSetupPreset } from '../core/config/presets';

/** Fields whose one value is a comma list: only `|` separates their alternatives. */
export const COMMA_VALUED_FIELDS: readonly string[] = FIELDS.filter(
  (f) => f.kind === 'classes' || f.kind === 'schedule',
).map((f) => f.key);

/** At most this many runs per grid. */
export const MAX_GRID_RUNS = 1000;

export interface GridAxis {
  key: string;
  values: string[];
}

export interface NamedGrid {
  name: string;
  doc: string;
  /** Fields every run of the grid has (over the base, under the axes). */
  fixed: Record<string, string>;
  axes: GridAxis[];
}

function srPaperGrid(): NamedGrid {
  const preset = findSetupPreset(`sr-${SR_GRID_BATCHES[0]}-${SR_GRID_D_WIDTHS[0]}`);
  if (!preset) throw new Error('the SR-GAN grid presets are missing');
  const fixed: Record<string, string> = {};
  for (const key of SETUP_KEYS) if (key !== 'ch' && key !== 'batch') fixed[key] = String(preset.fields[key]);
  return {
    name: 'sr-paper',
    doc:
      "the SR-GAN paper's grid: batch 64-512 x D channels 128-16 (the ResNet D width, ch = width / " +
      '2) for norm=sn and sr-static, ' +
      "with the SR grid presets' ResNet, hinge loss and Adam 2e-4 / 0 / 0.9, n_dis 5 (32 runs)",
    fixed,
    axes: [
      { key: 'batch', values: SR_GRID_BATCHES.map(String) },
      { key: 'ch', values: SR_GRID_D_WIDTHS.map((width) => String(width / 2)) },
      { key: 'norm', values: ['sn', 'sr-static'] },
    ],
  };
}

export const NAMED_GRIDS: Record<string, NamedGrid> = { 'sr-paper': srPaperGrid() };

/** One run of a sweep: serializable (it travels in queue jobs). */
export interface SweepRun {
  /** 1-based position in the grid. */
  index: number;
  /** The varied fields as `key=value` joined by spaces (`run N` when nothing varies): the run's name in runs.json. */
  label: string;
  /** File name stem: zero-padded index and the varied values, e.g. `03-batch-128_norm-sn`. */
  stem: string;
  /** The canonical query string (every field): what the headless CLI gets. */
  query: string;
  /** The varied fields' values as written in the grid. */
  values: Record<string, string>;
}

export interface SweepPlan {
  grid: string;
  base: string;
  iterations: number;
  /** Fields with more than one value, in axis order: the table's columns. */
  varied: string[];
  /** Fields the grid sets to one value (named-grid fixed fields and one-value axes). */
  fixed: Record<string, string>;
  runs: SweepRun[];
}

export type GridResult = { ok: true; plan: SweepPlan } | { ok: false; errors: string[] };

function splitAlternatives(key: string, raw: string): string[] {
  return COMMA_VALUED_FIELDS.includes(key) ? raw.split('|') : raw.split(/[,|]/);
}

/** The decodeConfig message without its "; using <default>" tail: a sweep refuses instead. */
function refusal(message: string): string {
  return message.replace(/; using .*$/, '');
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9.+-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Parses a grid string into a named grid (or none) and its explicit axes. */
function parseGrid(grid: string): { named: NamedGrid | null; axes: GridAxis[]; errors: string[] } {
  const text = grid.trim().replace(/^\?/, '');
  const errors: string[] = [];
  const axes: GridAxis[] = [];
  let named: NamedGrid | null = null;
  const knownFields = new Set<string>(FIELDS.map((f) => f.key));
  if (text === '')
    return {
      named,
      axes,
      errors: ["the grid is empty; e.g. --grid 'norm=sn,sr-static&batch=64,128' or --grid sr-paper"],
    };
  for (const [key, value] of new URLSearchParams(text)) {
    if (value === '' && !knownFields.has(key)) {
      const found = NAMED_GRIDS[key];
      if (!found)
        errors.push(`unknown named grid or field "${key}" (named grids: ${Object.keys(NAMED_GRIDS).join(', ')})`);
      else if (named) errors.push(`the grid names two named grids (${named.name}, ${key}); use one`);
      else named = found;
      continue;
    }
    if (!knownFields.has(key)) {
      errors.push(`unknown field "${key}" in the grid (fields: ${FIELDS.map((f) => f.key).join(', ')})`);
      continue;
    }
    if (axes.some((axis) => axis.key === key)) {
      errors.push(`the grid names ${key} twice; list its values once, e.g. ${key}=a,b`);
      continue;
    }
    axes.push({ key, values: splitAlternatives(key, value) });
  }
  return { named, axes, errors };
}

/**
 * Expands `grid` over `base` into runs, each checked with decodeConfig. Any rejected value, duplicate
 * configuration or unknown field refuses the whole grid, with one message per problem.
 */
export function expandGrid(grid: string, base: string, iterations: number): GridResult {
  const parsed = parseGrid(grid);
  const errors = [...parsed.errors];
  const baseDecoded = decodeConfig(base);
  errors.push(...baseDecoded.errors.map((m) => `base: ${refusal(m)}`));
  // Problems of the grid's own values are still worth listing when the grid has other problems: go on.

  // Named grid first, then explicit axes replace its axes in place or are appended; an explicit
  // axis also overrides a fixed field of the named grid.
  const fixed: Record<string, string> = { ...(parsed.named?.fixed ?? {}) };
  const axes: GridAxis[] = (parsed.named?.axes ?? []).map((axis) => ({ ...axis, values: [...axis.values] }));
  for (const axis of parsed.axes) {
    delete fixed[axis.key];
    const at = axes.findIndex((a) => a.key === axis.key);
    if (at >= 0) axes[at] = axis;
    else axes.push(axis);
  }
  const count = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (count > MAX_GRID_RUNS)
    return { ok: false, errors: [`the grid expands to ${count} runs; at most ${MAX_GRID_RUNS}`] };

  const varied = axes.filter((axis) => axis.values.length > 1).map((axis) => axis.key);
  for (const axis of axes) if (axis.values.length === 1) fixed[axis.key] = axis.values[0];

  const messages = new Set<string>();
  const seen = new Map<string, number>();
  const runs: SweepRun[] = [];
  const width = Math.max(2, String(count).length);
  for (let index = 0; index < count; index++) {
    // Mixed-radix digits of index, the last axis fastest.
    const choice: Record<string, string> = {};
    let rest = index;
    for (let a = axes.length - 1; a >= 0; a--) {
      const axis = axes[a];
      choice[axis.key] = axis.values[rest % axis.values.length];
      rest = Math.floor(rest / axis.values.length);
    }
    const params = new URLSearchParams(base.trim().replace(/^\?/, ''));
    for (const [key, value] of Object.entries(parsed.named?.fixed ?? {})) params.set(key, value);
    for (const axis of axes) params.set(axis.key, choice[axis.key]);
    const { config, errors: decodeErrors } = decodeConfig(params.toString());
    for (const message of decodeErrors) {
      const text = refusal(message);
      if (!errors.includes(`base: ${text}`)) messages.add(`grid: ${text}`);
    }
    if (decodeErrors.length > 0) continue;
    const query = encodeConfig(config);
    const values = Object.fromEntries(varied.map((key) => [key, choice[key]]));
    const number = index + 1;
    const label = varied.length > 0 ? varied.map((key) => `${key}=${values[key]}`).join(' ') : `run ${number}`;
    const previous = seen.get(query);
    if (previous !== undefined) {
      messages.add(`grid: runs ${previous} and ${number} are the same configuration (${label}); list each value once`);
      continue;
    }
    seen.set(query, number);
    const stemTail = varied
      .map((key) => [key, slug(values[key])].filter((part) => part !== '').join('-'))
      .join('_')
      .slice(0, 80);
    runs.push({
      index: number,
      label,
      stem: `${String(number).padStart(width, '0')}${stemTail ? `-${stemTail}` : ''}`,
      query,
      values,
    });
  }
  if (errors.length > 0 || messages.size > 0) return { ok: false, errors: [...errors, ...messages] };
  return { ok: true, plan: { grid, base, iterations, varied, fixed, runs } };
}

/** The configuration of a run, decoded again (for tests and summaries). */
export function runConfig(run: SweepRun): GanConfig {
  return decodeConfig(run.query).config;
}

/** Help text listing the named grids. */
export function namedGridHelp(): string {
  return Object.values(NAMED_GRIDS)
    .map((g) => `  ${g.name}: ${g.doc}`)
    .join('\n');
}

/** A sweep id from the clock: 20261124-153012. */
export function timestampId(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}`;
  return `${day}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** expandGrid for a CLI: the plan, or null after printing each problem under `refusal` (e.g. "sweep refused"). */
export function expandGridOrReport(grid: string, base: string, iterations: number, refusal: string): SweepPlan | null {
  const expanded = expandGrid(grid, base, iterations);
  if (expanded.ok) return expanded.plan;
  const count = expanded.errors.length;
  console.error(`${refusal} (${count} problem${count === 1 ? '' : 's'}):`);
  for (const message of expanded.errors) console.error(`  ${message}`);
  return null;
}

// The parts of `npm run bench`, in the order they run, each a script that measures its numerators
// and denominators side by side in its own process and hands its rows back with `--json FILE`.
// The arguments keep the whole suite near 22-33 minutes on a 2-core machine with software WebGPU;
// each script alone (`npm run bench:node`, ...) keeps its larger defaults.
export interface SuitePart {
  name: string;
  /** What the part's figures are, for `--help`. */
  measures: string;
  script: string;
  args: string[];
  /** Browser parts serve the built app from dist/. */
  needsBuild: boolean;
  /** The part is stopped (and reported as failed) after this long. */
  timeoutMinutes: number;
}

const SMALL_GAN = 'ch=4&gch=4&zdim=16&batch=4';

export const SUITE_PARTS: readonly SuitePart[] = [
  {
    name: 'node',
    measures: 'D step of each method over none; each WGSL kernel over its tfjs-ops twin; SR amortized (Dawn in Node)',
    script: 'src/cli/bench-node.ts',
    // SR's compensation pass per layer has no twin to divide by: it stays out of the table.
    args: ['--ch', '4', '--gch', '4', '--batch', '4', '--repeats', '3', '--sr-repeats', '2', '--skip-compensation'],
    needsBuild: false,
    timeoutMinutes: 16,
  },
  {
    name: 'spectra',
    measures: 'exact spectra: one snapshot, and training with snapshots over without (Dawn in Node)',
    script: 'src/cli/bench-spectra.ts',
    args: ['--ch', '16', '--repeats', '3', '--train-query', SMALL_GAN, '--every', '5', '--blocks', '3'],
    needsBuild: false,
    timeoutMinutes: 9,
  },
  {
    name: 'browser',
    measures: 'whole iteration on webgpu over webgl; D step sn over none (Chromium)',
    script: 'scripts/bench-browser.ts',
    args: ['--config', SMALL_GAN, '--repeats', '3'],
    needsBuild: true,
    timeoutMinutes: 6,
  },
  {
    name: 'frames',
    measures: 'main-thread frame interval p95 while training over idle (Chromium, the app)',
    script: 'scripts/bench-frames.ts',
    args: ['--seconds', '10'],
    needsBuild: true,
    timeoutMinutes: 4,
  },
  {
    name: 'proxy',
    measures: 'cost of a proxy evaluation in each worker; frames while the proxy net trains (Chromium, the app)',
    script: 'scripts/bench-proxy-page.ts',
    args: ['--evaluations', '3'],
    needsBuild: true,
    timeoutMinutes: 10,
  },
  // About 7.5 min with software WebGPU: SR methods count and time whole cycles of srevery iterations.
  {
    name: 'dispatches',
    measures: 'GPU dispatches and kernel calls per iteration beside its time, each method over none (Dawn in Node)',
    script: 'src/cli/bench-dispatches.ts',
    args: ['--config', SMALL_GAN, '--repeats', '2'],
    needsBuild: false,
    timeoutMinutes: 14,
  },
  {
    name: 'first-curve',
    measures: 'page open to ready, and Train to the first drawn loss point (Chromium, the app, a fresh profile)',
    script: 'scripts/bench-first-curve.ts',
    args: ['--config', `${SMALL_GAN}&every=1&subset=64&backend=webgpu`, '--seconds', '10'],
    needsBuild: true,
    timeoutMinutes: 6,
  },
];

/** The parts named in `--only a,b` (all when absent), in suite order; an unknown name throws. */
export function selectParts(only: string | undefined, parts: readonly SuitePart[] = SUITE_PARTS): SuitePart[] {
  if (only === undefined) return [...parts];
  const wanted = only
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !parts.some((part) => part.name === name));
  if (unknown.length || wanted.length === 0) {
    throw new Error(
      `--only ${only}: unknown part(s) ${unknown.join(', ') || '(none named)'}; parts are ` +
        `${parts.map((p) => p.name).join(', ')}`,
    );
  }
  return parts.filter((part) => wanted.includes(part.name));
}

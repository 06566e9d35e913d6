// Every experiment of the gallery, run for real on the cpu backend (all of them train the 2-D toy
// MLP: about 5.5 min for the 11 distinct runs, two at a time, on a 2-core machine), with the verdict
// each gave when it was recorded (docs/experiments.md). The verdicts are the claims' outcomes, PASS or
// FAIL as measured: a change that turns one over (a bug, or a real change of behaviour) fails here
// and must be explained there.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../src/core/experiments/catalogue';
import { runExperiments, type ExperimentOutcome } from '../../src/cli/experiment-runner';

/** The verdicts recorded with `npm run experiment -- --all` (cpu backend). */
const RECORDED: Record<string, 'pass' | 'fail'> = {
  'sn-bounds-sigma': 'fail',
  'power-iteration': 'fail',
  'wn-clip-spectrum': 'pass',
  'gradient-bounds': 'pass',
  'spectral-collapse-sr': 'pass',
  'mode-coverage': 'pass',
};

const out = mkdtempSync(join(tmpdir(), 'experiments-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

let outcomes: Promise<ExperimentOutcome[]> | null = null;
/** One run of the whole gallery, shared by the tests below (runs shared by experiments run once). */
function gallery(): Promise<ExperimentOutcome[]> {
  outcomes ??= runExperiments(EXPERIMENTS, { out, parallel: 2, log: () => {} });
  return outcomes;
}

describe('the experiments gallery, run headless on the cpu backend', () => {
  it('has a recorded verdict for every experiment', () => {
    expect(Object.keys(RECORDED).sort()).toEqual(EXPERIMENTS.map((e) => e.id).sort());
  });

  for (const experiment of EXPERIMENTS) {
    it(`${experiment.id}: ${RECORDED[experiment.id]?.toUpperCase()} as recorded`, async () => {
      const outcome = (await gallery()).find((o) => o.experiment.id === experiment.id)!;
      console.log(
        `${outcome.verdict.status.toUpperCase()} ${experiment.id}\n  ${outcome.verdict.figures.join('\n  ')}`,
      );
      for (const run of outcome.runs) expect(run.error, run.label).toBeNull();
      expect(outcome.verdict.status).toBe(RECORDED[experiment.id]);
      // What the CLI writes: each run's metrics and the verdict with its figures.
      const written = JSON.parse(readFileSync(join(out, experiment.id, 'verdict.json'), 'utf8'));
      expect(written.verdict).toBe(RECORDED[experiment.id] === 'pass' ? 'PASS' : 'FAIL');
      expect(written.figures).toEqual(outcome.verdict.figures);
    });
  }
});

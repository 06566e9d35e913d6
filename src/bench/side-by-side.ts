// Times several cases interleaved in one run (A, B, A, B, ...), so drift in clocks, thermal state
// or a software GPU's load hits every case alike; reports medians and ratios to the first case.

export interface BenchCase {
  name: string;
  /** Runs the work once and resolves when the GPU has finished it. */
  run: () => Promise<void>;
}

export interface BenchRow {
  name: string;
  medianMs: number;
  /** medianMs over the first case's medianMs. */
  ratio: number;
  samplesMs: number[];
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function timeSideBySide(cases: BenchCase[], repeats: number, warmups = 2): Promise<BenchRow[]> {
  for (let w = 0; w < warmups; w++) for (const c of cases) await c.run();
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < cases.length; i++) {
      const start = performance.now();
      await cases[i].run();
      samples[i].push(performance.now() - start);
    }
  }
  const baseline = median(samples[0]);
  return cases.map((c, i) => ({
    name: c.name,
    medianMs: median(samples[i]),
    ratio: median(samples[i]) / baseline,
    samplesMs: samples[i],
  }));
}

export function formatRows(title: string, rows: BenchRow[]): string {
  const lines = rows.map(
    (r) => `  ${r.name.padEnd(34)} ${r.medianMs.toFixed(2).padStart(10)} ms   x${r.ratio.toFixed(3)}`,
  );
  return [`${title}`, ...lines].join('\n');
}

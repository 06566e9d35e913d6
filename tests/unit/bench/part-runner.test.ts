// How `npm run bench` runs a part: its own process, its rows read back from --json, a failure or a
// hang turned into a reason instead of stopping the suite.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPart } from '../../../src/bench/part-runner';
import type { SuitePart } from '../../../src/bench/suite-parts';

const dir = mkdtempSync(join(tmpdir(), 'bench-part-'));

function fakePart(name: string, source: string, timeoutMinutes = 1): SuitePart {
  const script = join(dir, `${name}.mjs`);
  writeFileSync(script, source);
  return { name, measures: name, script, args: ['--repeats', '1'], needsBuild: false, timeoutMinutes };
}

/** A part script's own end: writes what it measured to the file after --json. */
const WRITES_ROWS = `
import { writeFileSync } from 'node:fs';
const file = process.argv[process.argv.indexOf('--json') + 1];
const repeats = process.argv[process.argv.indexOf('--repeats') + 1];
writeFileSync(file, JSON.stringify({ rows: [{ figure: 'f', configuration: 'repeats=' + repeats, where: 'here',
  numerator: { label: 'a', value: 3, unit: 'ms' }, denominator: { label: 'b', value: 2, unit: 'ms' } }] }));
`;

describe('runPart', () => {
  it('passes the part its arguments and reads back the rows it wrote', async () => {
    const result = await runPart(fakePart('writes', WRITES_ROWS));
    expect(result).toMatchObject({ part: 'writes', ok: true });
    expect(result.ok && result.rows[0].configuration).toBe('repeats=1');
  });

  it('reports the error line of a part that exits with an error', async () => {
    const source =
      `console.error('Error: no WebGPU in Node (Dawn found no Vulkan ` +
      `adapter)');\nconsole.error('    at main (x.ts:1:1)');\nprocess.exit(1);`;
    const result = await runPart(fakePart('fails', source));
    expect(result).toMatchObject({
      ok: false,
      reason: 'exit 1: Error: no WebGPU in Node (Dawn found no Vulkan adapter)',
    });
  });

  it('counts a part that exits cleanly without figures as failed', async () => {
    const result = await runPart(fakePart('silent', 'console.log("done");'));
    expect(result).toMatchObject({ ok: false, reason: 'finished without writing its figures' });
  });

  it('stops a part that runs past its time limit', async () => {
    const result = await runPart(fakePart('hangs', 'setInterval(() => {}, 1000);', 0.02));
    expect(result).toMatchObject({ ok: false, reason: 'stopped after 0.02 min' });
    expect(result.seconds).toBeLessThan(10);
  });
});

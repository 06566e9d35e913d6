// Every CLI behind an npm script answers `--help` with its usage and options and exits 0, before it
// trains, downloads or opens a browser. The entry points come from package.json, so none is forgotten.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json';

/** Each `tsx <file>` of the npm scripts, once. */
function entryPoints(scripts: Record<string, string>): string[] {
  const files = Object.values(scripts).flatMap((script) =>
    [...script.matchAll(/\btsx\s+(\S+\.ts)\b/g)].map((match) => match[1]),
  );
  return [...new Set(files)].sort();
}

const ENTRY_POINTS = entryPoints(packageJson.scripts);

describe('--help of every CLI', () => {
  it('finds the CLIs in package.json', () => {
    expect(ENTRY_POINTS).toContain('src/cli/headless.ts');
    expect(ENTRY_POINTS).toContain('scripts/start.ts');
    expect(ENTRY_POINTS).toContain('scripts/bench-browser.ts');
    expect(ENTRY_POINTS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(ENTRY_POINTS)(
    '%s --help prints its usage and exits 0',
    (file) => {
      const result = spawnSync('npx', ['tsx', file, '--help'], { encoding: 'utf8', timeout: 60_000 });
      expect(result.status, `${file}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/usage/i);
      expect(result.stdout).toMatch(/(^|[\s[])--[a-z]/m);
    },
    90_000,
  );
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { urlFieldTable } from '../../scripts/print-url-fields';
import packageJson from '../../package.json';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('holds the URL field table exactly as the schema generates it', () => {
    expect(readme).toContain(urlFieldTable());
  });

  it('documents every npm script', () => {
    for (const script of Object.keys(packageJson.scripts)) {
      const invocation = script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`;
      expect(readme, `README lacks ${invocation}`).toContain(invocation);
    }
  });

  it('says why each dependency is there', () => {
    const all = { ...packageJson.dependencies, ...packageJson.devDependencies };
    for (const name of Object.keys(all)) {
      const mentioned = readme.includes(`\`${name}\``) || (name.startsWith('@types/') && readme.includes('`@types/*`'));
      expect(mentioned, `README does not mention ${name}`).toBe(true);
    }
  });
});

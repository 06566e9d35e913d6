// The README is the front page; the catalogue lives in docs/. These checks keep it current: the URL
// field table as the schema generates it, every npm script, every dependency, and every link of the
// README and docs/ pointing at a file of the repo.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { urlFieldTable } from '../../scripts/print-url-fields';
import packageJson from '../../package.json';

const URL_FIELDS = 'docs/url-fields.md';
const SCRIPTS = 'docs/scripts.md';
const DEPENDENCIES = 'docs/dependencies.md';
const MARKDOWN = [
  'README.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

const read = (path: string) => readFileSync(path, 'utf8');

/** The targets of a Markdown file's links and images that are not web addresses, without their #anchors. */
function localLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
  return targets.filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#')).map((t) => t.split('#')[0]);
}

describe('README and docs/', () => {
  it(`${URL_FIELDS} holds the URL field table exactly as the schema generates it`, () => {
    expect(read(URL_FIELDS)).toContain(urlFieldTable());
  });

  it(`${SCRIPTS} documents every npm script`, () => {
    const scripts = read(SCRIPTS);
    for (const script of Object.keys(packageJson.scripts)) {
      const invocation = script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`;
      expect(scripts, `${SCRIPTS} lacks ${invocation}`).toContain(invocation);
    }
  });

  it(`${DEPENDENCIES} says why each dependency is there`, () => {
    const dependencies = read(DEPENDENCIES);
    const all = { ...packageJson.dependencies, ...packageJson.devDependencies };
    for (const name of Object.keys(all)) {
      const mentioned =
        dependencies.includes(`\`${name}\``) || (name.startsWith('@types/') && dependencies.includes('`@types/*`'));
      expect(mentioned, `${DEPENDENCIES} does not mention ${name}`).toBe(true);
    }
  });

  it('the README links every file of docs/', () => {
    const linked = localLinks(read('README.md'));
    for (const file of MARKDOWN.filter((path) => path.startsWith('docs/'))) {
      expect(linked, `README.md does not link ${file}`).toContain(file);
    }
  });

  it.each(MARKDOWN)('the links of %s point at files of the repo', (path) => {
    for (const target of localLinks(read(path))) {
      expect(existsSync(join(dirname(path), target)), `${path} links ${target}, which does not exist`).toBe(true);
    }
  });
});

// `npm run bench -- [--only node,spectra,browser,frames,proxy,dispatches,first-curve] [--out FILE.json] [--gpu]`
// Every benchmark of the project in one command: runs each part in turn (each measures its figures
// side by side in its own process), then prints one table of every figure, with the configuration,
// the backend and machine, numerator, denominator and ratio. A part that fails is a line in the
// table with its reason; the exit code is 0 only when every part ran. --gpu asks the Node part for
// the paper-size throughput figure even on a software adapter (it adds it by itself on a real GPU).
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { allPartsRan, formatSummary, type PartResult } from '../bench/bench-summary';
import { runPart } from '../bench/part-runner';
import { SUITE_PARTS, selectParts, type SuitePart } from '../bench/suite-parts';
import { errorText } from '../core/error-text';

const USAGE = [
  'usage: npm run bench -- [--only NAMES] [--out FILE.json] [--gpu]',
  '  --only NAMES    comma list of the parts to run (default: all of them)',
  '  --out FILE.json also write the table as JSON',
  '  --gpu           the paper-size throughput figure even on a software adapter',
  '  --help, -h      print this and exit',
  'parts:',
  ...SUITE_PARTS.map((part) => `  ${part.name.padEnd(8)} ${part.measures}`),
].join('\n');

/** Builds dist/ once for the browser parts; its error becomes their reason. */
async function buildApp(): Promise<string | undefined> {
  try {
    // Not emptied first: a `vite preview` someone else serves from dist/ keeps working meanwhile.
    await build({ logLevel: 'warn', build: { emptyOutDir: false } });
    return undefined;
  } catch (error) {
    return `vite build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

async function runSuite(parts: SuitePart[], gpu: boolean): Promise<PartResult[]> {
  const results: PartResult[] = [];
  let buildError: string | undefined;
  let built = false;
  for (const part of parts) {
    console.log(`\n== ${part.name}: ${part.measures}\n   ${part.script} ${part.args.join(' ')}`);
    if (part.needsBuild && !built) {
      buildError = await buildApp();
      built = true;
    }
    if (part.needsBuild && buildError) {
      results.push({ part: part.name, ok: false, seconds: 0, reason: buildError });
      continue;
    }
    results.push(await runPart(part, part.name === 'node' && gpu ? ['--gpu'] : []));
  }
  return results;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      out: { type: 'string' },
      gpu: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const parts = selectParts(values.only);
  const started = new Date();
  const results = await runSuite(parts, values.gpu ?? false);
  const minutes = (Date.now() - started.getTime()) / 60_000;
  console.log(
    `\nnpm run bench, ${started.toISOString()}, ${hostname()}, ${minutes.toFixed(1)} min; ratios of ` +
      `medians measured side by side within each part\n`,
  );
  console.log(formatSummary(results));
  if (values.out)
    writeFileSync(values.out, JSON.stringify({ started: started.toISOString(), minutes, results }, null, 2));
  return allPartsRan(results) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    console.error(USAGE);
    process.exit(2);
  },
);

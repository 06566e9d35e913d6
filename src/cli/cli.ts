// `npm run cli -- <command> [options]`: the Node entry point for inspection commands over the core.
// Each subcommand lives in its own file and returns an exit status; unknown commands get the usage
// and status 2.
import { NORMALIZE_USAGE, runNormalizeCommand } from './normalize-command';
import { errorText } from '../core/error-text';

interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  normalize: {
    summary: 'apply one D weight normalization to a weight file; singular values before and after',
    usage: NORMALIZE_USAGE,
    run: runNormalizeCommand,
  },
};

const USAGE = [
  'usage: npm run cli -- <command> [options]',
  'commands:',
  ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`),
  'run `npm run cli -- <command> --help` for its options',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? console.error : console.log)(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    process.exit(1);
  },
);

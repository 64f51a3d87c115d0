import { version } from '../../package.json';
import { UsageError } from './args';
import { CHECK_USAGE, runCheck } from './checkCommand';
import { LAYOUT_USAGE, runLayout } from './layoutCommand';
import { RACE_USAGE, runRace } from './raceCommand';
import type { Output } from './output';

const USAGE = `usage: go-arch-lens <command> [flags]

commands:
  layout   struct sizes, alignments and offsets per GOARCH
  check    portability problems between targets (text, JSON or SARIF)
  race     data races from a go test -race / go run -race log, deduplicated

${LAYOUT_USAGE}

${CHECK_USAGE}

${RACE_USAGE}`;

/** Inlined by esbuild; tsc copies package.json next to the compiled tests. */
const VERSION: string = version;

const stdio: Output = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  write: (chunk) => new Promise((resolve) => {
    // Honour back-pressure: a slow reader of a large output must not make the process buffer all of it.
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve);
  }),
};

/** Runs one CLI invocation; returns the process exit code (2 for bad usage). */
export async function main(argv: string[], io: Output = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'layout':
        return await runLayout(rest, io);
      case 'check':
        return await runCheck(rest, io, VERSION);
      case 'race':
        return await runRace(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`go-arch-lens: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`go-arch-lens: ${(err as Error).stack ?? err}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}

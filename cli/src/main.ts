import { version } from '../../package.json';
import { escapeUnprintable } from '../../core/src/model/extract';
import { UsageError } from './args';
import { CHECK_USAGE, runCheck } from './checkCommand';
import { LAYOUT_USAGE, runLayout } from './layoutCommand';
import { RACE_USAGE, runRace } from './raceCommand';
import { EXIT, EXIT_CODES_HELP } from './exitCodes';
import type { Output } from './output';

const USAGE = `usage: go-arch-lens <command> [flags]
       go-arch-lens <command> --help

commands:
  layout   struct sizes, alignments and offsets per GOARCH
  check    portability problems between targets (text, JSON or SARIF)
  race     data races from a go test -race / go run -race log, deduplicated

${LAYOUT_USAGE}

${CHECK_USAGE}

${RACE_USAGE}

${EXIT_CODES_HELP}`;

const COMMAND_USAGE: Record<string, string> = {
  layout: `${LAYOUT_USAGE}\n\n${EXIT_CODES_HELP}`,
  check: `${CHECK_USAGE}\n\n${EXIT_CODES_HELP}`,
  race: `${RACE_USAGE}\n\n${EXIT_CODES_HELP}`,
};

const HELP_FLAGS = new Set(['--help', '-h', '-help']);

function isCommand(name: string | undefined): name is string {
  return name !== undefined && Object.hasOwn(COMMAND_USAGE, name);
}

/** Inlined by esbuild; tsc copies package.json next to the compiled tests. */
const VERSION: string = version;

/**
 * Lines are human-readable text that carries file names and paths from a repository or a log: their control
 * characters are escaped here, for every command at once. Machine-readable output (JSON, SARIF) goes through
 * `write` as is: JSON escapes its own strings.
 */
const stdio: Output = {
  out: (text) => process.stdout.write(escapeUnprintable(text) + '\n'),
  err: (text) => process.stderr.write(escapeUnprintable(text) + '\n'),
  write: (chunk) => new Promise((resolve) => {
    // Honour back-pressure: a slow reader of a large output must not make the process buffer all of it.
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve);
  }),
};

/** Runs one CLI invocation; returns the process exit code (see EXIT). */
export async function main(argv: string[], io: Output = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (isCommand(command) && rest.some((arg) => HELP_FLAGS.has(arg))) {
      io.out(COMMAND_USAGE[command]);
      return EXIT.ok;
    }
    switch (command) {
      case 'layout':
        return await runLayout(rest, io);
      case 'check':
        return await runCheck(rest, io, VERSION);
      case 'race':
        return await runRace(rest, io);
      case undefined:
        io.err(USAGE);
        return EXIT.usage;
      case 'help':
        if (rest.length > 0 && !isCommand(rest[0])) throw new UsageError(`no help for "${rest[0]}": not a command`);
        io.out(rest.length > 0 ? COMMAND_USAGE[rest[0]] : USAGE);
        return EXIT.ok;
      case '--help':
      case '-h':
      case '-help':
        io.out(USAGE);
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      const usage = isCommand(command) ? COMMAND_USAGE[command] : USAGE;
      io.err(`go-arch-lens: ${err.message}\n\n${usage}`);
      return EXIT.usage;
    }
    io.err(`go-arch-lens: internal error (please report it): ${(err as Error)?.stack ?? err}`);
    return EXIT.internal;
  }
}

/** Ends the process on a failed write to stdout: the output is incomplete, which must never pass for status 1. */
function onStdoutError(err: NodeJS.ErrnoException): never {
  // A reader that stopped reading (`| head -1`) is not a failure worth a message, as with SIGPIPE in C tools.
  if (err.code !== 'EPIPE') process.stderr.write(`go-arch-lens: could not write standard output: ${escapeUnprintable(err.message)}\n`);
  process.exit(EXIT.output);
}

/** A crash outside main's own catch (a stream callback, a stray promise) still exits 4, never node's 1. */
function onCrash(err: unknown): never {
  process.stderr.write(`go-arch-lens: internal error (please report it): ${escapeUnprintable(String((err as Error)?.stack ?? err))}\n`);
  process.exit(EXIT.internal);
}

if (require.main === module) {
  process.stdout.on('error', onStdoutError);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, onCrash);
}

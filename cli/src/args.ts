/** Thrown for bad command-line usage; the CLI prints the message and exits 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

/** Parses `--name value`, `--name=value` and boolean `--name` flags; `booleans` lists the flags without values. */
export function parseArgs(argv: string[], booleans: Set<string>, valued: Set<string>): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (booleans.has(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (valued.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown flag --${name}`);
    }
  }
  return { flags, positional };
}

/**
 * The comma-separated entries of a list flag, trimmed. An empty entry is bad usage for every list flag alike:
 * `amd64,,arm` is more likely a lost name than a wish for two.
 */
export function listFlag(name: string, value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.includes('')) throw new UsageError(`--${name} "${value}" has an empty entry`);
  return entries;
}

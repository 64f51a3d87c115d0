// The CLI run inside the test process, its output collected, for tests that check what a command prints and returns.
import { main } from '../../cli/src/main';

export interface CliRun {
  code: number;
  /** Standard output: its lines, and the chunks streamed output (JSON, SARIF) is written in. */
  out: string;
  err: string;
}

/** Runs `go-arch-lens ...argv` in this process, in `cwd` when given (the process's folder is restored after). */
export async function runCli(argv: string[], cwd?: string): Promise<CliRun> {
  let out = '';
  let err = '';
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(argv, { out: (t) => { out += t + '\n'; }, err: (t) => { err += t + '\n'; }, write: async (chunk) => { out += chunk; } });
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

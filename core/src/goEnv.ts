import { execFileSync } from 'child_process';

export interface GoEnv {
  GOROOT?: string;
  GOMODCACHE?: string;
  GOVERSION?: string;
}

/** Asks the `go` on PATH for its environment (no shell). Returns an error message when there is no usable go. */
export function readGoEnv(goBinary = 'go'): GoEnv | { error: string } {
  try {
    const out = execFileSync(goBinary, ['env', '-json', 'GOROOT', 'GOMODCACHE', 'GOVERSION'], {
      encoding: 'utf8', timeout: 15000, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const env = JSON.parse(out) as GoEnv;
    return env;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { error: `${goBinary} was not found on PATH` };
    return { error: `${goBinary} env failed: ${e.message.split('\n')[0]}` };
  }
}

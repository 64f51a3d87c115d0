import { Engine } from '../../core/src/engine';
import { readGoEnv } from '../../core/src/goEnv';
import type { Output } from './output';

/** From this many files on, parsing on worker threads repays the cost of starting them. */
const PRELOAD_THRESHOLD = 32;

/** An engine reading std and module sources where the local `go` says they are; without go, the built-in table. */
export async function engineFor(files: string[], io: Output): Promise<Engine> {
  const goEnv = readGoEnv();
  if ('error' in goEnv) io.err(`note: ${goEnv.error}; standard-library types come from the built-in table`);
  const engine = await Engine.create({
    goroot: 'error' in goEnv ? undefined : goEnv.GOROOT,
    gomodcache: 'error' in goEnv ? undefined : goEnv.GOMODCACHE,
  });
  if (files.length >= PRELOAD_THRESHOLD) await engine.preload(files);
  return engine;
}

import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { goListToolTags, toolchainEnvFrom, type ToolchainEnv } from '../../core/src/toolchain/toolTags';
import { readGoEnv } from '../../core/src/goEnv';
import type { Output } from './output';

/** From this many files on, parsing on worker threads repays the cost of starting them. */
const PRELOAD_THRESHOLD = 32;

/** An engine reading std and module sources where the local `go` says they are; without go, the built-in table. */
export async function engineFor(files: string[], io: Output, targets: Target[] = []): Promise<Engine> {
  const goEnv = readGoEnv();
  if ('error' in goEnv) io.err(`note: ${goEnv.error}; standard-library types come from the built-in table`);
  const toolchainEnv = toolchainEnvFrom(process.env);
  const engine = await Engine.create({
    goroot: 'error' in goEnv ? undefined : goEnv.GOROOT,
    gomodcache: 'error' in goEnv ? undefined : goEnv.GOMODCACHE,
    goVersion: 'error' in goEnv ? undefined : goEnv.GOVERSION,
    toolchainEnv,
  });
  if (!('error' in goEnv)) await askToolTags(engine, targets, toolchainEnv, goEnv.GOVERSION, io);
  for (const target of targets) {
    for (const problem of engine.toolTags(target).problems) io.err(`note: ${target.goos}/${target.goarch}: ${problem}`);
  }
  if (files.length >= PRELOAD_THRESHOLD) await engine.preload(files);
  return engine;
}

/** The toolchain's own build tags per target from `go list` (GOEXPERIMENT, GOAMD64… from the environment). */
async function askToolTags(engine: Engine, targets: Target[], env: ToolchainEnv, goVersion: string | undefined, io: Output): Promise<void> {
  const answers = await Promise.all(targets.map((t) => goListToolTags('go', t, env, goVersion)));
  answers.forEach((answer, i) => {
    if ('error' in answer) io.err(`note: ${answer.error}; build tags from the built-in table`);
    else engine.useToolTags(targets[i], answer);
  });
}

/** The distinct targets of several lists, in first-seen order. */
export function everyTarget(lists: Target[][]): Target[] {
  const seen = new Map<string, Target>();
  for (const t of lists.flat()) seen.set(`${t.goos}/${t.goarch}`, seen.get(`${t.goos}/${t.goarch}`) ?? t);
  return [...seen.values()];
}

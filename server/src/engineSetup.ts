import type { LayoutEngine, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { goListToolTags, toolchainEnvFrom } from '../../core/src/toolchain/toolTags';

/** What the client sends in `initializationOptions`. */
export interface InitOptions {
  goroot?: string;
  gomodcache?: string;
  /** Whether the workspace is trusted; only then are the toolchain folders the client found used. */
  trusted?: boolean;
}

/**
 * The engine for this session, reading WASM from the bundle's folder. GOROOT and GOMODCACHE are honoured only in a
 * trusted workspace; otherwise standard-library types come from the engine's generated table.
 */
export async function createEngine(raw: unknown, wasmDir: string): Promise<{ engine: Engine; description: string; mayRunGo: boolean }> {
  const options = parseInitOptions(raw);
  const goroot = options.trusted ? options.goroot : undefined;
  const gomodcache = options.trusted ? options.gomodcache : undefined;
  const engine = await Engine.create({ wasmDir, goroot, gomodcache, toolchainEnv: toolchainEnvFrom(process.env) });
  const description = goroot
    ? `GOROOT ${goroot}${gomodcache ? `, GOMODCACHE ${gomodcache}` : ''}`
    : 'no GOROOT (standard-library types from the built-in table)';
  // The client sends GOROOT only after asking `go env` in a trusted workspace: only then may the server run go.
  return { engine, description, mayRunGo: goroot !== undefined };
}

/**
 * Gives the engine the toolchain's own answer for each target's build tags (`go list`), asked once per target
 * and settings; until it arrives, and where go may not run, the engine uses its generated table.
 */
export class ToolTagFeed {
  private readonly asked = new Set<string>();
  private generation = 0;
  private env: Record<string, string>;

  /** `idle` settles when no request the user waits on is being answered (spawning go costs it time). */
  constructor(private readonly engine: LayoutEngine, private readonly mayRunGo: boolean,
    private readonly changed: () => void, private readonly log: (message: string) => void,
    private readonly idle: () => Promise<void>) {
    this.env = toolchainEnvFrom(process.env);
  }

  /** The environment's settings overlaid with `goArchLens.toolchainEnv`; a change starts afresh. */
  useSettings(fromSettings: Record<string, string>): void {
    const env = { ...toolchainEnvFrom(process.env), ...fromSettings };
    if (JSON.stringify(env) === JSON.stringify(this.env)) return;
    this.env = env;
    this.generation++;
    this.asked.clear();
    this.engine.setToolchainEnv(env);
  }

  ensure(targets: Target[]): void {
    if (!this.mayRunGo) return;
    for (const target of targets) {
      const key = `${target.goos}/${target.goarch}`;
      if (this.asked.has(key)) continue;
      this.asked.add(key);
      const generation = this.generation;
      // Started once the request that needs the targets is answered: spawning go costs the first hints time.
      void this.idle().then(() => goListToolTags('go', target, this.env)).then((result) => {
        if (generation !== this.generation) return;
        if ('error' in result) {
          this.log(`${result.error}; build tags of ${key} come from the built-in table`);
          return;
        }
        if (this.engine.useToolTags(target, result)) this.changed();
      });
    }
  }
}

export function parseInitOptions(raw: unknown): InitOptions {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return { goroot: text(r.goroot), gomodcache: text(r.gomodcache), trusted: r.trusted === true };
}

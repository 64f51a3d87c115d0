import { Engine } from '../../core/src/engine';

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
export async function createEngine(raw: unknown, wasmDir: string): Promise<{ engine: Engine; description: string }> {
  const options = parseInitOptions(raw);
  const goroot = options.trusted ? options.goroot : undefined;
  const gomodcache = options.trusted ? options.gomodcache : undefined;
  const engine = await Engine.create({ wasmDir, goroot, gomodcache });
  const description = goroot
    ? `GOROOT ${goroot}${gomodcache ? `, GOMODCACHE ${gomodcache}` : ''}`
    : 'no GOROOT (standard-library types from the built-in table)';
  return { engine, description };
}

export function parseInitOptions(raw: unknown): InitOptions {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return { goroot: text(r.goroot), gomodcache: text(r.gomodcache), trusted: r.trusted === true };
}

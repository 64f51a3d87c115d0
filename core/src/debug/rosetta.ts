// Whether a race debug session can run as asked. Delve debugs only programs of the host's own architecture and
// refuses outright to run under Rosetta, so on an Apple Silicon Mac a session asked for amd64 (the race UI's
// "rosetta" mode, or GOARCH=amd64 in the configuration's env) cannot start; the way out is a native arm64 session.

export interface DebugHost {
  /** process.platform */
  platform: string;
  /** process.arch of the Node that runs the extension: x64 when VS Code itself runs under Rosetta */
  arch: string;
  /** an Apple Silicon Mac whatever `arch` says (core/src/race/preflight.ts isAppleSilicon) */
  appleSilicon?: boolean;
}

export type DebugArchDecision =
  | { kind: 'native' }
  | {
      kind: 'offerNative';
      /** why the asked architecture cannot be debugged */
      message: string;
      /** the configuration's env with the foreign GOARCH removed, for the native session */
      nativeEnv: Record<string, string>;
    };

const GOARCH_OF_NODE_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };

export function hostGoarch(host: DebugHost): string {
  if (host.platform === 'darwin' && host.appleSilicon) return 'arm64';
  return GOARCH_OF_NODE_ARCH[host.arch] ?? host.arch;
}

/**
 * `raceMode` is the goArchLens.race.mode setting ("ask", "native", "rosetta"); only "rosetta" asks for amd64.
 * Debugging never asks which mode: only a native session can run.
 */
export function decideDebugArch(host: DebugHost, raceMode: string, env: Record<string, string | null | undefined>): DebugArchDecision {
  const wanted = env.GOARCH || (raceMode === 'rosetta' && host.platform === 'darwin' ? 'amd64' : undefined);
  const native = hostGoarch(host);
  if (!wanted || wanted === native) return { kind: 'native' };
  const nativeEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name !== 'GOARCH' && typeof value === 'string') nativeEnv[name] = value;
  }
  const rosetta = host.platform === 'darwin' && native === 'arm64' && wanted === 'amd64';
  const message = rosetta
    ? 'Delve cannot debug under Rosetta: it refuses to run translated amd64 code on Apple Silicon. ' +
      'The race run can use Rosetta; the debugger needs a native arm64 build of the test.'
    : `Delve debugs only programs built for this machine (${host.platform}/${native}), not GOARCH=${wanted}.`;
  return { kind: 'offerNative', message, nativeEnv };
}

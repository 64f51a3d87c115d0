// Debug configurations that run one test (or a package's tests) under Delve with the race detector. The same
// fields serve two debug types: the Go extension's `go` type passes them through to `dlv dap`, and this extension's
// own type sends them to `dlv dap` itself, so both paths run exactly what the unit tests launch against a real dlv.
import { goTestSelection, type TestFunction } from '../gotest/testFunctions';

/** The Go extension (golang.go) owns this type; its configurations reach `dlv dap` in the launch request. */
export const GO_EXTENSION_DEBUG_TYPE = 'go';
export const GO_EXTENSION_ID = 'golang.go';
/** This extension's own type: it starts `dlv dap` and lets VS Code speak DAP to it. */
export const OWN_DEBUG_TYPE = 'go-arch-lens-dlv';

export type RaceDebugType = typeof GO_EXTENSION_DEBUG_TYPE | typeof OWN_DEBUG_TYPE;

/** The launch attributes dlv's DAP server reads (service/dap LaunchConfig); VS Code adds name/type/request. */
export interface RaceDebugConfiguration {
  [key: string]: unknown;
  name: string;
  type: string;
  request: 'launch';
  mode: 'test';
  /** the package directory: dlv builds `go test -c` there */
  program: string;
  /** a string, as `dlv --build-flags` takes it; dlv also accepts an array */
  buildFlags: string;
  /** flags for the test binary, hence the `-test.` prefix */
  args: string[];
  env: Record<string, string>;
  /**
   * "remote": dlv sends the test's stdout/stderr (the race report) as DAP output events, which reach the Debug
   * Console whichever client started dlv; otherwise they go to dlv's own stdout, which only the Go extension shows.
   */
  outputMode: 'remote';
  /** only for the own type: the dlv to start (resolved from settings, PATH, GOPATH/bin, GOBIN when absent) */
  dlvPath?: string;
}

export interface RaceDebugRequest {
  type: RaceDebugType;
  packageDir: string;
  /** one test, benchmark, fuzz target or example; absent: every test of the package */
  test?: Pick<TestFunction, 'name' | 'kind'>;
  env?: Record<string, string>;
}

/**
 * Arguments for the compiled test binary selecting one function. `go test -run X` becomes `-test.run X` there;
 * goTestSelection already knows which flags each kind of function needs.
 */
export function testBinaryArgs(test: Pick<TestFunction, 'name' | 'kind'>): string[] {
  return goTestSelection(test).map((arg) => (arg.startsWith('-') ? `-test.${arg.slice(1)}` : arg));
}

export function raceDebugConfiguration(request: RaceDebugRequest): RaceDebugConfiguration {
  return {
    name: request.test ? `Debug ${request.test.name} with -race` : 'Debug Package Tests with -race',
    type: request.type,
    request: 'launch',
    mode: 'test',
    program: request.packageDir,
    buildFlags: '-race',
    args: request.test ? testBinaryArgs(request.test) : [],
    env: { ...(request.env ?? {}) },
    outputMode: 'remote',
  };
}

/** True when a configuration builds with the race detector: only those get this extension's checks. */
export function buildsWithRace(config: Record<string, unknown>): boolean {
  const flags = Array.isArray(config.buildFlags) ? config.buildFlags : typeof config.buildFlags === 'string' ? config.buildFlags.split(/\s+/) : [];
  return flags.some((flag) => flag === '-race' || flag === '--race' || flag === '-race=true');
}

// The goArchLens.race.* settings, read fresh for every run so that a change applies without a reload.
import * as vscode from 'vscode';

export type ModeSetting = 'ask' | 'native' | 'rosetta';

export interface RaceSettings {
  mode: ModeSetting;
  /** Extra go test flags, e.g. -count=2. */
  flags: string[];
  /** GORACE for the test binary; undefined leaves the environment's own. */
  gorace: string | undefined;
  /** Kill the run after this many milliseconds; undefined for no limit. */
  timeoutMs: number | undefined;
  /** `go` on PATH unless set. */
  goBinary: string | undefined;
  codeLens: boolean;
}

const MODES: ModeSetting[] = ['ask', 'native', 'rosetta'];

/** Settings as they apply to `scope` (a file or folder: multi-root workspaces can differ per folder). */
export function readRaceSettings(scope?: vscode.Uri): RaceSettings {
  const config = vscode.workspace.getConfiguration('goArchLens.race', scope);
  const mode = config.get<string>('mode', 'ask');
  const flags = config.get<unknown[]>('flags', []);
  const gorace = config.get<string>('gorace', '').trim();
  const timeoutSeconds = config.get<number>('timeout', 600);
  const goBinary = config.get<string>('goBinary', '').trim();
  return {
    mode: MODES.includes(mode as ModeSetting) ? (mode as ModeSetting) : 'ask',
    flags: Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string' && f !== '') : [],
    gorace: gorace === '' ? undefined : gorace,
    timeoutMs: typeof timeoutSeconds === 'number' && timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
    goBinary: goBinary === '' ? undefined : goBinary,
    codeLens: config.get<boolean>('codeLens', true),
  };
}

import type { Target } from '../../core/src/api';
import { ALL_ANALYZERS, DEFAULT_ANALYZERS } from '../../core/src/analysis/registry';
import { DEFAULT_TARGETS, parseTarget, targetKey } from '../../core/src/targets';
import { TOOL_TAG_VARIABLES } from '../../core/src/toolchain/toolTags';

/** The `goArchLens` configuration section, validated. */
export interface Settings {
  /** The user's `goArchLens.targets`, else the built-in default; a project file applies only when not `targetsFromUser`. */
  targets: Target[];
  /** Whether the user set `goArchLens.targets` (a valid entry at least), which then beats the project's `.go-arch-lens.json`. */
  targetsFromUser: boolean;
  hints: {
    structSize: boolean;
    fieldOffsets: boolean;
    padding: boolean;
  };
  diagnostics: {
    enable: boolean;
    /** Names of the analyzers whose findings are published. */
    analyzers: string[];
    /** Also publish the field-order suggestions (as hints); their fix is offered as a refactoring either way. */
    fieldOrderHints: boolean;
  };
  /** The target fixes assume when a file's build constraints do not pin one down. */
  fallbackTarget: Target;
  /** The compiler's verdict per target (trusted workspaces only). */
  build: {
    enable: boolean;
    /** Also show errors every target, the host included, has (gopls reports those). */
    showErrorsOnEveryTarget: boolean;
    /** Per target: the compiler is killed after this long (a pathological package must not run for hours). */
    timeoutSeconds: number;
  };
  /** GOEXPERIMENT, GOAMD64, GOARM… set in `goArchLens.toolchainEnv` (over the server's environment). */
  toolchainEnv: Record<string, string>;
}

export const DEFAULT_SETTINGS: Settings = {
  targets: DEFAULT_TARGETS,
  targetsFromUser: false,
  hints: { structSize: true, fieldOffsets: false, padding: true },
  diagnostics: { enable: true, analyzers: DEFAULT_ANALYZERS.map((a) => a.name), fieldOrderHints: false },
  fallbackTarget: { goos: 'linux', goarch: 'amd64' },
  build: { enable: true, showErrorsOnEveryTarget: false, timeoutSeconds: 120 },
  toolchainEnv: {},
};

export interface ParsedSettings {
  settings: Settings;
  /** One message per invalid `goArchLens.targets` entry, e.g. `"linux/x86": "x86" is not a GOARCH …`. */
  problems: string[];
  /** Invalid values of the other settings, each naming its setting and what is used instead. */
  otherProblems: string[];
}

/**
 * Validates the raw section the client sent. Invalid targets are dropped with a problem each; with no valid target
 * left (or none set) the project's `.go-arch-lens.json`, else the defaults apply, so hints never silently disappear.
 */
export function parseSettings(raw: unknown): ParsedSettings {
  const section = isRecord(raw) ? raw : {};
  const hints = isRecord(section.inlayHints) ? section.inlayHints : {};
  const diagnostics = isRecord(section.diagnostics) ? section.diagnostics : {};
  const build = isRecord(section.build) ? section.build : {};
  const problems: string[] = [];
  const otherProblems: string[] = [];
  const targets: Target[] = [];
  const rawTargets = Array.isArray(section.targets) ? section.targets : undefined;
  for (const entry of rawTargets ?? []) {
    const parsed = typeof entry === 'string' ? parseTarget(entry) : `${JSON.stringify(entry)} is not a "GOOS/GOARCH" string`;
    if (typeof parsed === 'string') problems.push(parsed);
    else if (!targets.some((t) => targetKey(t) === targetKey(parsed))) targets.push(parsed);
  }
  return {
    settings: {
      targets: targets.length > 0 ? targets : DEFAULT_SETTINGS.targets,
      targetsFromUser: targets.length > 0,
      hints: {
        structSize: flag(hints.structSize, DEFAULT_SETTINGS.hints.structSize),
        fieldOffsets: flag(hints.fieldOffsets, DEFAULT_SETTINGS.hints.fieldOffsets),
        padding: flag(hints.padding, DEFAULT_SETTINGS.hints.padding),
      },
      diagnostics: {
        enable: flag(diagnostics.enable, DEFAULT_SETTINGS.diagnostics.enable),
        analyzers: analyzerNames(diagnostics.analyzers, otherProblems),
        fieldOrderHints: flag(diagnostics.fieldOrderHints, DEFAULT_SETTINGS.diagnostics.fieldOrderHints),
      },
      fallbackTarget: fallbackTarget(section.fallbackTarget, otherProblems),
      build: {
        enable: flag(build.enable, DEFAULT_SETTINGS.build.enable),
        showErrorsOnEveryTarget: flag(build.showErrorsOnEveryTarget, DEFAULT_SETTINGS.build.showErrorsOnEveryTarget),
        timeoutSeconds: typeof build.timeoutSeconds === 'number' && build.timeoutSeconds > 0 ? build.timeoutSeconds : DEFAULT_SETTINGS.build.timeoutSeconds,
      },
      toolchainEnv: toolchainEnv(section.toolchainEnv, otherProblems),
    },
    problems,
    otherProblems,
  };
}

/** Known analyzer names from the setting, unknown ones reported; an absent or non-array value means the defaults. */
function analyzerNames(raw: unknown, problems: string[]): string[] {
  if (!Array.isArray(raw)) return DEFAULT_SETTINGS.diagnostics.analyzers;
  const known = ALL_ANALYZERS.map((a) => a.name);
  const names: string[] = [];
  for (const entry of raw) {
    if (typeof entry === 'string' && known.includes(entry)) {
      if (!names.includes(entry)) names.push(entry);
    } else {
      problems.push(`goArchLens.diagnostics.analyzers entry ${JSON.stringify(entry)} is not an analyzer (known: ${known.join(', ')})`);
    }
  }
  return names;
}

/** `goArchLens.toolchainEnv`: only the variables that change the toolchain's build tags, as strings. */
function toolchainEnv(raw: unknown, problems: string[]): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    problems.push(`goArchLens.toolchainEnv must be an object such as {"GOAMD64": "v3"}; ignored`);
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!(TOOL_TAG_VARIABLES as readonly string[]).includes(name)) {
      problems.push(`goArchLens.toolchainEnv: ${name} is not one of ${TOOL_TAG_VARIABLES.join(', ')}; ignored`);
    } else if (typeof value !== 'string') {
      problems.push(`goArchLens.toolchainEnv: ${name} must be a string; ignored`);
    } else if (value.trim()) {
      env[name] = value.trim();
    }
  }
  return env;
}

function fallbackTarget(raw: unknown, problems: string[]): Target {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_SETTINGS.fallbackTarget;
  const parsed = typeof raw === 'string' ? parseTarget(raw) : `${JSON.stringify(raw)} is not a "GOOS/GOARCH" string`;
  if (typeof parsed !== 'string') return parsed;
  problems.push(`goArchLens.fallbackTarget: ${parsed}; using ${targetKey(DEFAULT_SETTINGS.fallbackTarget)}`);
  return DEFAULT_SETTINGS.fallbackTarget;
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

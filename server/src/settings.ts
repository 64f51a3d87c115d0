import type { Target } from '../../core/src/api';
import { DEFAULT_TARGETS, parseTarget, targetKey } from '../../core/src/targets';

/** The `goArchLens` configuration section, validated. */
export interface Settings {
  targets: Target[];
  hints: {
    structSize: boolean;
    fieldOffsets: boolean;
    padding: boolean;
  };
}

export const DEFAULT_SETTINGS: Settings = {
  targets: DEFAULT_TARGETS,
  hints: { structSize: true, fieldOffsets: false, padding: true },
};

export interface ParsedSettings {
  settings: Settings;
  /** One message per invalid `goArchLens.targets` entry, e.g. `"linux/x86": "x86" is not a GOARCH …`. */
  problems: string[];
}

/**
 * Validates the raw section the client sent. Invalid targets are dropped with a problem each; with no valid target
 * left the defaults apply, so hints never silently disappear.
 */
export function parseSettings(raw: unknown): ParsedSettings {
  const section = isRecord(raw) ? raw : {};
  const hints = isRecord(section.inlayHints) ? section.inlayHints : {};
  const problems: string[] = [];
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
      hints: {
        structSize: flag(hints.structSize, DEFAULT_SETTINGS.hints.structSize),
        fieldOffsets: flag(hints.fieldOffsets, DEFAULT_SETTINGS.hints.fieldOffsets),
        padding: flag(hints.padding, DEFAULT_SETTINGS.hints.padding),
      },
    },
    problems,
  };
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

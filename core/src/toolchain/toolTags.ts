import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Target, ToolTags } from '../api';

export type { ToolTags };
import generated from '../generated/toolTags.json';

/**
 * The settings that change the tags the toolchain itself sets (`{{context.ToolTags}}`): GOEXPERIMENT and the
 * architecture level variables.
 */
export const TOOL_TAG_VARIABLES = [
  'GOEXPERIMENT', 'GOAMD64', 'GOARM', 'GOARM64', 'GO386', 'GOMIPS', 'GOMIPS64', 'GOPPC64', 'GORISCV64', 'GOWASM',
] as const;

export type ToolTagVariable = typeof TOOL_TAG_VARIABLES[number];
export type ToolchainEnv = Partial<Record<ToolTagVariable, string>>;

interface ToolTagTable {
  goVersion: string;
  generatedWith: string;
  experiments: string[];
  targets: Record<string, string[]>;
  /** Experiments a target keeps whatever GOEXPERIMENT says (go list with GOEXPERIMENT=none still shows them). */
  required: Record<string, string[]>;
  levels: Record<string, Record<string, Record<string, string[]>>>;
}

const table = generated as unknown as ToolTagTable;

/** The tool-tag variables set (non-empty) in an environment such as process.env. */
export function toolchainEnvFrom(env: Record<string, string | undefined>): ToolchainEnv {
  const picked: ToolchainEnv = {};
  for (const name of TOOL_TAG_VARIABLES) {
    const value = env[name]?.trim();
    if (value) picked[name] = value;
  }
  return picked;
}

/** `go1.26` from `go1.26.8` (the release a table is generated per). */
export function goRelease(version: string): string {
  return /^go1\.\d+/.exec(version)?.[0] ?? version;
}

/** The toolchain's version from GOROOT/VERSION (first line, e.g. `go1.26.8`), without running go. */
export function goVersionOf(goroot: string): string | undefined {
  try {
    const first = fs.readFileSync(path.join(goroot, 'VERSION'), 'utf8').split('\n')[0].trim();
    return /^go\d/.test(first) ? first : undefined;
  } catch {
    return undefined;
  }
}

/**
 * ToolTags from the generated table (core/src/generated/toolTags.json, written by scripts/gen-tool-tags from
 * the real toolchain), with GOEXPERIMENT and the level variables applied as the go command applies them.
 * `goVersion` is the toolchain's version when known: a different release is reported as a problem.
 */
export function tableToolTags(target: Target, env: ToolchainEnv, goVersion?: string): ToolTags {
  const key = `${target.goos}/${target.goarch}`;
  const problems: string[] = [];
  let base = table.targets[key];
  if (!base) {
    base = table.targets[`linux/${target.goarch}`] ?? table.targets[`js/${target.goarch}`] ?? [];
    problems.push(`${key} is not a ${table.goVersion} target; tags of ${target.goarch} on linux used`);
  }
  if (goVersion && goRelease(goVersion) !== table.goVersion) {
    problems.push(`the toolchain is ${goVersion} but the built-in tag table is for ${table.goVersion}`);
  }
  const levels = applyLevels(target.goarch, base.filter((t) => !t.startsWith('goexperiment.')), env, problems);
  const chosen = applyExperiments(base.filter((t) => t.startsWith('goexperiment.')), env.GOEXPERIMENT, problems);
  const experiments = new Set([...chosen, ...(table.required[key] ?? [])]);
  return { tags: [...experiments, ...levels], source: `the ${table.goVersion} table`, problems };
}

function applyLevels(goarch: string, defaults: string[], env: ToolchainEnv, problems: string[]): string[] {
  const byVariable = table.levels[goarch] ?? {};
  for (const [variable, values] of Object.entries(byVariable)) {
    const value = env[variable as ToolTagVariable];
    if (value === undefined) continue;
    const tags = values[value];
    if (tags) return tags;
    problems.push(`${variable}=${value} is not a value ${table.goVersion} accepts (${Object.keys(values).join(', ')}); default level tags used`);
  }
  return defaults;
}

/** GOEXPERIMENT as internal/buildcfg reads it: `name` turns an experiment on, `noname` off, `none` all off. */
function applyExperiments(defaults: string[], setting: string | undefined, problems: string[]): string[] {
  if (!setting) return defaults;
  const on = new Set(defaults.map((t) => t.slice('goexperiment.'.length)));
  for (const raw of setting.split(',')) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    if (item === 'none') {
      on.clear();
      continue;
    }
    const off = item.startsWith('no') && table.experiments.includes(item.slice(2));
    const name = off ? item.slice(2) : item;
    if (!table.experiments.includes(name)) {
      problems.push(`GOEXPERIMENT: unknown experiment ${raw.trim()} (the go command rejects it)`);
      continue;
    }
    if (off) on.delete(name);
    else on.add(name);
  }
  return [...on].map((name) => `goexperiment.${name}`);
}

/**
 * Asks the toolchain: `go list -f {{context.ToolTags}} runtime` for the target, with the user's tool-tag
 * settings. Runs without a shell, outside any workspace module and with GOTOOLCHAIN=local (never downloads).
 * Only call it where running go is allowed (a trusted workspace, the CLI).
 */
export function goListToolTags(goBinary: string, target: Target, env: ToolchainEnv, goVersion?: string): Promise<ToolTags | { error: string }> {
  const childEnv = {
    ...process.env, ...env, GOOS: target.goos, GOARCH: target.goarch, GOFLAGS: '', GOWORK: 'off', GOTOOLCHAIN: 'local',
  };
  return new Promise((resolve) => {
    execFile(goBinary, ['list', '-f', '{{context.ToolTags}} {{context.CgoEnabled}}', 'runtime'], { env: childEnv, cwd: os.tmpdir(), timeout: 30000 },
      (err, stdout, stderr) => {
        if (err) {
          resolve({ error: `go list for ${target.goos}/${target.goarch} failed: ${(stderr || err.message).split('\n')[0]}` });
          return;
        }
        const [list, cgoEnabled] = stdout.trim().split('] ');
        const tags = list.replace(/^\[/, '').split(/\s+/).filter(Boolean);
        // cgo is on for the host target when a C compiler is there (go env CGO_ENABLED): its files then build.
        if (cgoEnabled === 'true') tags.push('cgo');
        resolve({ tags, source: `go list${goVersion ? ` (${goVersion})` : ''}`, problems: [] });
      });
  });
}

import * as fs from 'fs';
import * as path from 'path';
import type { Target } from './api';
import { DEFAULT_TARGETS, parseTarget, targetKey } from './targets';

/** The file a project checks in to say which targets it ships; the nearest one above a Go file applies to it. */
export const PROJECT_FILE = '.go-arch-lens.json';

/** A project file larger than this is not read (it holds a short list). */
const MAX_PROJECT_FILE_BYTES = 64 * 1024;

/** Where the targets for a file came from, strongest first. */
export type TargetSource = 'explicit' | 'project' | 'default';

export interface ResolvedTargets {
  targets: Target[];
  source: TargetSource;
  /** The project file that applies to the file (set when one was found, even if `explicit` won or it was invalid). */
  projectFile?: string;
  /** What is wrong with that project file, each naming it; the targets then fall back to the default. */
  problems: string[];
}

interface ParsedProjectFile {
  targets: Target[];
  problems: string[];
}

/** Parsed project files by path, re-read when their modification time or size changes. */
const parsedCache = new Map<string, { stamp: string; parsed: ParsedProjectFile }>();

/**
 * The targets to use for `file` (a Go file or a folder): `explicit` ones (a `--targets` flag, the user's
 * `goArchLens.targets` setting) when given and non-empty; else those of the nearest `.go-arch-lens.json` in the
 * file's folder or above; else the built-in default. An unreadable or invalid project file gives the default with
 * its problems, never an empty list.
 */
export function resolveTargets(file: string, explicit?: Target[]): ResolvedTargets {
  const projectFile = findProjectFile(file);
  if (explicit && explicit.length > 0) return { targets: explicit, source: 'explicit', projectFile, problems: [] };
  if (!projectFile) return { targets: DEFAULT_TARGETS, source: 'default', problems: [] };
  const { targets, problems } = readProjectFile(projectFile);
  if (targets.length === 0) return { targets: DEFAULT_TARGETS, source: 'default', projectFile, problems };
  return { targets, source: 'project', projectFile, problems };
}

/** The nearest `.go-arch-lens.json` in `file`'s folder (or `file` itself when it is a folder) or any folder above. */
export function findProjectFile(file: string): string | undefined {
  let dir = path.resolve(file);
  if (!isDirectory(dir)) dir = path.dirname(dir);
  for (;;) {
    const candidate = path.join(dir, PROJECT_FILE);
    // Any kind of file stops the search: a FIFO or a device here is reported (parseProjectFile), not passed over.
    if (exists(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and validates a project file: `{"targets": ["linux/amd64", …]}`. */
export function readProjectFile(projectFile: string): ParsedProjectFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(projectFile);
  } catch (err) {
    return { targets: [], problems: [`${projectFile}: cannot be read (${(err as Error).message})`] };
  }
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const cached = parsedCache.get(projectFile);
  if (cached?.stamp === stamp) return cached.parsed;
  const parsed = parseProjectFile(projectFile, stat);
  parsedCache.set(projectFile, { stamp, parsed });
  return parsed;
}

function parseProjectFile(projectFile: string, stat: fs.Stats): ParsedProjectFile {
  const fail = (why: string): ParsedProjectFile => ({ targets: [], problems: [`${projectFile}: ${why}; using the default targets`] });
  // A FIFO would block the read and /dev/zero would never end it; stat follows links, so a link to either is caught.
  if (!stat.isFile()) return fail('not a regular file');
  if (stat.size > MAX_PROJECT_FILE_BYTES) return fail(`larger than ${MAX_PROJECT_FILE_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(projectFile, 'utf8'));
  } catch (err) {
    return fail(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('not a JSON object');
  const unknownKeys = Object.keys(raw).filter((key) => key !== 'targets' && key !== '$schema');
  const entries = (raw as Record<string, unknown>).targets;
  if (!Array.isArray(entries)) return fail('"targets" must be an array of "GOOS/GOARCH" strings');
  const targets: Target[] = [];
  const problems = unknownKeys.map((key) => `${projectFile}: ignoring unknown key ${JSON.stringify(key)}`);
  for (const entry of entries) {
    const parsed = typeof entry === 'string' ? parseTarget(entry) : `${JSON.stringify(entry)} is not a "GOOS/GOARCH" string`;
    if (typeof parsed === 'string') problems.push(`${projectFile}: ignoring target ${parsed}`);
    else if (!targets.some((t) => targetKey(t) === targetKey(parsed))) targets.push(parsed);
  }
  if (targets.length === 0) return { targets, problems: [...problems, `${projectFile}: no valid target; using the default targets`] };
  return { targets, problems };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    return Boolean(fs.statSync(p));
  } catch {
    return false;
  }
}

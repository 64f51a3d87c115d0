// Splits `./...` of a module by the targets each package folder resolves to: a folder under its own
// `.go-arch-lens.json` is checked for that file's targets, everything else for the root's. Without such a folder
// the split is the single `./...` it replaces, so the common case still costs one go run.
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../api';
import { PROJECT_FILE } from '../projectTargets';
import { targetKey } from '../targets';

export interface TargetGroup {
  targets: Target[];
  /** Relative to the root, as the go command takes them: `./...`, `./sub/...`, `./sub`. */
  patterns: string[];
  /** Whether a package folder is one of this group's (its findings and verdict belong to this group's run). */
  covers(dir: string): boolean;
}

/** What `./...` walks in a folder: go skips these, so their project files and Go files are none of its business. */
const GO_SKIPPED_DIR = /^(testdata|vendor|[._].*)$/;

interface FolderNode {
  dir: string;
  hasGoFiles: boolean;
  /** A `.go-arch-lens.json` here or in a folder below: the subtree cannot be one `dir/...` pattern. */
  projectFileBelow: boolean;
  hasGoBelow: boolean;
  children: FolderNode[];
}

/**
 * The groups `./...` at `root` splits into, one per distinct target set, the root's first. Symbolic links are not
 * followed (go does not follow them either), so a link loop ends nothing; folders of other modules are left out as
 * `./...` leaves them out, unless `root` holds go.work, where `./...` spans the workspace's modules.
 */
export function splitByTargets(root: string, targetsFor: (dir: string) => Target[]): TargetGroup[] {
  const tree = walk(root, fs.existsSync(path.join(root, 'go.work')));
  const rootTargets = targetsFor(root);
  if (!tree.projectFileBelow) return [wholeModule(root, rootTargets)];
  const groups = new Map<string, { targets: Target[]; patterns: string[]; subtrees: string[]; folders: Set<string> }>();
  const groupOf = (targets: Target[]) => {
    const key = targets.map(targetKey).join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, group = { targets, patterns: [], subtrees: [], folders: new Set() });
    return group;
  };
  groupOf(rootTargets);
  const assign = (node: FolderNode) => {
    const own = targetsFor(node.dir);
    if (!node.children.some((c) => c.projectFileBelow)) {
      // Every package below resolves to this folder's targets: go's own `...` lists them.
      if (node.hasGoFiles || node.hasGoBelow) {
        groupOf(own).patterns.push(`${relativePattern(root, node.dir)}/...`);
        groupOf(own).subtrees.push(node.dir);
      }
      return;
    }
    if (node.hasGoFiles) {
      groupOf(own).patterns.push(relativePattern(root, node.dir));
      groupOf(own).folders.add(node.dir);
    }
    for (const child of node.children) assign(child);
  };
  assign(tree);
  const split = [...groups.values()].filter((g) => g.patterns.length > 0);
  // Every package resolves to the same targets (a project file naming the root's again, or Go files only below one
  // project file): `./...` lists them all in a single run.
  if (split.length <= 1) return [wholeModule(root, split[0]?.targets ?? rootTargets)];
  return split.map(({ targets, patterns, subtrees, folders }) => ({
    targets, patterns,
    covers: (dir) => folders.has(dir) || subtrees.some((s) => isUnder(dir, s)),
  }));
}

function wholeModule(root: string, targets: Target[]): TargetGroup {
  return { targets, patterns: ['./...'], covers: (dir) => isUnder(dir, root) };
}

function isUnder(dir: string, ancestor: string): boolean {
  return dir === ancestor || dir.startsWith(ancestor + path.sep);
}

/** Reads the folder tree go would walk for `./...`, noting where Go files and project files are. */
function walk(root: string, spansModules: boolean): FolderNode {
  const top: FolderNode = { dir: root, hasGoFiles: false, projectFileBelow: false, hasGoBelow: false, children: [] };
  const visited: FolderNode[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visited.push(node);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(node.dir, { withFileTypes: true });
    } catch {
      continue;
    }
    // Any kind of entry counts, as for the Go files: resolving the targets reports a project file that is no file
    // (a FIFO is never opened). The root's own project file gives the root's targets, not a split.
    node.projectFileBelow = node !== top && entries.some((e) => e.name === PROJECT_FILE);
    node.hasGoFiles = entries.some((e) => e.name.endsWith('.go') && !e.isDirectory());
    for (const e of entries) {
      if (!e.isDirectory() || GO_SKIPPED_DIR.test(e.name)) continue;
      const dir = path.join(node.dir, e.name);
      if (!spansModules && fs.existsSync(path.join(dir, 'go.mod'))) continue;
      const child: FolderNode = { dir, hasGoFiles: false, projectFileBelow: false, hasGoBelow: false, children: [] };
      node.children.push(child);
      stack.push(child);
    }
  }
  // Children were visited after their parents: in reverse, each folder sees its children's totals.
  for (const node of visited.reverse()) {
    for (const child of node.children) {
      node.projectFileBelow ||= child.projectFileBelow;
      node.hasGoBelow ||= child.hasGoFiles || child.hasGoBelow;
    }
  }
  return top;
}

/** `./sub/pkg` for a folder under `base` (`.` for `base` itself, `../x` beside it), as go takes a local path. */
export function relativePattern(base: string, dir: string): string {
  const rel = path.relative(base, dir).split(path.sep).join('/');
  if (rel === '') return '.';
  return rel === '..' || rel.startsWith('../') ? rel : `./${rel}`;
}

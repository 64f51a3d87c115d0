import * as fs from 'fs';
import * as path from 'path';
import { readSourceFile, type SkippedFile } from './sourceFiles';

/** What the engine needs from a go.mod: the module path, where required modules live, local replacements. */
export interface ModuleInfo {
  root: string;
  modulePath: string;
  requires: Map<string, string>;
  /** Module path → absolute folder of a `replace x => ./local` directive. */
  localReplaces: Map<string, string>;
  /** Module path → replacement `path version` for a `replace x => y v1.2.3` directive. */
  moduleReplaces: Map<string, { path: string; version: string }>;
}

export function parseGoMod(root: string, text: string): ModuleInfo {
  const info: ModuleInfo = {
    root, modulePath: '', requires: new Map(), localReplaces: new Map(), moduleReplaces: new Map(),
  };
  let block: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (block) {
      if (line === ')') { block = undefined; continue; }
      addDirective(info, block, line);
      continue;
    }
    const m = /^(module|require|replace)\s+(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === '(') block = m[1];
    else addDirective(info, m[1], m[2]);
  }
  return info;
}

function unquote(word: string): string {
  return word.replace(/^"(.*)"$/, '$1');
}

function addDirective(info: ModuleInfo, verb: string, args: string): void {
  const words = args.split(/\s+/).map(unquote);
  if (verb === 'module') {
    info.modulePath = words[0];
  } else if (verb === 'require' && words.length >= 2) {
    info.requires.set(words[0], words[1]);
  } else if (verb === 'replace') {
    const arrow = words.indexOf('=>');
    if (arrow < 1) return;
    const target = words[arrow + 1];
    const version = words[arrow + 2];
    if (!target) return;
    if (target.startsWith('./') || target.startsWith('../') || path.isAbsolute(target)) {
      info.localReplaces.set(words[0], path.resolve(info.root, target));
    } else if (version) {
      info.moduleReplaces.set(words[0], { path: target, version });
    }
  }
}

/** The module cache escapes upper-case letters as `!` plus the lower-case letter. */
export function escapeModulePath(modulePath: string): string {
  return modulePath.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

/** Finds and caches the go.mod governing each folder. */
export class ModuleFinder {
  private readonly byDir = new Map<string, ModuleInfo | null>();
  /** go.mod files that were refused, so a command lists them with the skipped sources rather than going silent. */
  private readonly skipped = new Map<string, SkippedFile>();

  forDir(dir: string): ModuleInfo | undefined {
    const cached = this.byDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let found: ModuleInfo | null = null;
    const goMod = path.join(dir, 'go.mod');
    if (fs.existsSync(goMod)) {
      // A go.mod that is a FIFO or a device is refused like any other source file, never read until it ends.
      const read = readSourceFile(goMod);
      if ('skipped' in read) this.skipped.set(goMod, read.skipped);
      try {
        found = 'text' in read ? parseGoMod(dir, read.text) : null;
      } catch {
        found = null;
      }
    } else {
      const parent = path.dirname(dir);
      found = parent !== dir ? this.forDir(parent) ?? null : null;
    }
    this.byDir.set(dir, found);
    return found ?? undefined;
  }

  /** The go.mod files consulted so far that could not be read (their folders then have no module). */
  skippedFiles(): SkippedFile[] {
    return [...this.skipped.values()];
  }

  invalidate(): void {
    this.byDir.clear();
    this.skipped.clear();
  }
}

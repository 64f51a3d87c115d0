import * as fs from 'fs';
import * as path from 'path';
import { listGoFiles } from '../../core/src/resolve/sourceFiles';
import { UsageError } from './args';

/**
 * Expands command-line paths to Go files: a file stays itself, a folder means its .go files, and `dir/...` means
 * the .go files of dir and every folder below it except those the go command skips too (testdata, vendor, and
 * names starting with `.` or `_`).
 */
export function expandGoPaths(args: string[]): string[] {
  return args.flatMap((arg) => {
    const recursive = arg === '...' || arg.endsWith('/...');
    const base = path.resolve(recursive ? arg.slice(0, -3) || '.' : arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(base);
    } catch {
      throw new UsageError(`${arg}: no such file or folder`);
    }
    if (!stat.isDirectory()) {
      if (recursive) throw new UsageError(`${arg}: not a folder`);
      return [base];
    }
    return recursive ? goFilesBelow(base) : listGoFiles(base);
  });
}

function goFilesBelow(dir: string): string[] {
  const files = listGoFiles(dir);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || SKIPPED_DIR.test(entry.name)) continue;
    files.push(...goFilesBelow(path.join(dir, entry.name)));
  }
  return files;
}

const SKIPPED_DIR = /^(testdata|vendor|[._].*)$/;

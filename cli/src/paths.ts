import * as fs from 'fs';
import * as path from 'path';
import { listGoFiles } from '../../core/src/resolve/sourceFiles';
import { UsageError } from './args';

/**
 * Expands command-line paths to Go files: a file stays itself, a folder means its .go files, and `dir/...` means
 * the .go files of dir and every folder below it except those the go command skips too (testdata, vendor, and
 * names starting with `.` or `_`). The standard library's own vendor folders (GOROOT/src/vendor and
 * src/cmd/vendor, next to the go.mod of module `std` or `cmd`) are kept: their packages are part of `std` and `cmd`.
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
    if (!entry.isDirectory()) continue;
    if (SKIPPED_DIR.test(entry.name) && !(entry.name === 'vendor' && isToolchainModule(dir))) continue;
    files.push(...goFilesBelow(path.join(dir, entry.name)));
  }
  return files;
}

const SKIPPED_DIR = /^(testdata|vendor|[._].*)$/;

/** Whether `dir` is the root of GOROOT's `std` or `cmd` module, whose vendored packages belong to the build. */
function isToolchainModule(dir: string): boolean {
  try {
    return /^module\s+(std|cmd)\s*$/m.test(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'));
  } catch {
    return false;
  }
}

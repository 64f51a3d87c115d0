import * as fs from 'fs';
import * as path from 'path';
import { escapeModulePath, ModuleFinder } from './modules';

export type ImportLocation = { dir: string } | { error: string; isStd: boolean };

export function isStdImportPath(importPath: string): boolean {
  return !importPath.split('/')[0].includes('.');
}

/** Maps import paths to folders the way the go command does in module mode (std, module, vendor, module cache). */
export class ImportResolver {
  private readonly dirExists = new Map<string, boolean>();

  constructor(
    private readonly modules: ModuleFinder,
    private readonly goroot: string | undefined,
    private readonly gomodcache: string | undefined,
  ) {}

  resolve(fromDir: string, importPath: string): ImportLocation {
    if (isStdImportPath(importPath)) return this.resolveStd(importPath);
    const gorootVendor = this.gorootVendorFor(fromDir, importPath);
    if (gorootVendor) return { dir: gorootVendor };
    const mod = this.modules.forDir(fromDir);
    if (!mod) return { error: `cannot find package "${importPath}": ${fromDir} is not inside a Go module`, isStd: false };
    if (importPath === mod.modulePath || importPath.startsWith(mod.modulePath + '/')) {
      return this.existing(path.join(mod.root, importPath.slice(mod.modulePath.length)), importPath);
    }
    const vendored = path.join(mod.root, 'vendor', importPath);
    if (this.exists(vendored)) return { dir: vendored };
    const required = longestModulePrefix(importPath, [...mod.requires.keys(), ...mod.localReplaces.keys()]);
    if (!required) {
      return { error: `cannot find package "${importPath}": no module in go.mod provides it`, isStd: false };
    }
    const rest = importPath.slice(required.length);
    const local = mod.localReplaces.get(required);
    if (local) return this.existing(path.join(local, rest), importPath);
    const replaced = mod.moduleReplaces.get(required);
    const modPath = replaced?.path ?? required;
    const version = replaced?.version ?? mod.requires.get(required)!;
    if (!this.gomodcache) {
      return { error: `cannot find package "${importPath}": the module cache location is unknown`, isStd: false };
    }
    const dir = path.join(this.gomodcache, `${escapeModulePath(modPath)}@${version}`, rest);
    if (this.exists(dir)) return { dir };
    return { error: `cannot find package "${importPath}": ${modPath}@${version} is not in the module cache (run go mod download)`, isStd: false };
  }

  private resolveStd(importPath: string): ImportLocation {
    if (!this.goroot) return { error: `standard library sources are not available (no GOROOT)`, isStd: true };
    return this.existing(path.join(this.goroot, 'src', importPath), importPath, true);
  }

  /** Standard-library packages import golang.org/x/… from GOROOT's own vendor folders. */
  private gorootVendorFor(fromDir: string, importPath: string): string | undefined {
    if (!this.goroot) return undefined;
    const src = path.join(this.goroot, 'src');
    if (!fromDir.startsWith(src + path.sep)) return undefined;
    const cmdDir = path.join(src, 'cmd');
    const vendorRoot = fromDir === cmdDir || fromDir.startsWith(cmdDir + path.sep)
      ? path.join(cmdDir, 'vendor') : path.join(src, 'vendor');
    const dir = path.join(vendorRoot, importPath);
    return this.exists(dir) ? dir : undefined;
  }

  private existing(dir: string, importPath: string, isStd = false): ImportLocation {
    return this.exists(dir) ? { dir } : { error: `cannot find package "${importPath}" (no folder ${dir})`, isStd };
  }

  private exists(dir: string): boolean {
    let known = this.dirExists.get(dir);
    if (known === undefined) {
      try {
        known = fs.statSync(dir).isDirectory();
      } catch {
        known = false;
      }
      this.dirExists.set(dir, known);
    }
    return known;
  }

  invalidate(): void {
    this.dirExists.clear();
  }
}

function longestModulePrefix(importPath: string, modulePaths: string[]): string | undefined {
  let best: string | undefined;
  for (const m of modulePaths) {
    if ((importPath === m || importPath.startsWith(m + '/')) && (!best || m.length > best.length)) best = m;
  }
  return best;
}

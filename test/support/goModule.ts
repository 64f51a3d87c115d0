import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readGoEnv } from '../../core/src/goEnv';

const createdRoots: string[] = [];
process.on('exit', () => {
  for (const root of createdRoots) fs.rmSync(root, { recursive: true, force: true });
});

/** Writes a throw-away Go module from a map of relative path → content; returns its root (removed at exit). */
export function writeModule(files: Record<string, string>, prefix = 'gal-test-'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  createdRoots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

/** The real toolchain's GOROOT and GOMODCACHE; tests need a working `go`. */
export function realGoEnv(): { goroot: string; gomodcache: string } {
  const env = readGoEnv();
  if ('error' in env || !env.GOROOT || !env.GOMODCACHE) {
    throw new Error(`these tests need the go toolchain: ${'error' in env ? env.error : 'go env is incomplete'}`);
  }
  return { goroot: env.GOROOT, gomodcache: env.GOMODCACHE };
}

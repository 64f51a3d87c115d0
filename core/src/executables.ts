// Looking for programs the way a shell would, shared by the race preflight (go, the C compiler) and the Delve
// lookup, so that both read PATH and judge executables alike.
import * as fs from 'fs';

/** PATH is spelled `Path` on Windows, where environment names ignore case. */
export function pathVariable(env: NodeJS.ProcessEnv): string {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  return key === undefined ? '' : env[key] ?? '';
}

/** A regular file this user may run (Windows has no execute bit: existing is enough there). */
export function isExecutableFile(file: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// Finds the Delve binary: the goArchLens.dlvPath setting, then PATH, then where `go install` puts it (the first
// GOPATH entry's bin, then GOBIN). When none has it, the result says how to install it instead of failing later
// with a spawn error.
import { execFile } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { isExecutableFile, pathVariable } from '../executables';

export const DLV_INSTALL_COMMAND = 'go install github.com/go-delve/delve/cmd/dlv@latest';

export type DlvSource = 'setting' | 'PATH' | 'GOPATH' | 'GOBIN';

export type DlvLocation =
  | { found: true; path: string; source: DlvSource }
  | { found: false; message: string; installCommand: string };

export interface GoInstallDirs {
  /** `go env GOPATH`: one or more entries joined by the path list separator */
  gopath?: string;
  /** `go env GOBIN`, empty when unset */
  gobin?: string;
}

export interface LocateDlvOptions {
  /** goArchLens.dlvPath; empty or absent means search */
  configuredPath?: string;
  env: NodeJS.ProcessEnv;
  goDirs: GoInstallDirs;
  platform?: NodeJS.Platform;
}

function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'dlv.exe' : 'dlv';
}

/** Candidate paths in search order, each with where it came from. */
export function dlvCandidates(options: LocateDlvOptions): { path: string; source: DlvSource }[] {
  const platform = options.platform ?? process.platform;
  const exe = executableName(platform);
  const delimiter = platform === 'win32' ? ';' : ':';
  const candidates: { path: string; source: DlvSource }[] = [];
  const pathVar = pathVariable(options.env);
  for (const dir of pathVar.split(delimiter).filter(Boolean)) candidates.push({ path: path.join(dir, exe), source: 'PATH' });
  const firstGopath = (options.goDirs.gopath ?? '').split(delimiter).find(Boolean);
  if (firstGopath) candidates.push({ path: path.join(firstGopath, 'bin', exe), source: 'GOPATH' });
  if (options.goDirs.gobin) candidates.push({ path: path.join(options.goDirs.gobin, exe), source: 'GOBIN' });
  return candidates;
}

export function locateDlv(options: LocateDlvOptions): DlvLocation {
  const configured = options.configuredPath?.trim();
  if (configured) {
    // A setting that points nowhere is a mistake to report, not a reason to pick some other dlv silently.
    if (isExecutableFile(configured)) return { found: true, path: configured, source: 'setting' };
    return {
      found: false,
      message: `The setting goArchLens.dlvPath is "${configured}", which is not an executable file. Fix the setting, ` +
        `or clear it to search PATH, GOPATH/bin and GOBIN, after installing Delve with: ${DLV_INSTALL_COMMAND}`,
      installCommand: DLV_INSTALL_COMMAND,
    };
  }
  const hit = dlvCandidates(options).find((candidate) => isExecutableFile(candidate.path));
  if (hit) return { found: true, ...hit };
  return {
    found: false,
    message: 'Delve (dlv) was not found on PATH, in GOPATH/bin or in GOBIN, and debugging needs it. ' +
      `Install it with: ${DLV_INSTALL_COMMAND} (or set goArchLens.dlvPath to its location).`,
    installCommand: DLV_INSTALL_COMMAND,
  };
}

/**
 * GOPATH and GOBIN as the `go` on PATH reports them (run without a shell). Without a working go, the environment's
 * GOPATH or go's default ~/go stands in, since a dlv installed earlier may still be there.
 */
export function readGoInstallDirs(env: NodeJS.ProcessEnv, cwd?: string): Promise<GoInstallDirs> {
  const fallback: GoInstallDirs = { gopath: env.GOPATH || path.join(os.homedir(), 'go'), gobin: env.GOBIN || undefined };
  return new Promise((resolve) => {
    execFile('go', ['env', '-json', 'GOPATH', 'GOBIN'], { env, cwd, timeout: 15_000 }, (err, stdout) => {
      if (err) return resolve(fallback);
      try {
        const parsed = JSON.parse(stdout) as { GOPATH?: string; GOBIN?: string };
        resolve({ gopath: parsed.GOPATH || fallback.gopath, gobin: parsed.GOBIN || undefined });
      } catch {
        resolve(fallback);
      }
    });
  });
}

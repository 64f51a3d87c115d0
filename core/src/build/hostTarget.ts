import { execFile } from 'child_process';
import type { Target } from '../api';

/**
 * The target the go command builds for when GOOS/GOARCH are not set by us: `go env GOOS GOARCH` (what gopls
 * checks too). Run without a shell.
 */
export function hostTarget(goBinary: string, env: NodeJS.ProcessEnv = process.env): Promise<Target | { error: string }> {
  return new Promise((resolve) => {
    execFile(goBinary, ['env', '-json', 'GOOS', 'GOARCH'], { env, timeout: 30_000, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve({ error: code === 'ENOENT' ? `${goBinary} was not found (is Go installed and on PATH?)` : `go env failed: ${(stderr || err.message).trim()}` });
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as { GOOS?: string; GOARCH?: string };
        if (parsed.GOOS && parsed.GOARCH) resolve({ goos: parsed.GOOS, goarch: parsed.GOARCH });
        else resolve({ error: 'go env did not say GOOS and GOARCH' });
      } catch {
        resolve({ error: `go env printed no JSON: ${stdout.slice(0, 200)}` });
      }
    });
  });
}

import { execFileSync } from 'child_process';
import { HUNG_AFTER_MS } from './timeouts';

/** The x/sys release the tests pin; the test setup downloads it from the Go module proxy. */
export const XSYS_VERSION = 'v0.49.0';

/** Makes sure golang.org/x/sys at the pinned version is in the module cache; returns its folder. */
export function ensureXSys(): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `golang.org/x/sys@${XSYS_VERSION}`], {
    encoding: 'utf8', timeout: HUNG_AFTER_MS,
  });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`cannot download golang.org/x/sys@${XSYS_VERSION}: ${info.Error ?? out}`);
  return info.Dir;
}

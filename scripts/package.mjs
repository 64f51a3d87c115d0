// `npm run package`: builds the bundles and packs them with vsce into go-arch-lens-<version>.vsix at the
// repository root. .vscodeignore decides what goes in; --no-dependencies because dist/ needs no node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVsce, repoRoot, run } from './setup-tools.mjs';

export function vsixPath() {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
}

/** Builds (unless build is false) and packages; resolves to the .vsix path. */
export async function packageExtension({ build = true, log = console.log } = {}) {
  if (build) await run('npm', ['run', 'build'], { cwd: repoRoot });
  const vsce = await ensureVsce(log);
  const out = vsixPath();
  fs.rmSync(out, { force: true });
  // vsce asks before packaging without a LICENSE file; with no terminal attached it answers yes by itself.
  const output = await run(vsce, [
    'package', '--no-dependencies',
    // vsce rewrites the README's relative image links to the repository's raw files (package.json's repository):
    // VS Code's extension page does not resolve relative images, not even from the installed package (seen in
    // code-server 4.100.3), and the Marketplace resolves them against the repository anyway. Issue syntax stays as
    // written (no links made inside code blocks).
    '--no-gitHubIssueLinking',
    '--out', out,
  ], { cwd: repoRoot });
  log(output.trim());
  if (!fs.existsSync(out)) throw new Error(`vsce finished but ${out} is missing`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  packageExtension().catch((err) => {
    console.error(`packaging failed: ${err.message}`);
    process.exit(1);
  });
}

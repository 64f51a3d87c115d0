// Installs the tools the real-editor tests need into the git-ignored .tools/ folder: code-server (a real VS Code
// that runs on Node 20 without a desktop), vsce (the .vsix packager) and Delve (dlv, for the debugger tests).
// Idempotent: a finished install leaves a marker with its version, and a present marker means nothing to do.
//
// Usage: node scripts/setup-tools.mjs        (prints what it installed and how long it took)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = path.join(repoRoot, '.tools');

// 4.100.3 (VS Code 1.100.3) is the newest code-server whose server runs on Node 20.
const CODE_SERVER_VERSION = '4.100.3';
const VSCE_VERSION = '3.9.2';
// The newest Delve on the Go module proxy (go list -m -versions github.com/go-delve/delve) that builds with Go 1.26.
const DLV_VERSION = 'v1.27.2';
// @vscode/ripgrep (a code-server dependency) downloads rg from outside the npm registry unless this archive is in
// its cache folder under the temp dir; these names belong to the @vscode/ripgrep version code-server 4.100.3 pins.
const RIPGREP_CACHE_FOLDER = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** Where Debian's/NodeSource's nodejs package puts include/node. */
const NODE_HEADERS_PREFIX = path.dirname(path.dirname(process.execPath));

const codeServerDir = path.join(toolsDir, 'code-server');
const vsceDir = path.join(toolsDir, 'vsce');
const dlvDir = path.join(toolsDir, 'dlv');

export function codeServerBin() {
  return path.join(codeServerDir, 'node_modules', '.bin', 'code-server');
}

export function vsceBin() {
  return path.join(vsceDir, 'node_modules', '.bin', 'vsce');
}

export function dlvBin() {
  return path.join(dlvDir, 'bin', process.platform === 'win32' ? 'dlv.exe' : 'dlv');
}

/** Debian's Chromium (playwright's own browser builds cannot be downloaded here); CHROMIUM_PATH overrides. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error('Chromium not found: install it with `apt-get install chromium` or set CHROMIUM_PATH');
  }
  return found;
}

/** Runs a command without a shell; rejects with its captured output when it exits non-zero. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    const keep = (chunk) => {
      output += chunk;
      if (options.echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new Error(`cannot start ${command}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`));
    });
  });
}

function markerFile(dir) {
  return path.join(dir, '.installed-version');
}

function isInstalled(dir, version, bin) {
  try {
    return fs.readFileSync(markerFile(dir), 'utf8').trim() === version && fs.existsSync(bin);
  } catch {
    return false;
  }
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks for a cached download. */
async function seedRipgrepCache(tempDir) {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((file) => fs.existsSync(file));
  if (!rg) throw new Error('ripgrep not found: install it with `apt-get install ripgrep` (code-server needs it offline)');
  const cacheDir = path.join(tempDir, RIPGREP_CACHE_FOLDER);
  const stageDir = path.join(tempDir, 'rg-stage');
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.mkdirSync(stageDir, { recursive: true });
  fs.copyFileSync(rg, path.join(stageDir, 'rg'));
  await run('tar', ['-czf', path.join(cacheDir, RIPGREP_ARCHIVE), '-C', stageDir, 'rg']);
}

async function npmInstall(dir, spec, env) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from walking up into the repository's manifest.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'tools', private: true }) + '\n');
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--unsafe-perm', spec], { cwd: dir, env });
}

/** Installs code-server unless the wanted version is already there; returns the path of its launcher. */
export async function ensureCodeServer(log = console.log) {
  const bin = codeServerBin();
  if (isInstalled(codeServerDir, CODE_SERVER_VERSION, bin)) return bin;
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, codeServerDir)} (takes a few minutes)`);
  const started = Date.now();
  const tempDir = path.join(toolsDir, 'tmp');
  fs.rmSync(tempDir, { recursive: true, force: true });
  await seedRipgrepCache(tempDir);
  const env = {
    ...process.env,
    TMPDIR: tempDir,
    // node-pty's install step calls npx, which would otherwise wait for a "yes" that never comes.
    npm_config_yes: 'true',
  };
  // Native modules (node-pty, kerberos, argon2 fallback) compile against Node's headers; node-gyp would download
  // them unless told where the installed ones are.
  if (!env.npm_config_nodedir && fs.existsSync(path.join(NODE_HEADERS_PREFIX, 'include', 'node', 'node.h'))) {
    env.npm_config_nodedir = NODE_HEADERS_PREFIX;
  }
  await npmInstall(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, env);
  if (!fs.existsSync(bin)) throw new Error(`code-server installed but ${bin} is missing`);
  fs.writeFileSync(markerFile(codeServerDir), CODE_SERVER_VERSION + '\n');
  fs.rmSync(tempDir, { recursive: true, force: true });
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

/** Installs vsce unless the wanted version is already there; returns the path of its launcher. */
export async function ensureVsce(log = console.log) {
  const bin = vsceBin();
  if (isInstalled(vsceDir, VSCE_VERSION, bin)) return bin;
  log(`installing @vscode/vsce@${VSCE_VERSION} into ${path.relative(repoRoot, vsceDir)}`);
  const started = Date.now();
  await npmInstall(vsceDir, `@vscode/vsce@${VSCE_VERSION}`, process.env);
  if (!fs.existsSync(bin)) throw new Error(`vsce installed but ${bin} is missing`);
  fs.writeFileSync(markerFile(vsceDir), VSCE_VERSION + '\n');
  log(`vsce installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

/** Builds the pinned Delve from the Go module proxy into .tools/dlv/bin unless it is there; returns its path. */
export async function ensureDlv(log = console.log) {
  const bin = dlvBin();
  if (isInstalled(dlvDir, DLV_VERSION, bin)) return bin;
  log(`installing dlv ${DLV_VERSION} into ${path.relative(repoRoot, dlvDir)} (go install, about a minute)`);
  const started = Date.now();
  fs.rmSync(dlvDir, { recursive: true, force: true });
  fs.mkdirSync(dlvDir, { recursive: true });
  // Run outside the repository so no go.mod or go.work of ours takes part in the build.
  await run('go', ['install', `github.com/go-delve/delve/cmd/dlv@${DLV_VERSION}`], {
    cwd: dlvDir,
    env: { ...process.env, GOBIN: path.dirname(bin), GOFLAGS: '' },
  });
  if (!fs.existsSync(bin)) throw new Error(`go install of dlv finished but ${bin} is missing`);
  fs.writeFileSync(markerFile(dlvDir), DLV_VERSION + '\n');
  log(`dlv installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

export async function ensureAllTools(log = console.log) {
  chromiumPath();
  await ensureCodeServer(log);
  await ensureVsce(log);
  await ensureDlv(log);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  ensureAllTools().then(
    () => console.log(`tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${codeServerBin()}, ${vsceBin()}, ${dlvBin()}`),
    (err) => {
      console.error(`tool setup failed: ${err.message}`);
      process.exit(1);
    },
  );
}

// The .vsix users install (vsce stores the README as readme.md): packaged by `npm run package`'s code, checked for what it holds and leaves out, then
// installed with code-server's own installer and run there (activation and hints) from the installed copy.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installedExtensionName, installVsix } from '../../scripts/code-server.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { ensureCodeServer, repoRoot } from '../../scripts/setup-tools.mjs';
import { runIntegrationSuite } from './run-code-server.mjs';

/** Names of the entries in a zip file, read from its central directory. */
function zipEntryNames(file) {
  const zip = fs.readFileSync(file);
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  const CENTRAL_ENTRY = 0x02014b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  assert.ok(end >= 0, `${file} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), CENTRAL_ENTRY, `corrupt central directory in ${file}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Files under a repository folder, relative to the repository, e.g. media/screenshot.png. */
function filesUnder(folder) {
  const dir = path.join(repoRoot, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)));
}

describe('packaged .vsix', function () {
  this.timeout(5 * 60_000);
  let vsix;
  let entries;
  const temps = [];

  before(async function () {
    this.timeout(10 * 60_000); // the first run installs vsce and code-server
    assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'client.js')), 'dist/client.js is missing: run npm run build');
    vsix = await packageExtension({ build: false, log: () => {} });
    entries = zipEntryNames(vsix).filter((name) => name.startsWith('extension/')).map((name) => name.slice('extension/'.length));
  });

  after(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('holds the bundles, the WASM files, the manifest, the README, media and syntaxes', () => {
    const required = [
      'package.json', 'readme.md', 'dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/parseWorker.js',
      'dist/tree-sitter.wasm', 'dist/tree-sitter-go.wasm', ...filesUnder('media'), ...filesUnder('syntaxes'),
    ];
    const missing = required.filter((file) => !entries.includes(file));
    assert.deepEqual(missing, [], `missing from ${path.basename(vsix)}; it holds: ${entries.join(', ')}`);
  });

  it('leaves out sources, tests, tools, source maps and node_modules', () => {
    const unwanted = entries.filter((name) =>
      /^(node_modules|core|server|client|cli|test|out|scripts|bench|examples|\.tools|\.ci|test-artifacts)\//.test(name)
      || /\.(ts|map)$/.test(name));
    assert.deepEqual(unwanted, []);
  });

  it('installs into code-server and shows hints from the installed copy', async () => {
    await ensureCodeServer();
    const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-vsix-extensions-'));
    temps.push(extensionsDir);
    await installVsix(vsix, extensionsDir);
    const installed = path.join(extensionsDir, installedExtensionName);
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'server.js')), `code-server did not unpack the extension into ${installed}`);
    const result = await runIntegrationSuite({
      extensionsDir,
      extensionPath: installed,
      grep: '^(activation|inlay hints) ',
      name: 'vsix',
      log: () => {},
    });
    assert.equal(result.error, undefined);
    const failed = (result.summary?.failed ?? []).map((f) => `${f.title}: ${f.error}`);
    assert.deepEqual(failed, []);
    assert.equal(result.exitCode, 0);
    assert.ok(result.summary.passes >= 4, `only ${result.summary.passes} tests ran against the installed copy`);
  });
});

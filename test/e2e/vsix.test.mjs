// The .vsix users install (vsce stores the README as readme.md): packaged by `npm run package`'s code, checked for what it holds and leaves out, then
// installed with code-server's own installer and run there (activation and hints) from the installed copy.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { installedExtensionName, installVsix } from '../../scripts/code-server.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { ensureCodeServer, ensureVsce, repoRoot, run } from '../../scripts/setup-tools.mjs';
import { runIntegrationSuite } from './run-code-server.mjs';

/** The entries of a zip file, read from its central directory: name, compression method, size, local header. */
function zipEntries(zip, file) {
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  const CENTRAL_ENTRY = 0x02014b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  assert.ok(end >= 0, `${file} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), CENTRAL_ENTRY, `corrupt central directory in ${file}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localHeader: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Names of the entries in a zip file. */
function zipEntryNames(file) {
  return zipEntries(fs.readFileSync(file), file).map((entry) => entry.name);
}

/** The content of one entry of a zip file (stored or deflated). */
function zipEntryText(file, entryName) {
  const zip = fs.readFileSync(file);
  const entry = zipEntries(zip, file).find((e) => e.name === entryName);
  assert.ok(entry, `${entryName} is not in ${file}`);
  const start = entry.localHeader + 30 + zip.readUInt16LE(entry.localHeader + 26) + zip.readUInt16LE(entry.localHeader + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  return (entry.method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
}

/** Files under a repository folder, relative to the repository, e.g. media/screenshot.png. */
function filesUnder(folder) {
  const dir = path.join(repoRoot, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)));
}

/** The images the README shows, as package-relative paths (relative links resolve inside the installed package). */
function readmeImages() {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]).map((link) => {
    assert.ok(!/^[a-z]+:/i.test(link), `README image ${link} is not in the package`);
    return path.normalize(link);
  });
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
      'package.json', 'readme.md', 'dist/client.js', 'dist/server.js', 'dist/parseWorker.js', 'dist/layoutView.js',
      'dist/tree-sitter.wasm', 'dist/tree-sitter-go.wasm', ...filesUnder('media'), ...filesUnder('syntaxes'),
    ];
    const missing = required.filter((file) => !entries.includes(file));
    assert.deepEqual(missing, [], `missing from ${path.basename(vsix)}; it holds: ${entries.join(', ')}`);
  });

  it('leaves out sources, tests, tools, source maps, node_modules and the CLI bundle', () => {
    const unwanted = entries.filter((name) =>
      /^(node_modules|core|server|client|cli|test|out|scripts|bench|examples|\.tools|\.ci|test-artifacts)\//.test(name)
      || /\.(ts|map)$/.test(name)
      // The command-line tool is built into dist/ too, but the extension never runs it.
      || name === 'dist/cli.js');
    assert.deepEqual(unwanted, []);
  });

  it('lists with `vsce ls` exactly the files the installed extension runs or shows', async () => {
    const vsce = await ensureVsce(() => {});
    const listed = (await run(vsce, ['ls', '--no-dependencies'], { cwd: repoRoot })).split('\n').map((l) => l.trim()).filter(Boolean).sort();
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    // The bundles the extension runs (client, the server it starts, the server's parse worker, the view's page);
    // not dist/cli.js, built beside them.
    const bundles = ['client', 'server', 'parseWorker', 'layoutView'].map((name) => `dist/${name}.js`);
    const expected = [
      'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', ...bundles, 'dist/layoutView.css', 'dist/tree-sitter.wasm',
      'dist/tree-sitter-go.wasm', manifest.icon, ...readmeImages(), ...manifest.contributes.grammars.map((g) => path.normalize(g.path)),
      ...(manifest.contributes.jsonValidation ?? []).map((v) => path.normalize(v.url)),
    ];
    assert.deepEqual(listed, [...new Set(expected)].sort());
  });

  it('carries the marketplace listing: a 128×128 PNG icon, keywords, links, a changelog, README images as raw files of the repository', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const icon = fs.readFileSync(path.join(repoRoot, manifest.icon));
    assert.equal(icon.toString('latin1', 1, 4), 'PNG', `${manifest.icon} is not a PNG`);
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'icon size');
    assert.ok(entries.includes(manifest.icon), `${manifest.icon} is not in the .vsix`);
    assert.ok(manifest.keywords.length >= 5 && manifest.keywords.length <= 30, 'keywords (the marketplace takes up to 30)');
    for (const url of [manifest.repository.url, manifest.homepage, manifest.bugs.url]) assert.match(url, /^https:\/\//);
    assert.ok(entries.includes('changelog.md') || entries.includes('CHANGELOG.md'), `no changelog in ${entries.join(', ')}`);
    const images = readmeImages();
    assert.ok(images.length >= 3, `README shows only ${images.length} images`);
    for (const image of images) assert.ok(entries.includes(image), `README image ${image} is not in the .vsix`);
    // The packaged README links them as the repository's raw files: VS Code's extension page resolves no relative
    // image, not even from the installed package, so a relative link shows a broken picture there.
    const packaged = zipEntryText(vsix, 'extension/readme.md');
    const packagedImages = [...packaged.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
    const raw = `${manifest.repository.url.replace(/\.git$/, '')}/raw/HEAD/`;
    assert.deepEqual(packagedImages, images.map((image) => raw + image.split(path.sep).join('/')),
      'the packaged README links other images than the repository\'s raw files');
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

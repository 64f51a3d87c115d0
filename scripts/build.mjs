// Bundles the extension client, the language server, the CLI and the parse worker into dist/, and copies the
// tree-sitter WASM files next to them (the engine looks for them in the bundle's own folder).
// Usage: node scripts/build.mjs [--watch]
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');

const WASM_FILES = ['node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/tree-sitter-go/tree-sitter-go.wasm'];

/** Every bundle; `optional` ones are skipped with a note while their source has not been written yet. */
const BUNDLES = [
  { entry: 'client/src/extension.ts', out: 'client.js', external: ['vscode'] },
  { entry: 'server/src/server.ts', out: 'server.js' },
  { entry: 'cli/src/main.ts', out: 'cli.js', executable: true, optional: true },
  // The engine parses whole trees on worker threads; it starts them from `parseWorker.js` beside its own bundle.
  { entry: 'core/src/parse/parseWorker.ts', out: 'parseWorker.js' },
  // The Memory Layout view's page script (and, from its CSS import, dist/layoutView.css), run by the webview.
  { entry: 'client/webview/layoutView.ts', out: 'layoutView.js', browser: true },
];

function optionsFor(bundle) {
  return {
    absWorkingDir: root,
    entryPoints: [path.join(root, bundle.entry)],
    outfile: path.join(dist, bundle.out),
    bundle: true,
    format: bundle.browser ? 'iife' : 'cjs',
    platform: bundle.browser ? 'browser' : 'node',
    target: bundle.browser ? 'chrome114' : 'node20',
    sourcemap: true,
    external: bundle.external ?? [],
    banner: bundle.executable ? { js: '#!/usr/bin/env node' } : undefined,
    logLevel: 'warning',
    plugins: [commonJsEntries(), ...(bundle.executable ? [makeExecutable(path.join(dist, bundle.out))] : [])],
  };
}

/**
 * Bundles packages through their CommonJS entry (what `require` picks, as in the tsc-compiled tests). Their ESM
 * entries read `import.meta.url`, which a CommonJS bundle does not have: web-tree-sitter's then fails to start.
 */
function commonJsEntries() {
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  return {
    name: 'commonjs-entries',
    setup(build) {
      build.onResolve({ filter: /^web-tree-sitter$/ }, (args) => ({ path: requireFromRoot.resolve(args.path) }));
    },
  };
}

/** chmod +x after every (re)build, so `dist/cli.js` runs directly and through npm's `bin` link. */
function makeExecutable(file) {
  return {
    name: 'make-executable',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length === 0 && fs.existsSync(file)) fs.chmodSync(file, 0o755);
      });
    },
  };
}

function copyWasm() {
  for (const rel of WASM_FILES) {
    const source = path.join(root, rel);
    if (!fs.existsSync(source)) throw new Error(`${rel} is missing; run npm install`);
    fs.copyFileSync(source, path.join(dist, path.basename(rel)));
  }
}

function presentBundles() {
  return BUNDLES.filter((bundle) => {
    if (fs.existsSync(path.join(root, bundle.entry))) return true;
    if (!bundle.optional) throw new Error(`${bundle.entry} is missing`);
    console.log(`note: ${bundle.entry} does not exist yet; dist/${bundle.out} not built`);
    return false;
  });
}

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  copyWasm();
  const bundles = presentBundles();
  if (watch) {
    const contexts = await Promise.all(bundles.map((b) => esbuild.context(optionsFor(b))));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log(`watching ${bundles.map((b) => b.entry).join(', ')}`);
    return;
  }
  await Promise.all(bundles.map((b) => esbuild.build(optionsFor(b))));
  console.log(`built ${bundles.map((b) => `dist/${b.out}`).join(', ')}`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});

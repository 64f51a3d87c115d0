// `npm run screenshots`: refreshes the README's pictures in media/. The UI checks (test/e2e/ui.test.mjs) write their
// screenshots to test-artifacts/ only, so a test run leaves the tree clean; this builds, runs the checks that take
// the README's pictures (the struct hover, the race runs and the Memory Layout view, a few minutes: code-server and
// Chromium) and copies those pictures into media/, refusing any that the run did not write.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, run } from './setup-tools.mjs';

/** test-artifacts/ screenshot → the README picture it becomes. */
const README_PICTURES = {
  'ui-hover.png': 'media/screenshot.png',
  'ui-layout-view-dark.png': 'media/layout-view.png',
  'ui-race-view.png': 'media/race-view.png',
};
/**
 * The UI checks that take them (mocha --grep): the struct hover (after the hint check, which waits for the language
 * server's first hints: hovered earlier, the editor has no table to show yet), a race run, the click on its frame,
 * and the Memory Layout view's checks.
 */
const UI_CHECKS = 'struct size as an inlay hint|layout table when hovering a struct name|lists each race in the Data Races view|racing line when a frame|Memory Layout view';

function mocha(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), ...args], { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`the UI checks failed (${signal ?? `exit ${code}`})`))));
  });
}

async function main() {
  await run('npm', ['run', 'build'], { cwd: repoRoot });
  await run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: repoRoot });
  const started = Date.now();
  await mocha(['--timeout', '300000', '--grep', UI_CHECKS, 'test/e2e/ui.test.mjs']);
  for (const [shot, picture] of Object.entries(README_PICTURES)) {
    const from = path.join(repoRoot, 'test-artifacts', shot);
    if (!fs.existsSync(from) || fs.statSync(from).mtimeMs < started) throw new Error(`the UI checks did not write ${path.relative(repoRoot, from)}`);
    fs.copyFileSync(from, path.join(repoRoot, picture));
    console.log(`${picture} ← test-artifacts/${shot}`);
  }
}

main().catch((err) => {
  console.error(`screenshots: ${err.message}`);
  process.exitCode = 1;
});

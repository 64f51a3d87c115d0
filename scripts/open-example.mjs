// `npm run example`: the quickest way to see the extension work. From a fresh clone (after `npm ci`): builds the
// extension, installs code-server into .tools/ if it is missing, serves a real VS Code with the extension on
// examples/ at http://127.0.0.1:PORT, and keeps running until Ctrl-C, which stops the server and all it started.
//
// Usage: node scripts/open-example.mjs [--port N] [--folder DIR]   (default port 8080, or a free one if taken)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { portPreferring, startCodeServer, workbenchUrl } from './code-server.mjs';
import { ensureCodeServer, repoRoot, run } from './setup-tools.mjs';

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function main() {
  const folder = path.resolve(option('--folder', path.join(repoRoot, 'examples')));
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist`);
  const port = Number(option('--port', '8080'));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port needs a port number, not ${option('--port')}`);

  console.log('building the extension (npm run build)');
  await run('npm', ['run', 'build'], { cwd: repoRoot });
  await ensureCodeServer();

  // Ctrl-C ends code-server's whole process group and removes its temp folders (scripts/code-server.mjs).
  const server = await startCodeServer({ port: await portPreferring(port), withThisExtension: true });
  process.on('exit', () => console.log('\ncode-server stopped'));

  console.log(`\nGo Arch Lens is running in VS Code on ${path.relative(repoRoot, folder) || folder}. Open:\n`);
  console.log(`  ${workbenchUrl(server, folder)}\n`);
  console.log('Open a .go file to see struct sizes per target; hover a struct name for the layout table.');
  console.log('atomics/ and syscalls/ show portability diagnostics with quick fixes; in racy/counter_test.go click');
  console.log('"run -race" or "debug -race" above a test, then look at the Data Races view in the Testing side bar.');
  console.log('Press Ctrl-C to stop.');
}

main().catch((err) => {
  console.error(`could not start the example: ${err.message}`);
  process.exit(1);
});

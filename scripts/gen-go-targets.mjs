// Writes core/src/generated/goTargets.json: every GOOS/GOARCH pair the installed Go toolchain builds for, as
// `go tool dist list -json` lists them (broken ports left out, as go tool dist list does). Run: npm run gen:go-targets
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { fileURLToPath } from 'url';

const OUTPUT = fileURLToPath(new URL('../core/src/generated/goTargets.json', import.meta.url));

const listed = JSON.parse(execFileSync('go', ['tool', 'dist', 'list', '-json'], { encoding: 'utf8' }));
const goVersion = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
const targets = listed
  .filter((t) => !t.Broken)
  .map((t) => ({ goos: t.GOOS, goarch: t.GOARCH, firstClass: t.FirstClass }))
  .sort((a, b) => `${a.goos}/${a.goarch}`.localeCompare(`${b.goos}/${b.goarch}`));
writeFileSync(OUTPUT, JSON.stringify({ generatedBy: 'scripts/gen-go-targets.mjs', goVersion, targets }, null, 2) + '\n');
console.log(`wrote ${targets.length} targets of ${goVersion} to ${OUTPUT}`);

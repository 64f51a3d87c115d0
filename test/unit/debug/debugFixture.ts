// The racy package the debugger tests debug (test/fixtures/workspace/debugrace) and what its `debug:` marker
// comments say: the breakpoint line, a local variable with its value, and the lines the race report must name.
// Shared by the unit tests and the VS Code integration test; no `vscode` import.
import * as fs from 'fs';
import * as path from 'path';

export const DEBUGRACE_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'workspace', 'debugrace');
export const DEBUGRACE_TEST_FILE = path.join(DEBUGRACE_DIR, 'debugrace_test.go');
export const DEBUGRACE_FILE = path.join(DEBUGRACE_DIR, 'debugrace.go');
/** The racy test; a constant here because it is the subject of every test, checked against the file below. */
export const RACY_TEST = 'TestTallyRace';

export interface DebugraceMarkers {
  /** 1-based line of `// debug: breakpoint` in the test file */
  breakpointLine: number;
  /** `// debug: local NAME = VALUE` */
  local: { name: string; value: string };
  /** 1-based lines in debugrace.go of the two racing accesses */
  raceWriteLine: number;
  raceReadLine: number;
}

function markerLine(file: string, marker: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(`// debug: ${marker}`));
  if (index < 0) throw new Error(`no "// debug: ${marker}" comment in ${file}`);
  return index + 1;
}

export function readDebugraceMarkers(): DebugraceMarkers {
  const testSource = fs.readFileSync(DEBUGRACE_TEST_FILE, 'utf8');
  if (!testSource.includes(`func ${RACY_TEST}(`)) throw new Error(`${DEBUGRACE_TEST_FILE} has no ${RACY_TEST}`);
  const local = /\/\/ debug: local (\w+) = (\S+)/.exec(testSource);
  if (!local) throw new Error(`no "// debug: local NAME = VALUE" comment in ${DEBUGRACE_TEST_FILE}`);
  return {
    breakpointLine: markerLine(DEBUGRACE_TEST_FILE, 'breakpoint'),
    local: { name: local[1], value: local[2] },
    raceWriteLine: markerLine(DEBUGRACE_FILE, 'race write'),
    raceReadLine: markerLine(DEBUGRACE_FILE, 'race read'),
  };
}

// The launch.json snippets package.json contributes must insert exactly the configuration raceDebugConfiguration
// builds (the one the dlv session tests launch), so a user who picks a snippet debugs what was tested. A snippet body
// is inserted the way VS Code's JSON language service inserts `defaultSnippets`: each value JSON-encoded, except a
// string starting with `^`, which goes in raw (that is how a snippet carries an escaped `\${fileDirname}`); the
// resulting text is then a snippet, where `${N:default}` is a tab stop and `\$` a literal dollar.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GO_EXTENSION_DEBUG_TYPE, OWN_DEBUG_TYPE, raceDebugConfiguration, type RaceDebugType } from '../../../core/src/debug/launchConfig';
import { findTestFunctions } from '../../../core/src/gotest/testFunctions';

const PACKAGE_JSON = path.resolve(__dirname, '..', '..', '..', '..', 'package.json');

interface Snippet {
  label: string;
  body: Record<string, unknown>;
}

function contributedSnippets(): Snippet[] {
  const manifest = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8'));
  const debuggers: { configurationSnippets?: Snippet[] }[] = manifest.contributes?.debuggers ?? [];
  return debuggers.flatMap((d) => d.configurationSnippets ?? []);
}

/** The text VS Code puts into launch.json before snippet expansion. */
function insertedText(value: unknown): string {
  if (typeof value === 'string') return value.startsWith('^') ? value.slice(1) : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(insertedText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, v]) => `${JSON.stringify(key)}:${insertedText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface Expansion {
  text: string;
  /** tab stop number -> every default text it was given */
  tabStops: Map<number, string[]>;
}

/** Expands snippet syntax: tab stops take `typed[N]` or their default; `\$`, `\}`, `\\` become literal. */
function expandSnippet(snippet: string, typed: Record<number, string> = {}): Expansion {
  const tabStops = new Map<number, string[]>();
  let text = '';
  for (let i = 0; i < snippet.length; i++) {
    const ch = snippet[i];
    if (ch === '\\' && '$}\\'.includes(snippet[i + 1] ?? '')) {
      text += snippet[++i];
      continue;
    }
    if (ch === '$') {
      const stop = /^\$(?:(\d+)|\{(\d+)(?::([^}]*))?\})/.exec(snippet.slice(i));
      if (stop) {
        const n = Number(stop[1] ?? stop[2]);
        const fallback = stop[3] ?? '';
        tabStops.set(n, [...(tabStops.get(n) ?? []), fallback]);
        text += typed[n] ?? fallback;
        i += stop[0].length - 1;
        continue;
      }
      // Anything else after an unescaped `$` (a `${variable}`) would be resolved at insertion time, not launch time.
      throw new Error(`unescaped snippet variable at ${JSON.stringify(snippet.slice(i, i + 20))}: it would be replaced on insertion`);
    }
    text += ch;
  }
  return { text, tabStops };
}

function snippetFor(type: string, oneTest: boolean): Snippet {
  const matches = contributedSnippets().filter((s) => s.body.type === type && Array.isArray(s.body.args) && s.body.args.length > 0 === oneTest);
  assert.strictEqual(matches.length, 1, `expected one ${oneTest ? 'single-test' : 'package'} snippet of type ${type}, found ${matches.map((s) => s.label)}`);
  return matches[0];
}

describe('launch.json configuration snippets in package.json', () => {
  it('there are exactly the four race snippets: one test and the package tests, for both debug types', () => {
    const kinds = contributedSnippets().map((s) => `${s.body.type} ${(s.body.args as unknown[]).length > 0 ? 'test' : 'package'}`);
    assert.deepStrictEqual(kinds.sort(), ['go package', 'go test', 'go-arch-lens-dlv package', 'go-arch-lens-dlv test']);
  });

  for (const type of [OWN_DEBUG_TYPE, GO_EXTENSION_DEBUG_TYPE] as RaceDebugType[]) {
    it(`"${type}" one-test snippet inserts what raceDebugConfiguration builds for that test in \${fileDirname}`, () => {
      const { body } = snippetFor(type, true);
      const defaulted = expandSnippet(insertedText(body));
      const testName = defaulted.tabStops.get(1)?.[0] ?? '';
      const expected = raceDebugConfiguration({ type, packageDir: '${fileDirname}', test: { name: testName, kind: 'test' } });
      assert.deepStrictEqual(JSON.parse(defaulted.text), expected);

      // A name the user types into the tab stop reaches both the configuration name and the -test.run anchor.
      const typed = expandSnippet(insertedText(body), { 1: 'TestTallyRace' });
      assert.deepStrictEqual(JSON.parse(typed.text), raceDebugConfiguration({ type, packageDir: '${fileDirname}', test: { name: 'TestTallyRace', kind: 'test' } }));
    });

    it(`"${type}" package snippet inserts what raceDebugConfiguration builds for the package in \${fileDirname}`, () => {
      const { body } = snippetFor(type, false);
      const expansion = expandSnippet(insertedText(body));
      assert.deepStrictEqual(JSON.parse(expansion.text), raceDebugConfiguration({ type, packageDir: '${fileDirname}' }));
      assert.strictEqual(expansion.tabStops.size, 0, 'the package snippet has nothing to fill in');
    });

    it(`"${type}" one-test snippet placeholders: one tab stop, a Go test name as default, program left to VS Code`, () => {
      const { body } = snippetFor(type, true);
      const expansion = expandSnippet(insertedText(body));
      assert.deepStrictEqual([...expansion.tabStops.keys()], [1], 'only the test name is filled in');
      const defaults = expansion.tabStops.get(1) ?? [];
      assert.strictEqual(defaults.length, 2, 'the test name appears in the name and in -test.run');
      assert.ok(defaults.every((d) => d === defaults[0]), `tab stop 1 defaults differ: ${defaults}`);
      // The default must be what findTestFunctions recognises as a test, so it reads as a placeholder for one.
      assert.deepStrictEqual(findTestFunctions(`package p\nfunc ${defaults[0]}(t *testing.T) {}\n`).map((f) => [f.name, f.kind]), [[defaults[0], 'test']]);
      // program stays the literal VS Code variable, resolved at launch to the directory of the open _test.go file.
      const config = JSON.parse(expansion.text);
      assert.strictEqual(config.program, '${fileDirname}');
    });
  }

  it('the expansion checks can fail: an unescaped ${fileDirname} and a stray field are caught', () => {
    assert.throws(() => expandSnippet(insertedText({ program: '^"${fileDirname}"' })), /unescaped snippet variable/);
    const { body } = snippetFor(OWN_DEBUG_TYPE, false);
    const drifted = JSON.parse(expandSnippet(insertedText({ ...body, showLog: true })).text);
    assert.notDeepStrictEqual(drifted, raceDebugConfiguration({ type: OWN_DEBUG_TYPE, packageDir: '${fileDirname}' }));
  });
});

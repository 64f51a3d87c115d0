import * as assert from 'assert';
import * as path from 'path';
import type { Range, StructInfo, TextChange } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { MAX_WHOLE_PARSE_CHARS } from '../../core/src/resolve/sourceStore';
import { ALL_ANALYZERS } from '../../core/src/analysis/registry';
import { writeModule } from '../support/goModule';
import { parseCounter } from '../support/parseCounter';
import { seededRandom } from '../support/seededRandom';

/**
 * An editor buffer over MAX_WHOLE_PARSE_CHARS is never parsed whole while it is typed in, syntax errors on screen
 * included: each keystroke's hints parse the declarations on screen and those they name. What they show is checked
 * against the same text parsed whole.
 */

const TARGETS = [{ goos: 'linux', goarch: 'amd64' }, { goos: 'linux', goarch: '386' }];
const STRUCT_LINES = 12;
const FILE = '/virtual/large/large.go';

/** `count` structs of mixed field sizes; every 100th is followed by a function holding an anonymous struct. */
function largeBuffer(count: number): string {
  const out = ['package large', ''];
  for (let i = 0; i < count; i++) {
    out.push(`type Record${i} struct {`, '\tflag bool', '\tidentifier int64', '\tname string', '\tcount int32', '\tratio float64',
      '\tsmall uint8', '\twidth uint16', '\tdescription string', `\tnext *Record${(i + 1) % count}`, '\tlabels []string', '}');
  }
  return out.join('\n') + '\n';
}

const STRUCTS = 7000;
const TEXT = largeBuffer(STRUCTS);
/** The line of `type Record<MIDDLE>`, where the typing happens, and a screenful around it. */
const MIDDLE = STRUCTS / 2;
const MIDDLE_LINE = 2 + STRUCT_LINES * MIDDLE;
const SCREEN: Range = { start: { line: MIDDLE_LINE - 30, character: 0 }, end: { line: MIDDLE_LINE + 40, character: 0 } };

/** A struct as typed, a character at a time, its closing bracket last: the text is broken for most keystrokes. */
const TYPED = 'type Typed struct {\n\tflag bool\n\tcount int64\n\tname string\n}\n\n';

/** What an editor's hints show for the screen: the named and anonymous structs there, laid out. */
function onScreen(engine: Engine, range: Range = SCREEN): StructInfo[] {
  return [...engine.structsInFile(FILE, TARGETS, range), ...engine.literalStructsInFile(FILE, TARGETS, range)];
}

/** The same text opened in a fresh engine and parsed whole first (as a buffer under the limit is). */
async function parsedWhole(text: string, range: Range = SCREEN): Promise<StructInfo[]> {
  const engine = await Engine.create();
  engine.openFile(FILE, text);
  engine.syntaxErrors(FILE);
  return onScreen(engine, range);
}

function insertAt(offset: number, line: number, character: number, text: string): TextChange {
  return { range: { start: { line, character }, end: { line, character } }, text, offsets: { start: offset, end: offset } };
}

/** An open buffer edited by offsets, its text kept beside the engine's. */
class EditedBuffer {
  constructor(readonly engine: Engine, public text: string) {}

  replace(start: number, end: number, inserted: string): void {
    const before = this.text.slice(0, start);
    const line = before.split('\n').length - 1;
    const position = (offset: number) => {
      const upTo = this.text.slice(0, offset);
      return { line: upTo.split('\n').length - 1, character: offset - upTo.lastIndexOf('\n') - 1 };
    };
    const range = { start: { line, character: start - before.lastIndexOf('\n') - 1 }, end: position(end) };
    this.engine.editFile(FILE, [{ range, text: inserted, offsets: { start, end } }]);
    this.text = before + inserted + this.text.slice(end);
  }

  /** Types `inserted` at `at` a piece at a time (the text between may be broken), the screen's hints after each. */
  type(at: number, inserted: string, pieces: number): void {
    const size = Math.ceil(inserted.length / pieces);
    for (let from = 0; from < inserted.length; from += size) {
      this.replace(at + from, at + from, inserted.slice(from, from + size));
      onScreen(this.engine);
    }
  }

  /** Offsets of the `type Record…` declarations whose first line is on screen. */
  recordsOnScreen(): number[] {
    const starts: number[] = [];
    let line = 0;
    for (let at = 0; at >= 0 && line <= SCREEN.end.line; at = this.text.indexOf('\n', at) + 1 || -1, line++) {
      if (line >= SCREEN.start.line && this.text.startsWith('type Record', at)) starts.push(at);
    }
    return starts;
  }
}

/** Edits valid Go is made of: each leaves the text valid, some passing through broken text on the way. */
const EDITS: ((buffer: EditedBuffer, at: number, n: number) => void)[] = [
  // Fields of other declarations' types by value, far from the screen: laid out only if the name is found.
  (buffer, at, n) => buffer.type(at, `type New${n} struct {\n\ta int8\n\tb [${n % 4}]Record${n * 701}\n\tc *Record${n}\n}\n\n`, 6),
  (buffer, at) => buffer.replace(at, buffer.text.indexOf('\n}\n', at) + 3, ''),
  (buffer, at, n) => buffer.type(buffer.text.indexOf('\tflag bool\n', at) + 11, `\textra${n} uint16\n`, 3),
  (buffer, at) => {
    const field = buffer.text.indexOf('\tcount int32', at);
    if (field >= 0 && field < buffer.text.indexOf('\n}\n', at)) buffer.replace(field + 7, field + 12, 'int64');
  },
  (buffer, at, n) => buffer.type(at, `func f${n}() {\n\ttype local struct{ x int8; y int32 }\n\tv := struct {\n\t\tp bool\n\t\tq local\n\t\tr Record${n * 997}\n\t}{}\n\t_ = v\n}\n\n`, 4),
  (buffer, at, n) => buffer.type(at, `var pair${n} struct{ x, y int16; z Record${STRUCTS - 1 - n} }\n\n`, 2),
];

describe('a buffer too large to parse whole per keystroke', () => {
  before(() => assert.ok(TEXT.length > MAX_WHOLE_PARSE_CHARS));

  it('gets a struct typed on screen (broken text until its closing bracket) without a whole parse, the structs around it laid out at every keystroke', async () => {
    const engine = await Engine.create();
    engine.openFile(FILE, TEXT);
    const before = onScreen(engine);
    const around = [MIDDLE - 2, MIDDLE - 1, MIDDLE + 1, MIDDLE + 2].map((i) => before.find((s) => s.name === `Record${i}`)!);
    const wholeParses = parseCounter();
    let text = TEXT;
    try {
      let offset = TEXT.indexOf(`type Record${MIDDLE} `);
      let line = MIDDLE_LINE;
      let character = 0;
      for (const key of TYPED) {
        engine.editFile(FILE, [insertAt(offset, line, character, key)]);
        text = text.slice(0, offset) + key + text.slice(offset);
        offset++;
        [line, character] = key === '\n' ? [line + 1, 0] : [line, character + 1];
        const shown = onScreen(engine, { start: SCREEN.start, end: { line: SCREEN.end.line + line - MIDDLE_LINE, character: 0 } });
        for (const struct of around) {
          const now = shown.find((s) => s.name === struct.name);
          assert.deepStrictEqual(now?.layouts, struct.layouts, `${struct.name} after typing ${JSON.stringify(text.slice(TEXT.indexOf(`type Record${MIDDLE} `), offset))}`);
        }
      }
      assert.strictEqual(wholeParses.count, 0, 'the buffer was parsed whole');
    } finally {
      wholeParses.restore();
    }
    const typed = onScreen(engine).find((s) => s.name === 'Typed');
    assert.deepStrictEqual(Object.values(typed?.layouts ?? {}).map((l) => l.size), [32, 20]);
    assert.deepStrictEqual(onScreen(engine), await parsedWhole(text));
  });

  it('parses the whole buffer only for a declaration on screen too long to parse alone, then re-parses it incrementally', async () => {
    // A generated table in one `var` (over MAX_DECLARATIONS_PARSED_CHARS) before the structs.
    const rows = Array.from({ length: 20000 }, (_, i) => `\t{"key${i}", ${i}, ${i % 2 === 0}},`);
    const tableLines = ['var table = []struct {', '\tkey  string', '\tval  int64', '\tflag bool', '}{', ...rows, '}', ''];
    const text = TEXT.replace('package large\n\n', `package large\n\n${tableLines.join('\n')}\n`);
    const tableScreen: Range = { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } };
    const structsScreen: Range = { start: { line: MIDDLE_LINE, character: 0 }, end: { line: MIDDLE_LINE + 60, character: 0 } };
    const engine = await Engine.create();
    engine.openFile(FILE, text);
    const buffer = new EditedBuffer(engine, text);
    const wholeParses = parseCounter();
    try {
      onScreen(engine, structsScreen);
      assert.strictEqual(wholeParses.count, 0, 'the structs\' screen parsed the buffer whole');
      onScreen(engine, tableScreen);
      assert.strictEqual(wholeParses.count, 1);
      // Typing in a row of the table: one re-parse per keystroke, reusing the tree.
      const at = buffer.text.indexOf('"key7"') + 4;
      for (let key = 0; key < 4; key++) {
        buffer.replace(at, at, 'x');
        onScreen(engine, tableScreen);
      }
      assert.strictEqual(wholeParses.count, 5);
    } finally {
      wholeParses.restore();
    }
    const table = onScreen(engine, tableScreen).find((s) => s.name === 'table');
    assert.strictEqual(table?.layouts['linux/amd64'].size, 32);
    assert.deepStrictEqual(onScreen(engine, tableScreen), await parsedWhole(buffer.text, tableScreen));
  });

  it('is not parsed whole for the analysis of another file of its package', async () => {
    const dir = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'small.go': 'package large\n\ntype Small struct {\n\ta bool\n\tb int64\n\tc bool\n}\n\nvar s = Small{true, 1, false}\n' });
    const engine = await Engine.create();
    engine.openFile(path.join(dir, 'large.go'), TEXT);
    const wholeParses = parseCounter(MAX_WHOLE_PARSE_CHARS);
    try {
      const findings = engine.analyzeFile(path.join(dir, 'small.go'), TARGETS, ALL_ANALYZERS);
      assert.ok(Array.isArray(findings), JSON.stringify(findings));
      assert.strictEqual(wholeParses.count, 0, 'the large buffer was parsed whole');
    } finally {
      wholeParses.restore();
    }
  });


  it('lays out the anonymous structs on screen from the declarations there, as a whole parse does', async () => {
    const lines = TEXT.split('\n');
    // A function with an anonymous struct and a local type in the middle, and a variable of an anonymous struct.
    lines.splice(MIDDLE_LINE, 0, 'func middle() {', '\ttype local struct{ a int8; b int64 }', '\tv := struct {', '\t\tl local', '\t\tc bool', '\t}{}',
      '\t_ = v', '}', '', 'var pair struct{ x, y int16; z uint64 }', '');
    const text = lines.join('\n');
    const engine = await Engine.create();
    engine.openFile(FILE, text);
    const wholeParses = parseCounter();
    let shown: StructInfo[];
    try {
      shown = onScreen(engine);
      assert.strictEqual(wholeParses.count, 0, 'the buffer was parsed whole');
    } finally {
      wholeParses.restore();
    }
    assert.deepStrictEqual(shown.filter((s) => !s.name.startsWith('Record')).map((s) => [s.name, s.layouts['linux/amd64'].size]), [['local', 16], ['middle.v', 24], ['pair', 16]]);
    assert.deepStrictEqual(shown, await parsedWhole(text));
  });

  it('shows after random edits on screen what a whole parse of the same text shows', async () => {
    for (const seed of [1, 2, 3]) {
      const next = seededRandom(seed);
      const engine = await Engine.create();
      engine.openFile(FILE, TEXT);
      const buffer = new EditedBuffer(engine, TEXT);
      onScreen(engine);
      const edits: number[] = [];
      let shown: StructInfo[] = [];
      const wholeParses = parseCounter();
      try {
        for (let n = 0; n < 8; n++) {
          const records = buffer.recordsOnScreen();
          const edit = Math.floor(next() * EDITS.length);
          EDITS[edit](buffer, records[Math.floor(next() * records.length)], n);
          edits.push(edit);
          shown = onScreen(engine);
        }
        assert.strictEqual(wholeParses.count, 0, `seed ${seed}: the buffer was parsed whole`);
      } finally {
        wholeParses.restore();
      }
      // A whole parse costs about a second here: the end of each run is compared, which any wrong step before it
      // (an index or a model out of step with the text) would show in.
      assert.deepStrictEqual(shown, await parsedWhole(buffer.text), `seed ${seed}, after EDITS ${edits.join(', ')}`);
    }
  });

});

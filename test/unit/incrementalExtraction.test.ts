import * as assert from 'assert';
import * as path from 'path';
import type { Target, TextChange } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { extractFileModel } from '../../core/src/model/extract';
import { applyChanges, GoParser, type Edit } from '../../core/src/parse/goParser';
import { mayDeclareLocalTypes } from '../../core/src/parse/skeleton';
import { SourceStore } from '../../core/src/resolve/sourceStore';
import { writeModule } from '../support/goModule';
import { seededRandom } from '../support/seededRandom';

/**
 * After an edit the open file's model is re-extracted only where the edit or the re-parse changed something; the
 * rest is reused and moved. Every case compares the result with a full extraction of the same text.
 */

const BASE = [
  'package shapes',
  '',
  'import "unsafe"',
  '',
  'const N = 4',
  '',
  'const (',
  '\tA = iota',
  '\tB',
  ')',
  '',
  'var v [N]int32',
  '',
  'type Point struct {',
  '\tx, y int64',
  '\tok bool',
  '}',
  '',
  'func f() int { return 1 }',
  '',
  'type Pair struct{ a int8; b Point }',
  '',
  'type Sized struct {',
  '\tbuf [unsafe.Sizeof(v)]byte',
  '}',
  '',
  '// trailing comment',
  '',
].join('\n');

const FILE = '/virtual/shapes/shapes.go';

/** The model a fresh parse of `text` gives. */
function fullModel(parser: GoParser, text: string) {
  const tree = parser.parse(text);
  try {
    return extractFileModel(tree, text, mayDeclareLocalTypes(text)).model;
  } finally {
    tree.delete();
  }
}

/** The offsets of `needle` (its `occurrence`-th appearance) as an edit replacing it with `by`. */
function replace(text: string, needle: string, by: string, occurrence = 0): TextChange {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in the text`);
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, offsets: { start: at, end: at + needle.length }, text: by };
}

function applied(text: string, change: TextChange): string {
  return text.slice(0, change.offsets!.start) + change.text + text.slice(change.offsets!.end);
}

/** Pieces that open and close declarations, blocks, comments and strings, so random edits regroup the file. */
const PIECES = [
  'type Q struct {\n\tq int16\n}\n', '\n', '}', '{', '/*', '*/', '"', '`', 'x', '\tz uint8\n', 'const C = 2\n',
  'var w [C]byte\n', 'type (\n\tR struct{ r bool }\n\tS = R\n)\n', 'func g() {\n\ttype L struct{ l int }\n}\n', '// c\n',
  'package other\n', 'import "fmt"\n', '(', ')', 'é', '\r\n',
];

describe('incremental extraction of an open file', () => {
  let parser: GoParser;
  before(async () => {
    parser = await GoParser.create();
  });

  /**
   * Parses BASE, applies each step's edits (as one change, edited into the tree as the store does), re-parses and
   * extracts incrementally, and compares with a full extraction of the same tree (error recovery may build a
   * different tree from scratch than incrementally; which tree is the parser's business, not extraction's).
   */
  function check(steps: ((text: string) => TextChange[])[]): number {
    let declarations = 0;
    let text = BASE;
    let tree = parser.parse(text);
    let extracted = extractFileModel(tree, text, mayDeclareLocalTypes(text));
    try {
      for (const [i, step] of steps.entries()) {
        const edits: Edit[] = [];
        text = applyChanges(text, tree, step(text), edits);
        const { tree: next, incremental } = parser.reparse(text, tree);
        const changedRanges = incremental ? tree.getChangedRanges(next) : undefined;
        const hasLocalTypes = mayDeclareLocalTypes(text);
        extracted = extractFileModel(next, text, hasLocalTypes, changedRanges && { cache: extracted.cache, edits, changedRanges });
        tree.delete();
        tree = next;
        assert.deepStrictEqual(extracted.model, extractFileModel(tree, text, hasLocalTypes).model, `after step ${i + 1}:\n${text}`);
        declarations += extracted.model.types.length + extracted.model.consts.length;
      }
    } finally {
      tree.delete();
    }
    return declarations;
  }

  it('extracts the test file\'s declarations in the first place', () => {
    const model = fullModel(parser, BASE);
    assert.deepStrictEqual(model.types.map((t) => t.name), ['Point', 'Pair', 'Sized']);
    assert.deepStrictEqual(model.consts.map((c) => c.name), ['N', 'A', 'B']);
    assert.deepStrictEqual([model.packageName, [...model.varTypes.keys()], model.imports.map((i) => i.path)], ['shapes', ['v'], ['unsafe']]);
  });

  it('gives the store\'s model of an edited open file', () => {
    const store = new SourceStore(parser);
    store.openFile(FILE, BASE);
    const change = replace(BASE, '\tok bool', '\tok bool\n\tz uint16');
    store.editFile(FILE, [change]);
    const result = store.modelOf(FILE);
    assert.ok('model' in result);
    assert.deepStrictEqual(result.model, fullModel(parser, applied(BASE, change)));
    store.closeFile(FILE);
  });

  it('re-extracts a declaration edited inside and moves those after it', () => {
    check([
      (t) => [replace(t, '\tok bool', '\tok bool\n\tz uint16')],
      (t) => [replace(t, 'x, y int64', 'x, yy int64')],
      (t) => [replace(t, 'a int8', 'a int8; c int32')],
      (t) => [replace(t, '[unsafe.Sizeof(v)]byte', '[2*unsafe.Sizeof(v)]byte')],
    ]);
  });

  it('keeps everything right when text goes in or out between declarations', () => {
    check([
      (t) => [replace(t, '\n\nfunc f', '\n\n// a comment\n\n\nfunc f')],
      (t) => [replace(t, '\n\n// a comment\n\n', '')],
      (t) => [replace(t, 'type Pair', '  type Pair')],
      (t) => [replace(t, '}\nfunc', '}\n\n\nfunc')],
    ]);
  });

  it('adds and removes declarations, several edits in one change included', () => {
    check([
      (t) => [replace(t, 'func f()', 'type New struct{ n [N]int8 }\n\nfunc f()')],
      (t) => [replace(t, 'type New struct{ n [N]int8 }\n\n', '')],
      (t) => [replace(t, 'const N = 4', 'const N = 8'), replace(t, '// trailing comment', 'type Tail struct{ t int64 }')],
      (t) => [replace(t, 'type Pair struct{ a int8; b Point }', ''), replace(t, 'const (', 'const (\n\tZ = 9')],
    ]);
  });

  it('follows edits that regroup declarations: an unclosed brace, a comment opened and closed, the package renamed', () => {
    check([
      (t) => [replace(t, '\tok bool\n}', '\tok bool\n')],
      (t) => [replace(t, '\tok bool\n', '\tok bool\n}')],
      (t) => [replace(t, 'type Pair', '/*type Pair')],
      (t) => [replace(t, '// trailing comment', '*/ // trailing comment')],
      // The later edit first, so that the earlier one's offsets still hold (each applies to what the last left).
      (t) => [replace(t, '*/ // trailing', '// trailing'), replace(t, '/*type Pair', 'type Pair')],
      (t) => [replace(t, 'package shapes', 'package other')],
      (t) => [replace(t, 'import "unsafe"', 'import (\n\t"unsafe"\n\t"fmt"\n)')],
    ]);
  });

  it('matches a full extraction after each of 1,200 random edits', () => {
    let declarations = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const next = seededRandom(seed);
      declarations += check(Array.from({ length: 30 }, () => (text: string) => {
        const count = next() < 0.2 ? 2 : 1;
        const changes: TextChange[] = [];
        let current = text;
        // Each change is in the coordinates of the text the previous one left, as in an editor's change list.
        for (let k = 0; k < count; k++) {
          const start = Math.floor(next() * (current.length + 1));
          const end = next() < 0.5 ? start : Math.min(current.length, start + Math.floor(next() * 40));
          const insert = next() < 0.3 ? '' : PIECES[Math.floor(next() * PIECES.length)];
          const change: TextChange = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, offsets: { start, end }, text: insert };
          changes.push(change);
          current = applied(current, change);
        }
        return changes;
      }));
    }
    // The random edits leave declarations to compare most of the time.
    assert.ok(declarations > 1200, `only ${declarations} declarations compared`);
  });
});

describe('an edit that changes which file declares a type', () => {
  const TARGETS: Target[] = [{ goos: 'linux', goarch: 'amd64' }, { goos: 'linux', goarch: '386' }];

  it('lays out the struct using it as a fresh engine does, as the type moves between files and packages', async () => {
    const dir = writeModule({
      'go.mod': 'module m\n\ngo 1.22\n',
      'a.go': 'package m\n\ntype User struct {\n\tflag bool\n\tinner Inner\n}\n',
      'b.go': 'package m\n\ntype Inner struct {\n\tx int64\n\ty int8\n}\n',
    });
    const a = path.join(dir, 'a.go');
    const b = path.join(dir, 'b.go');
    const engine = await Engine.create();
    let aText = 'package m\n\ntype User struct {\n\tflag bool\n\tinner Inner\n}\n';
    let bText = 'package m\n\ntype Inner struct {\n\tx int64\n\ty int8\n}\n';
    engine.openFile(a, aText);
    engine.openFile(b, bText);
    const layoutsNow = () => JSON.stringify(engine.structsInFile(a, TARGETS).map((s) => [s.name, s.layouts]));
    const layoutsFresh = async () => {
      const fresh = await Engine.create();
      fresh.openFile(a, aText);
      fresh.openFile(b, bText);
      return JSON.stringify(fresh.structsInFile(a, TARGETS).map((s) => [s.name, s.layouts]));
    };
    const before = layoutsNow();
    assert.strictEqual(before, await layoutsFresh());
    const steps: [string, TextChange[], string, TextChange[]][] = [];
    // Inner moves from b.go into a.go (cut, then paste), with a field more.
    const cut = replace(bText, 'type Inner struct {\n\tx int64\n\ty int8\n}\n', '');
    const paste = replace(aText, '', '\ntype Inner struct {\n\tx int64\n\ty int8\n\tz int32\n}\n', 0);
    paste.offsets = { start: aText.length, end: aText.length };
    steps.push(['b', [cut], 'a', [paste]]);
    // b.go becomes another package declaring its own Inner: a.go's Inner still counts.
    steps.push(['b', [{ ...cut, offsets: { start: 0, end: 'package m'.length }, text: 'package n\n\ntype Inner struct{ big [100]byte }' }], 'a', []]);
    for (const [first, firstChanges, second, secondChanges] of steps) {
      for (const [which, changes] of [[first, firstChanges], [second, secondChanges]] as const) {
        if (changes.length === 0) continue;
        if (which === 'a') {
          for (const c of changes) aText = applied(aText, c);
          engine.editFile(a, changes);
        } else {
          for (const c of changes) bText = applied(bText, c);
          engine.editFile(b, changes);
        }
        assert.strictEqual(layoutsNow(), await layoutsFresh());
      }
    }
    // Inner gained a field on the way: the layouts did change.
    assert.notStrictEqual(layoutsNow(), before);
  });
});

import * as assert from 'assert';
import { LfLines } from '../../core/src/parse/goParser';
import * as declaredNames from '../../core/src/parse/declaredNames';
import { declarationIndex, resyncedDeclarationIndex, updateIndex, type DeclarationIndex } from '../../core/src/parse/declaredNames';
import { Engine } from '../../core/src/engine';
import { DEFAULT_TARGETS } from '../../core/src/targets';
import { SourceStore } from '../../core/src/resolve/sourceStore';
import { GoParser } from '../../core/src/parse/goParser';
import { seededRandom } from '../support/seededRandom';

/**
 * A buffer not parsed yet (a big file typed in before anything needed its whole syntax) keeps its declaration index
 * and line starts through edits instead of scanning the whole text per keystroke. Each case compares them with a
 * fresh scan of the edited text.
 */

const BASE = [
  'package p', '',
  'import "fmt"', '',
  'type T struct {', '\tField int', '\tnext *T', '}', '',
  'type (', '\tA = T', '\tB struct{ b int8 }', ')', '',
  'const K, L = 1, 2', '',
  'var v = fmt.Sprint(K)', '',
  'func f() {', '\ttype local int', '}', '',
  'type U struct{ u [K]int16 } // end', '',
].join('\n');

/** Pieces that add names, open or close brackets, comments and strings, and new declarations. */
const PIECES = ['x', 'Name', ' ', '\n', '{', '}', '(', ')', '/*', '*/', '"', '`', 'type ', 'type V int\n', ', W', '\tC = 1\n', 'func', ';', 'é'];

/** An edit at a random place: half of them typing (a word, a space, a line break), the rest any piece. */
function randomEdit(text: string, next: () => number): { start: number; oldEnd: number; inserted: string } {
  const start = Math.floor(next() * (text.length + 1));
  const oldEnd = next() < 0.6 ? start : Math.min(text.length, start + Math.floor(next() * 12));
  const pieces = next() < 0.5 ? PIECES.slice(0, 4) : PIECES;
  const inserted = next() < 0.3 ? '' : pieces[Math.floor(next() * pieces.length)];
  return { start, oldEnd, inserted };
}

function linesOf(text: string): { row: number; column: number }[] {
  const lines = LfLines.of(text);
  return Array.from({ length: text.length + 1 }, (_, offset) => lines.point(offset));
}

/** Each scan, with how many of the 2,000 edits below its index must follow (the random text is soon broken for the first). */
const SCANS: [string, (text: string) => DeclarationIndex | undefined, number][] = [
  ['declarationIndex', declarationIndex, 250],
  ['resyncedDeclarationIndex (text it cannot follow)', resyncedDeclarationIndex, 1200],
];

describe('edits to a buffer not parsed yet', () => {
  for (const [scanName, scan, followedAtLeast] of SCANS) {
    it(`keep the index of ${scanName} equal to a fresh scan through 2,000 random edits`, () => {
      let updated = 0;
      for (let seed = 1; seed <= 100; seed++) {
        const next = seededRandom(seed);
        let text = BASE;
        let index = scan(text);
        for (let step = 0; step < 20; step++) {
          const { start, oldEnd, inserted } = randomEdit(text, next);
          const after = text.slice(0, start) + inserted + text.slice(oldEnd);
          const fresh = scan(after);
          if (index && updateIndex(index, text, after, start, oldEnd, start + inserted.length)) {
            updated++;
            assert.deepStrictEqual(index, fresh, `seed ${seed} step ${step}: ${JSON.stringify(text)} → ${JSON.stringify(after)}`);
          } else {
            index = fresh;
          }
          text = after;
        }
      }
      // Edits inside declarations, and those adding or joining some, are followed without a new scan.
      assert.ok(updated >= followedAtLeast, `only ${updated} edits followed`);
    });
  }

  it('keep their line starts equal to a fresh count through 2,000 random edits', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const next = seededRandom(seed);
      let text = BASE;
      const lines = LfLines.of(text);
      for (let step = 0; step < 20; step++) {
        const { start, oldEnd, inserted } = randomEdit(text, next);
        const after = text.slice(0, start) + inserted + text.slice(oldEnd);
        lines.edit(start, oldEnd, inserted);
        assert.deepStrictEqual(linesOf(after).filter((_, i) => i % 7 === 0), Array.from({ length: after.length + 1 }, (_, i) => lines.point(i)).filter((_, i) => i % 7 === 0), `lines, seed ${seed} step ${step}`);
        assert.strictEqual(lines.rowStart(1e9), Infinity);
        text = after;
      }
    }
  });

  it('gives the hints\' models of a fresh open after edits inside and across declarations', async () => {
    const parser = await GoParser.create();
    // One store whose buffer has its whole index (a name lookup made one), one with only what screenfuls scanned.
    const [indexed, screens] = [new SourceStore(parser), new SourceStore(parser)];
    const file = '/virtual/p/p.go';
    let text = BASE;
    for (const store of [indexed, screens]) store.openFile(file, text);
    const edits: [string, string][] = [
      ['\tField int', '\tField int64\n\tMore bool'],
      ['type U struct{', 'type Renamed struct{'],
      ['// end', '// end\ntype X struct{ x uint8 }'],
      ['\tnext *T\n', ''],
    ];
    const whole = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
    const screenful = { start: { line: 3, character: 0 }, end: { line: 8, character: 0 } };
    for (const [from, to] of edits) {
      // Asked for before each edit, so that the indexes and line starts exist and are then kept through it.
      assert.ok(indexed.declarationIndexOf(file));
      assert.ok('model' in indexed.typesInRange(file, whole) && 'model' in screens.typesInRange(file, screenful));
      const at = text.indexOf(from);
      const change = { range: whole, offsets: { start: at, end: at + from.length }, text: to };
      for (const store of [indexed, screens]) store.editFile(file, [change]);
      text = text.slice(0, at) + to + text.slice(at + from.length);
      const fresh = new SourceStore(parser);
      fresh.openFile(file, text);
      for (const line of [0, 4, 10, 22, 24]) {
        const range = { start: { line, character: 0 }, end: { line: line + 2, character: 0 } };
        for (const store of [indexed, screens]) {
          // The types on those lines (what hints lay out): a range's model may hold more (a whole-file fallback).
          const types = (result: ReturnType<SourceStore['typesInRange']>) => ('model' in result
            ? result.model.types.filter((t) => t.nameRange.start.line <= range.end.line && t.typeRange.end.line >= range.start.line)
            : result);
          assert.deepStrictEqual(types(store.typesInRange(file, range)), types(fresh.typesInRange(file, range)), `lines ${line}–${line + 2} after ${JSON.stringify(to)}`);
        }
      }
      assert.deepStrictEqual(indexed.declarationIndexOf(file), declarationIndex(text));
    }
  });
});

/**
 * Counts the calls of `declaredNames`' text scans (mayDeclareName, declarationIndex) given a text at least
 * `minLength` long, while `run` runs: the scans of a whole buffer rather than of one declaration.
 */
async function wholeTextScans(minLength: number, run: () => Promise<void>): Promise<number> {
  const exported = declaredNames as unknown as Record<'mayDeclareName' | 'declarationIndex', (text: string, ...rest: never[]) => unknown>;
  const originals = { mayDeclareName: exported.mayDeclareName, declarationIndex: exported.declarationIndex };
  let scans = 0;
  for (const name of ['mayDeclareName', 'declarationIndex'] as const) {
    exported[name] = (text: string, ...rest: never[]) => {
      if (text.length >= minLength) scans++;
      return originals[name](text, ...rest);
    };
  }
  try {
    await run();
  } finally {
    Object.assign(exported, originals);
  }
  return scans;
}

describe('name lookups in a buffer not parsed yet', () => {
  it('scan its whole text once, not per name and keystroke, while edits stay inside one declaration', async () => {
    const structs = Array.from({ length: 400 }, (_, i) => `type R${i} struct {\n\tflag bool\n\tid int64\n\tname string\n\tnext *R${i + 1}\n}\n`);
    let text = `package p\n\n${structs.join('\n')}\ntype R400 struct{}\n`;
    const file = '/virtual/big/big.go';
    const screen = { start: { line: 1400, character: 0 }, end: { line: 1460, character: 0 } };
    const engine = await Engine.create();
    engine.openFile(file, text);
    // The first hints index the buffer (one scan); each keystroke then types or deletes a letter of a field name.
    assert.ok(engine.structsInFile(file, DEFAULT_TARGETS, screen).length > 5);
    const at = text.indexOf('\tid int64', text.indexOf('type R205 ')) + 2;
    const scans = await wholeTextScans(text.length / 2, async () => {
      for (let key = 0; key < 10; key++) {
        const typing = key % 2 === 0;
        const position = { line: text.slice(0, at).split('\n').length - 1, character: 2 };
        const range = { start: position, end: typing ? position : { ...position, character: 3 } };
        engine.editFile(file, [{ range, text: typing ? 'x' : '', offsets: { start: at, end: typing ? at : at + 1 } }]);
        text = typing ? text.slice(0, at) + 'x' + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
        engine.structsInFile(file, DEFAULT_TARGETS, screen);
      }
    });
    assert.strictEqual(scans, 0, 'keystrokes scanned the whole buffer again');
    const fresh = await Engine.create();
    fresh.openFile(file, text);
    assert.deepStrictEqual(engine.structsInFile(file, DEFAULT_TARGETS, screen), fresh.structsInFile(file, DEFAULT_TARGETS, screen));
  });
});

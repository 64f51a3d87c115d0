// Valid Go must not get syntax errors. tree-sitter-go takes every `make`/`new` call for the builtin's (a type
// first), so a program's own `make` (GOROOT/src/encoding/json/v2/arshal_test.go) and Go 1.26's `new(expr)` got
// false errors; GoParser retries such files with those calls respelt (core/src/parse/builtinCalls.ts).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../core/src/engine';
import { GoParser } from '../../core/src/parse/goParser';
import { respellValueCalls } from '../../core/src/parse/builtinCalls';
import { compilerRejects } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';

/** Every .go file below `dir`, testdata folders left out (they hold deliberately broken files). */
function goFilesBelow(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testdata') goFilesBelow(full, out);
    } else if (entry.name.endsWith('.go')) {
      out.push(full);
    }
  }
  return out;
}

describe('no false syntax errors on valid Go', function () {
  this.timeout(900_000);
  const go = realGoEnv();

  it('respells only make/new calls whose first argument cannot be a type', () => {
    const cases: [string, string][] = [
      ['return &X{make(n - 1)}', 'return &X{makE(n - 1)}'],
      ['return make(100)', 'return makE(100)'],
      ['p := new(42)', 'p := neW(42)'],
      ['p := new(T{a: 1})', 'p := neW(T{a: 1})'],
      ['make(f(x))', 'makE(f(x))'],
      ['make(<-ch)', 'makE(<-ch)'],
    ];
    const unchanged = ['make([]int, n)', 'make(map[string]int)', 'make(chan<- int)', 'make(<-chan int, 1)', 'new(T)',
      'new(*T)', 'new(pkg.T)', 'make(n)', 'x.make(1)', 'remake(1)', 'new(struct{ a int })', 'make(T[int], 3)'];
    for (const [input, output] of cases) assert.strictEqual(respellValueCalls(input), output);
    for (const input of unchanged) assert.strictEqual(respellValueCalls(input), input);
  });

  it('parses a program with its own make and Go 1.26 new(expr) without errors, and the compiler builds it', async () => {
    const source = [
      'package m', '', 'type X struct{ next *X }', '',
      'func build() *X {', '\tvar make func(int) *X', '\tmake = func(n int) *X {', '\t\tif n == 0 {', '\t\t\treturn nil', '\t\t}',
      '\t\treturn &X{make(n - 1)}', '\t}', '\treturn make(100)', '}', '',
      'func pointers() (*int, *X, *bool) {', '\treturn new(42), new(X{}), new(1 < 2)', '}', '',
      'func builtin() []int { return make([]int, 3) }', '',
      'type Kept struct {', '\ta int8', '\tb int64', '}', '',
    ].join('\n');
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': source });
    assert.strictEqual(compilerRejects(root, 'm', 'linux', 'amd64', []), undefined, 'the fixture is not valid Go');
    const engine = await Engine.create(go);
    const file = path.join(root, 'm.go');
    assert.deepStrictEqual(engine.syntaxErrors(file), [], 'from disk');
    engine.openFile(file, source);
    assert.deepStrictEqual(engine.syntaxErrors(file), [], 'as an open editor buffer');
    const kept = engine.structsInFile(file, [{ goos: 'linux', goarch: 'amd64' }]).find((s) => s.name === 'Kept');
    assert.strictEqual(kept?.layouts['linux/amd64'].size, 16);
    engine.openFile(file, source.replace('return make(100)', 'return make(100'));
    assert.ok(engine.syntaxErrors(file).length > 0, 'a real syntax error is still reported');
  });

  it('finds no syntax error in any file of GOROOT/src outside testdata (encoding/json/v2/arshal_test.go had 8)', async () => {
    const parser = await GoParser.create();
    const files = goFilesBelow(path.join(go.goroot, 'src'));
    const broken: string[] = [];
    for (const file of files) {
      const tree = parser.parse(fs.readFileSync(file, 'utf8'));
      if (tree.rootNode.hasError) broken.push(path.relative(go.goroot, file));
      tree.delete();
    }
    console.log(`      ${files.length} files parsed in full, ${broken.length} with syntax errors`);
    assert.ok(files.length > 5000, `only ${files.length} files found`);
    assert.deepStrictEqual(broken, []);
  });
});

// The test-function finder against the real `go test -list`, which prints exactly the tests, benchmarks, fuzz
// vet is off: the file holds names vet rejects (Testify, Benchmarker) on purpose, to show go test skips them.
// targets and (runnable) examples go test would run, and against go test itself for the selection flags.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { findTestFunctions, goTestSelection, testFunctionAt } from '../../../core/src/gotest/testFunctions';
import { writeModule } from '../../support/goModule';

const SOURCE = `package p

import (
	"fmt"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(m.Run()) }

func Test(t *testing.T) {}

func TestPlain(t *testing.T) {
	t.Run("sub", func(t *testing.T) {})
}

func Test_underscore(t *testing.T) {}

func TestÉtoile(t *testing.T) {}

func Testify(t *testing.T) {}

func BenchmarkSum(b *testing.B) {
	for range b.N {
	}
}

func Benchmarker(b *testing.B) {}

func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {})
}

func ExampleHello() {
	fmt.Println("hello")
	// Output: hello
}

func (x helper) TestMethod(t *testing.T) {}

type helper struct{}
`;

function goTestList(dir: string, pattern: string): string[] {
  const out = execFileSync('go', ['test', '-vet=off', '-list', pattern], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOWORK: 'off', GOFLAGS: '-mod=mod' } });
  return out.split('\n').filter((line) => line !== '' && !line.startsWith('ok ') && !line.startsWith('ok\t'));
}

describe('test functions in a _test.go file', () => {
  const dir = writeModule({ 'go.mod': 'module example.com/p\n\ngo 1.22\n', 'p_test.go': SOURCE });

  it('finds exactly the functions go test -list names', () => {
    const found = findTestFunctions(SOURCE).map((f) => f.name).sort();
    assert.deepStrictEqual(found, goTestList(dir, '.*').sort());
  });

  it('gives each its kind, name columns and last line', () => {
    const byName = new Map(findTestFunctions(SOURCE).map((f) => [f.name, f]));
    assert.deepStrictEqual(
      [...byName.values()].map((f) => [f.name, f.kind]),
      [['Test', 'test'], ['TestPlain', 'test'], ['Test_underscore', 'test'], ['TestÉtoile', 'test'],
        ['BenchmarkSum', 'benchmark'], ['FuzzParse', 'fuzz'], ['ExampleHello', 'example']],
    );
    const plain = byName.get('TestPlain')!;
    const lines = SOURCE.split('\n');
    assert.strictEqual(lines[plain.line].slice(plain.nameStart, plain.nameEnd), 'TestPlain');
    assert.strictEqual(lines[plain.endLine], '}');
    assert.strictEqual(testFunctionAt([...byName.values()], plain.line + 1)?.name, 'TestPlain');
    assert.strictEqual(testFunctionAt([...byName.values()], 1), null);
  });

  it('selects one function with flags go test accepts', () => {
    for (const fn of findTestFunctions(SOURCE)) {
      const out = execFileSync('go', ['test', '-vet=off', '-v', ...goTestSelection(fn), '-benchtime=1x', '.'], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, GOWORK: 'off' },
      });
      const ran = [...out.matchAll(/^(?:=== RUN|--- PASS:)\s+(\S+)|^(Benchmark\S+?)(?:-\d+)?\s+\d+/gm)]
        .map((m) => (m[1] ?? m[2]).split('/')[0]);
      assert.deepStrictEqual([...new Set(ran)], [fn.name], `${fn.name}: ${goTestSelection(fn).join(' ')} ran ${ran.join(', ')}`);
    }
  });
});

import * as assert from 'assert';
import { mayDeclareLocalTypes, stripFunctionBodies } from '../../core/src/parse/skeleton';

describe('skeleton text for disk files', () => {
  it('empties function bodies but keeps their newlines', () => {
    const src = 'package p\n\nfunc f() {\n\tx := "}"\n\t_ = x\n}\n\ntype T struct{ a int }\n';
    const out = stripFunctionBodies(src)!;
    assert.strictEqual(out.text, 'package p\n\nfunc f() {\n\n\n}\n\ntype T struct{ a int }\n');
    assert.strictEqual(out.hasLocalTypes, false);
  });

  it('keeps struct and interface braces in signatures', () => {
    const src = 'package p\nfunc f(a struct{ x int }) struct{ y int } { return struct{ y int }{} }\ntype T int\n';
    const out = stripFunctionBodies(src)!;
    assert.strictEqual(out.text, 'package p\nfunc f(a struct{ x int }) struct{ y int } {}\ntype T int\n');
  });

  it('keeps bodies that declare local types, but not type switches', () => {
    const local = stripFunctionBodies('package p\nfunc f() {\n\ttype L struct{ a int8 }\n}\n')!;
    assert.strictEqual(local.hasLocalTypes, true);
    assert.match(local.text, /type L struct/);
    const src = 'package p\nfunc f(x any) {\n\tswitch x.(type) {\n\t}\n}\n';
    assert.strictEqual(stripFunctionBodies(src)!.hasLocalTypes, false);
    assert.strictEqual(stripFunctionBodies(src)!.text, 'package p\nfunc f(x any) {\n\n\n}\n');
  });

  it('tells cheaply whether an editor buffer may declare local types', () => {
    assert.strictEqual(mayDeclareLocalTypes('package p\nfunc f() {\n\ttype L struct{ a int8 }\n}\n'), true);
    assert.strictEqual(mayDeclareLocalTypes('package p\nfunc f() { type L int }\n'), true);
    assert.strictEqual(mayDeclareLocalTypes('package p\n\ntype T struct{ a int }\nfunc f(x any) {\n\tswitch x.(type) {\n\t}\n}\n'), false);
  });

  it('empties composite literals of var declarations, keeping the literal type', () => {
    const src = 'package p\nvar table = map[string]struct{ n int }{\n\t"a": {1},\n}\n';
    assert.strictEqual(stripFunctionBodies(src)!.text, 'package p\nvar table = map[string]struct{ n int }{\n\n}\n');
  });

  it('ignores braces inside strings, runes, raw strings and comments', () => {
    const src = "package p\nfunc f() {\n\ta := '{'\n\tb := `}\n}`\n\t// }\n\t/* } */\n}\ntype T int\n";
    const out = stripFunctionBodies(src)!;
    assert.ok(out.text.endsWith('}\ntype T int\n'));
    assert.strictEqual(out.text.split('\n').length, src.split('\n').length);
  });

  it('gives up on unbalanced text so the caller parses it whole', () => {
    assert.strictEqual(stripFunctionBodies('package p\nfunc f() {\n'), undefined);
    assert.strictEqual(stripFunctionBodies('package p\nvar s = "unterminated\n'), undefined);
  });
});

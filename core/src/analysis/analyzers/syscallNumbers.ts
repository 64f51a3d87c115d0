import type { Target } from '../../api';
import { rangeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { SyscallSource, syscallNamesFor, syscallNumber, syscallTableTargets } from '../../generated/syscalls';
import { targetKey } from '../../targets';
import type { Fix } from '../finding';
import { ensureImport } from '../imports';
import { SYSCALL_SOURCE_OF, importsSyscallPackage } from '../syscallPackages';
import { Analyzer, importPathOf, nodesOfType, Pass, qualifiedName } from '../pass';

const SYSCALL_FUNCS = new Set(['Syscall', 'Syscall6', 'RawSyscall', 'RawSyscall6', 'SyscallNoError', 'RawSyscallNoError']);
const UNIX = 'golang.org/x/sys/unix';

export const syscallNumbers: Analyzer = {
  name: 'syscallnum',
  ruleId: 'GAL1001',
  doc: 'Hard-coded syscall numbers in Syscall/RawSyscall calls: the number names a different call, or none, on other targets.',
  appliesTo: importsSyscallPackage,
  run(pass) {
    const covered = pass.fileTargets.filter((t) => syscallTableTargets.includes(targetKey(t)));
    if (covered.length === 0) return;
    for (const call of nodesOfType(pass.root, 'call_expression')) {
      const callee = qualifiedName(call.childForFieldName('function'));
      const importPath = callee && importPathOf(pass.model, callee[0]);
      if (!callee || !importPath || !(importPath in SYSCALL_SOURCE_OF) || !SYSCALL_FUNCS.has(callee[1])) continue;
      const first = call.childForFieldName('arguments')?.namedChildren[0];
      const literal = first ? literalNumber(first) : undefined;
      if (!first || !literal) continue;
      report(pass, first, literal.value, SYSCALL_SOURCE_OF[importPath], covered);
    }
  },
};

/** `1`, `0x1`, or `uintptr(1)`: the literal and its value. */
function literalNumber(node: SyntaxNode): { value: number } | undefined {
  if (node.type === 'int_literal') {
    const value = intLiteralValue(node.text);
    return value !== undefined && Number.isSafeInteger(value) ? { value } : undefined;
  }
  if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'uintptr') {
    const arg = node.childForFieldName('arguments')?.namedChildren;
    return arg?.length === 1 && arg[0] ? literalNumber(arg[0]) : undefined;
  }
  return undefined;
}

/**
 * A Go integer literal's value. JavaScript's Number() reads 0x/0o/0b forms as Go does, but Go's legacy octal
 * form (`047` is 39) would come out as decimal 47, so it is converted here; `08`-like text is not valid Go.
 */
function intLiteralValue(text: string): number | undefined {
  const digits = text.replace(/_/g, '');
  if (/^0[0-9]+$/.test(digits)) return /^0[0-7]+$/.test(digits) ? parseInt(digits.slice(1), 8) : undefined;
  return Number(digits);
}

/** The call's name without `SYS_`, lower-case: SYS_WRITE → write. */
function callName(source: SyscallSource, target: Target, value: number): string | undefined {
  const names = syscallNamesFor(source, targetKey(target), value);
  return names.length > 0 ? names[0].replace(/^SYS_/, '').toLowerCase() : undefined;
}

function report(pass: Pass, literal: SyntaxNode, value: number, source: SyscallSource, targets: Target[]): void {
  // x/sys knows more names than std; it names the number even when the call goes through package syscall.
  const meaning = new Map<string, Target[]>();
  for (const target of targets) {
    const name = callName('unix', target, value) ?? callName(source, target, value) ?? 'no system call';
    meaning.set(name, [...(meaning.get(name) ?? []), target]);
  }
  const described = [...meaning].map(([name, ts]) => `${name} on ${ts.map(targetKey).join(', ')}`).join('; ');
  const differs = meaning.size > 1;
  const { fixes, missing } = fixesFor(pass, literal, value, source, targets);
  const perArch = missing
    ? `; no fix: ${missing.constant} does not exist on ${missing.on.map(targetKey).join(', ')}, so put the call in per-architecture files (name_${pass.primaryTarget.goarch}.go, …) each with its target's constant`
    : '';
  pass.report({
    range: rangeOf(literal),
    severity: differs ? 'warning' : 'information',
    message: (differs
      ? `syscall number ${value} means ${described}: use the named constant of each target`
      : `syscall number ${value} is ${described}: a named constant says so and stays right on other targets`) + perArch,
    fixes,
  });
}

/**
 * Replace the literal with the constant for the file's target: from the called package, else from x/sys/unix;
 * only a constant that exists on every target the file builds for, or the fix would not compile on the others.
 * `missing` says which constant was left out, and where it is missing, when none qualifies.
 */
function fixesFor(pass: Pass, literal: SyntaxNode, value: number, source: SyscallSource, fileTargets: Target[]): { fixes: Fix[]; missing?: { constant: string; on: Target[] } } {
  const target = targetKey(pass.primaryTarget);
  const fixes: Fix[] = [];
  let missing: { constant: string; on: Target[] } | undefined;
  const everywhere = (pkg: SyscallSource, qualifier: string, name: string) => {
    const lacking = fileTargets.filter((t) => syscallNumber(pkg, targetKey(t), name) === undefined);
    if (lacking.length > 0) missing ??= { constant: `${qualifier}.${name}`, on: lacking };
    return lacking.length === 0;
  };
  const own = syscallNamesFor(source, target, value)[0];
  if (own && source === 'syscall' && everywhere('syscall', 'syscall', own)) {
    const { name, edits } = ensureImport(pass.file, pass.model, pass.root, 'syscall', 'syscall');
    fixes.push(replaceWith(pass, literal, `${name}.${own}`, edits, target, true));
  }
  const unixName = syscallNamesFor('unix', target, value)[0];
  if (unixName && syscallNumber('unix', target, unixName) === value && everywhere('unix', 'unix', unixName)) {
    const { name, edits } = ensureImport(pass.file, pass.model, pass.root, UNIX, 'unix');
    fixes.push(replaceWith(pass, literal, `${name}.${unixName}`, edits, target, fixes.length === 0));
  }
  return fixes.length > 0 ? { fixes } : { fixes, missing };
}

function replaceWith(pass: Pass, literal: SyntaxNode, constant: string, importEdits: Fix['edits'], target: string, preferred: boolean): Fix {
  return {
    title: `Replace ${literal.text} with ${constant} (its meaning on ${target})`,
    preferred,
    edits: [{ file: pass.file, range: rangeOf(literal), newText: constant }, ...importEdits],
  };
}

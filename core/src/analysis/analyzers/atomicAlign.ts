import type { Range, Target } from '../../api';
import type { FieldDecl, TypeExpr } from '../../model/ast';
import { rangeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { archInfo } from '../../targets';
import type { Fix, TextEdit } from '../finding';
import { Analyzer, localNameOf, nodesOfType, Pass, qualifiedName, targetLabel } from '../pass';
import { declaredTypeOf, dereferenced } from '../variableTypes';

/** sync/atomic functions on 64-bit words, and the method that replaces each on atomic.Int64/Uint64. */
const SIXTY_FOUR_BIT_OPS: Record<string, { method: string; wrapper: 'Int64' | 'Uint64' }> = {};
for (const [suffix, wrapper] of [['Int64', 'Int64'], ['Uint64', 'Uint64']] as const) {
  for (const op of ['Add', 'Load', 'Store', 'Swap', 'CompareAndSwap', 'And', 'Or']) {
    SIXTY_FOUR_BIT_OPS[op + suffix] = { method: op, wrapper };
  }
}

interface AtomicCall {
  call: SyntaxNode;
  fn: string;
  /** `&s.f`: the variable and the field. */
  variable: string;
  field: string;
  addressOf: SyntaxNode;
  restArgs: SyntaxNode[];
}

export const atomicAlign: Analyzer = {
  name: 'atomicalign32',
  ruleId: 'GAL1004',
  doc: '64-bit sync/atomic operations on struct fields that are not 8-byte aligned on 32-bit targets (386, arm, mips), which panic there.',
  appliesTo: (model) => model.imports.some((i) => i.path === 'sync/atomic'),
  run(pass) {
    const atomicName = localNameOf(pass.model, 'sync/atomic');
    if (!atomicName) return;
    const thirtyTwoBit = pass.fileTargets.filter((t) => archInfo(t.goarch)?.wordSize === 4);
    if (thirtyTwoBit.length === 0) return;
    const calls = findAtomicCalls(pass, atomicName);
    for (const call of calls) checkCall(pass, call, calls, atomicName, thirtyTwoBit);
  },
};

function findAtomicCalls(pass: Pass, atomicName: string): AtomicCall[] {
  const calls: AtomicCall[] = [];
  for (const call of nodesOfType(pass.root, 'call_expression')) {
    const callee = qualifiedName(call.childForFieldName('function'));
    if (!callee || callee[0] !== atomicName || !(callee[1] in SIXTY_FOUR_BIT_OPS)) continue;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is SyntaxNode => n !== null) ?? [];
    const addressOf = args[0];
    if (addressOf?.type !== 'unary_expression' || addressOf.childForFieldName('operator')?.text !== '&') continue;
    const target = qualifiedName(addressOf.childForFieldName('operand'));
    if (!target) continue;
    calls.push({ call, fn: callee[1], variable: target[0], field: target[1], addressOf, restArgs: args.slice(1) });
  }
  return calls;
}

function checkCall(pass: Pass, call: AtomicCall, all: AtomicCall[], atomicName: string, targets: Target[]): void {
  const varType = declaredTypeOf(call.variable, call.call, pass.model.varTypes);
  if (!varType) return;
  const structType = dereferenced(varType);
  const misaligned: { target: Target; offset: number }[] = [];
  let decl: { file?: string; struct?: TypeExpr } = {};
  for (const target of targets) {
    const found = pass.oracle.structLayoutOf(structType, target);
    const field = found?.layout.fields.find((f) => f.name === call.field);
    if (!found || !field || field.offset === null || field.size !== 8) return;
    decl = { file: found.declFile, struct: found.declType };
    if (field.offset % 8 !== 0) misaligned.push({ target, offset: field.offset });
  }
  if (misaligned.length === 0) return;
  const typeName = structType.kind === 'name' ? structType.name : 'struct';
  const offsets = [...new Set(misaligned.map((m) => m.offset))].join('/');
  pass.report({
    range: rangeOf(call.addressOf),
    severity: 'warning',
    message: `atomic.${call.fn} on ${typeName}.${call.field}, which is at offset ${offsets} on ${targetLabel(misaligned.map((m) => m.target))}: ` +
      '64-bit atomic operations there need 8-byte alignment and panic otherwise',
    fixes: fixesFor(pass, call, all, atomicName, decl),
  });
}

function fixesFor(pass: Pass, call: AtomicCall, all: AtomicCall[], atomicName: string, decl: { file?: string; struct?: TypeExpr }): Fix[] {
  if (decl.file !== pass.file || decl.struct?.kind !== 'struct') return [];
  const field = decl.struct.fields.find((f) => f.names.length === 1 && f.names[0].name === call.field);
  if (!field) return [];
  const fixes: Fix[] = [];
  const move = moveFieldFirst(pass, decl.struct.fields, field);
  if (move) fixes.push({ title: `Move ${call.field} to the start of the struct (offset 0 is 8-aligned everywhere)`, edits: move });
  const wrapper = SIXTY_FOUR_BIT_OPS[call.fn].wrapper;
  const sameField = all.filter((c) => c.field === call.field && c.variable === call.variable && SIXTY_FOUR_BIT_OPS[c.fn].wrapper === wrapper);
  fixes.push({
    title: `Use atomic.${wrapper} for ${call.field} (8-byte aligned on every target)`,
    preferred: true,
    edits: [
      { file: pass.file, range: field.typeRange, newText: `${atomicName}.${wrapper}` },
      ...sameField.map((c) => methodCallEdit(pass, c)),
    ],
  });
  return fixes;
}

/** `atomic.AddInt64(&s.n, 1)` → `s.n.Add(1)`. */
function methodCallEdit(pass: Pass, call: AtomicCall): TextEdit {
  const args = call.restArgs.map((a) => a.text).join(', ');
  return {
    file: pass.file,
    range: rangeOf(call.call),
    newText: `${call.variable}.${call.field}.${SIXTY_FOUR_BIT_OPS[call.fn].method}(${args})`,
  };
}

/** Moves the field's whole line to just after the struct's opening brace; only for one field on its own line. */
function moveFieldFirst(pass: Pass, fields: FieldDecl[], field: FieldDecl): TextEdit[] | undefined {
  const line = field.typeRange.start.line;
  const first = fields[0];
  if (first === field) return undefined;
  const sharesLine = fields.some((f) => f !== field && (f.typeRange.start.line === line || f.names.some((n) => n.range.start.line === line)));
  if (sharesLine || field.names[0].range.start.line !== line) return undefined;
  const firstLine = Math.min(first.typeRange.start.line, ...first.names.map((n) => n.range.start.line));
  if (firstLine === line) return undefined;
  const lines = pass.text.split('\n');
  // The field's doc comment lines travel with it.
  let top = line;
  while (top - 1 > firstLine && lines[top - 1].trim().startsWith('//')) top--;
  const moved = lines.slice(top, line + 1).join('\n') + '\n';
  const removed: Range = { start: { line: top, character: 0 }, end: { line: line + 1, character: 0 } };
  const insertAt: Range = { start: { line: firstLine, character: 0 }, end: { line: firstLine, character: 0 } };
  return [
    { file: pass.file, range: insertAt, newText: moved },
    { file: pass.file, range: removed, newText: '' },
  ];
}

import type { FieldLayout, Range, StructInfo, StructLayout, Target } from '../../core/src/api';
import { archInfo, targetKey } from '../../core/src/targets';

/**
 * Structs whose layouts the tests state by hand. `fixture layouts agree with the go compiler` (format.test.ts)
 * checks every number here against the real compiler on amd64, arm64, 386 and arm before anything relies on them.
 */
export const FIXTURE_SOURCE = `package m

type Mixed struct {
	a int32
	b int64
}

type Trailing struct {
	n int64
	z struct{}
}

type Pair struct {
	a, b int32
}

type Straddle struct {
	a [60]byte
	b int64
}
`;

export interface FieldFact {
  name: string;
  offset: number;
  size: number;
  align: number;
}

export interface StructFact {
  size: number;
  align: number;
  fields: FieldFact[];
}

type ByWordSize = Record<'64-bit' | '32-bit', StructFact>;

const f = (name: string, offset: number, size: number, align: number): FieldFact => ({ name, offset, size, align });

export const FIXTURE_FACTS: Record<string, ByWordSize> = {
  Mixed: {
    '64-bit': { size: 16, align: 8, fields: [f('a', 0, 4, 4), f('b', 8, 8, 8)] },
    '32-bit': { size: 12, align: 4, fields: [f('a', 0, 4, 4), f('b', 4, 8, 4)] },
  },
  Trailing: {
    '64-bit': { size: 16, align: 8, fields: [f('n', 0, 8, 8), f('z', 8, 0, 1)] },
    '32-bit': { size: 12, align: 4, fields: [f('n', 0, 8, 4), f('z', 8, 0, 1)] },
  },
  Pair: {
    '64-bit': { size: 8, align: 4, fields: [f('a', 0, 4, 4), f('b', 4, 4, 4)] },
    '32-bit': { size: 8, align: 4, fields: [f('a', 0, 4, 4), f('b', 4, 4, 4)] },
  },
  Straddle: {
    '64-bit': { size: 72, align: 8, fields: [f('a', 0, 60, 1), f('b', 64, 8, 8)] },
    '32-bit': { size: 68, align: 4, fields: [f('a', 0, 60, 1), f('b', 60, 8, 4)] },
  },
};

export function factFor(struct: string, goarch: string): StructFact {
  return FIXTURE_FACTS[struct][archInfo(goarch)!.wordSize === 8 ? '64-bit' : '32-bit'];
}

/**
 * The layout the engine should report for a fact: padding is what the offsets leave between fields. The fixture
 * structs hold no pointers (integers, byte arrays, struct{}), so pointer bytes are 0.
 */
export function layoutOf(fact: StructFact): StructLayout {
  let end = 0;
  const fields: FieldLayout[] = fact.fields.map((field) => {
    const layout = { name: field.name, offset: field.offset, size: field.size, align: field.align, paddingBefore: field.offset - end, ptrBytes: 0 };
    end = field.offset + field.size;
    return layout;
  });
  return { size: fact.size, align: fact.align, fields, trailingPadding: fact.size - end, ptrBytes: 0 };
}

/** A StructInfo as the engine gives it for a fixture struct, with ranges found in FIXTURE_SOURCE. */
export function fixtureStruct(name: string, targets: Target[]): StructInfo {
  const lines = FIXTURE_SOURCE.split('\n');
  const declLine = lines.findIndex((l) => l.startsWith(`type ${name} struct`));
  const closeLine = lines.findIndex((l, i) => i > declLine && l === '}');
  const fields = FIXTURE_FACTS[name]['64-bit'].fields.map((field) => {
    const line = lines.findIndex((l, i) => i > declLine && i < closeLine && new RegExp(`\\b${field.name}\\b`).test(l));
    const character = lines[line].search(new RegExp(`\\b${field.name}\\b`));
    return { name: field.name, range: span(line, character, field.name.length), typeText: lines[line].trim().split(/\s+/).pop()! };
  });
  return {
    name,
    file: '/fixture/m.go',
    nameRange: span(declLine, 'type '.length, name.length),
    bodyRange: { start: { line: declLine, character: `type ${name} `.length }, end: { line: closeLine, character: 1 } },
    fields,
    generic: false,
    layouts: Object.fromEntries(targets.map((t) => [targetKey(t), layoutOf(factFor(name, t.goarch))])),
  };
}

function span(line: number, character: number, length: number): Range {
  return { start: { line, character }, end: { line, character: character + length } };
}

export const linux = (goarch: string): Target => ({ goos: 'linux', goarch });

export const FOUR_TARGETS = ['amd64', 'arm64', '386', 'arm'].map(linux);

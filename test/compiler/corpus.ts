// Writes a deterministic corpus of Go struct types into a module, covering every type form the layout engine
// handles, so that the engine's numbers can be checked against the real compiler (see compiler.test.ts).
//
// Layout of the module:
//   go.mod                     module example.com/corpus
//   named.go, consts.go        named types, aliases, generic declarations and constants the structs use
//   gen_NN.go                  generated structs S000… (unexported fields; may use everything else)
//   std.go                     structs of standard-library types (all of which are in stdLayouts.json)
//   arch_*.go, os_*.go         types that exist, or differ, only for some targets (build constraints)
//   local.go                   struct types declared inside functions, with their assertions in place
//   sub/                       another package of the module; exported fields only, so that its layouts can be
//                              asserted from the root package without sub's own build depending on the engine
//   hand/                      the handwritten fixtures of test/fixtures/corpus
//
// Struct types declared inside a function cannot be named from an assertion file, so local.go asserts them in
// the function itself against constants `want_<Type>__<quantity>` / `want_<Type>__<field>__<quantity>` that the
// test defines per target from the engine's answer.

import * as fs from 'fs';
import * as path from 'path';

export const CORPUS_MODULE = 'example.com/corpus';

export interface CorpusPackage {
  /** Absolute directory. */
  dir: string;
  importPath: string;
  name: string;
  /**
   * Directory of the package in which this package's types are asserted: itself, or for `sub` the root package
   * (which imports it), using `qualifier.Type`.
   */
  assertIn: string;
  qualifier?: string;
}

export interface Corpus {
  root: string;
  packages: CorpusPackage[];
  /** Every .go file the engine should read (absolute paths). */
  goFiles: string[];
}

/** Deterministic pseudo-random numbers (mulberry32), so that a seed always yields the same corpus. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1][0];
  }
}

const BASIC = [
  'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'int', 'uint',
  'float32', 'float64', 'complex64', 'complex128', 'string', 'byte', 'rune',
];

/** Array lengths, many of them constant expressions whose value the engine must evaluate (some per target). */
const ARRAY_LENGTHS = [
  '0', '1', '2', '3', '5', '7', 'N', 'N*2', '1 << 4', 'M', 'A3', 'K', 'ptrBytes', 'len(Hello)', 'Shift + N',
  '(M - 1) / 2', 'Big >> 8', 'unsafe.Sizeof(uintptr(0))', 'unsafe.Alignof(int64(0))', 'PointSize', "'\\x02'",
  '0x3', 'N - Neg', 'unsafe.Sizeof(Wide{}) / 8', 'WordCount',
];

/** Zero-size types, for the "zero-size in the middle takes no space, at the end adds padding" rules. */
const ZERO_SIZE = ['struct{}', '[0]int64', '[0]string', 'Empty', '[0]struct{ a int64 }', '[2]struct{}', '[0][3]int64', 'ZeroArr'];

/** Standard-library types (each is in stdLayouts.json, so the engine also works from the table alone). */
const STD: { type: string; imports: string[]; embedName?: string }[] = [
  { type: 'sync.Mutex', imports: ['sync'], embedName: 'Mutex' },
  { type: 'sync.RWMutex', imports: ['sync'], embedName: 'RWMutex' },
  { type: 'sync.WaitGroup', imports: ['sync'], embedName: 'WaitGroup' },
  { type: 'sync.Once', imports: ['sync'], embedName: 'Once' },
  { type: 'atomic.Int64', imports: ['sync/atomic'], embedName: 'Int64' },
  { type: 'atomic.Uint64', imports: ['sync/atomic'], embedName: 'Uint64' },
  { type: 'atomic.Int32', imports: ['sync/atomic'] },
  { type: 'atomic.Bool', imports: ['sync/atomic'] },
  { type: 'atomic.Value', imports: ['sync/atomic'] },
  { type: 'time.Time', imports: ['time'], embedName: 'Time' },
  { type: 'time.Duration', imports: ['time'] },
  { type: 'strings.Builder', imports: ['strings'] },
  { type: 'bytes.Buffer', imports: ['bytes'], embedName: 'Buffer' },
  { type: 'context.Context', imports: ['context'], embedName: 'Context' },
  { type: 'reflect.Value', imports: ['reflect'] },
  { type: 'netip.Addr', imports: ['net/netip'] },
];

interface FileState {
  imports: Set<string>;
}

/** One field declaration's text and the (non-blank) names it declares; an embedded field is named by its type. */
interface FieldText {
  text: string;
  names: string[];
}

/** What a package's generated structs may refer to. */
interface Universe {
  /** Field names are capitalised (the `sub` package: assertable from another package). */
  exported: boolean;
  /** Named types of the package (non-generic) usable as field types. */
  named: string[];
  /** Types that may be embedded, with the field name embedding gives them. */
  embeddable: { type: string; name: string; imports?: string[] }[];
  /** Names of structs generated so far in this package (pointers may refer to any of them). */
  structs: string[];
  /**
   * Generated structs that hold no other generated struct by value. Only these are used by value, so that
   * nesting stays shallow and sizes small.
   */
  leafStructs: string[];
  /** Generic instantiations (written with the text of their type arguments filled in by genType). */
  generics: ((arg: () => string, comparable: () => string) => string)[];
  /** Types whose layout differs between targets through build-constrained declarations. */
  archTypes: string[];
  /** Import needed for a qualifier used in types (e.g. sub). */
  qualifiedImports: Record<string, string>;
}

const ROOT_UNIVERSE: Universe = {
  exported: false,
  named: [
    'MyInt', 'MyByte', 'MyFloat', 'Str', 'ID', 'Words', 'Bytes', 'Handler', 'Set', 'Pipe', 'Iface', 'Point', 'Wide',
    'PointPtr', 'Grid', 'AliasU16', 'AliasPoint', 'AliasWide', 'AliasBytes', 'AliasAny', 'MyInt2', 'C128', 'IntBox',
    'Node', 'sub.Exported', 'sub.Count', 'sub.Alias', 'sub.Embedded', 'PtrBits',
  ],
  embeddable: [
    { type: 'MyInt', name: 'MyInt' }, { type: 'Str', name: 'Str' }, { type: 'ID', name: 'ID' },
    { type: 'Bytes', name: 'Bytes' }, { type: 'Handler', name: 'Handler' }, { type: 'Iface', name: 'Iface' },
    { type: 'Empty', name: 'Empty' }, { type: 'Point', name: 'Point' }, { type: '*Point', name: 'Point' },
    { type: 'Wide', name: 'Wide' }, { type: '*Wide', name: 'Wide' }, { type: 'Grid', name: 'Grid' },
    { type: 'AliasPoint', name: 'AliasPoint' }, { type: 'AliasU16', name: 'AliasU16' }, { type: 'int32', name: 'int32' },
    { type: 'string', name: 'string' }, { type: 'Pair[int8, string]', name: 'Pair' }, { type: '*Box[int]', name: 'Box' },
    { type: 'Box[Point]', name: 'Box' }, { type: 'Tail[struct{}]', name: 'Tail' }, { type: 'IntBox', name: 'IntBox' },
    { type: 'sub.Exported', name: 'Exported', imports: ['sub'] }, { type: '*sub.Embedded', name: 'Embedded', imports: ['sub'] },
    { type: 'sub.Generic[uint16]', name: 'Generic', imports: ['sub'] }, { type: 'sub.Alias', name: 'Alias', imports: ['sub'] },
    { type: 'ArchWord', name: 'ArchWord' },
  ],
  structs: [],
  leafStructs: [],
  generics: [
    (arg, key) => `Pair[${key()}, ${arg()}]`,
    (arg) => `Box[${arg()}]`,
    (arg) => `Triple[${arg()}, ${arg()}, ${arg()}]`,
    (arg) => `Wrap[${arg()}]`,
    (arg) => `ArrOf[${arg()}]`,
    (arg) => `PtrTo[${arg()}]`,
    (arg) => `Tail[${arg()}]`,
    () => 'Tail[struct{}]',
    () => 'Tail[[0]int64]',
    (arg) => `StrPair[${arg()}]`,
    (arg) => `sub.Generic[${arg()}]`,
    (arg) => `Nest[${arg()}]`,
    () => 'atomic.Pointer[Point]',
  ],
  archTypes: ['ArchWord', 'sub.Word', 'OSWord', '[unsafe.Sizeof(uintptr(0))]byte', '[ptrBytes / 2]int16'],
  qualifiedImports: { sub: `${CORPUS_MODULE}/sub`, atomic: 'sync/atomic' },
};

const SUB_UNIVERSE: Universe = {
  exported: true,
  named: ['Count', 'Exported', 'Embedded', 'Alias', 'Word'],
  embeddable: [
    { type: 'Exported', name: 'Exported' }, { type: '*Embedded', name: 'Embedded' }, { type: 'Count', name: 'Count' },
    { type: 'Alias', name: 'Alias' }, { type: 'Generic[int8]', name: 'Generic' }, { type: 'Word', name: 'Word' },
  ],
  structs: [],
  leafStructs: [],
  generics: [(arg) => `Generic[${arg()}]`],
  archTypes: ['Word', '[unsafe.Sizeof(uintptr(0))]int8'],
  qualifiedImports: {},
};

/** Comparable types for map keys and comparable type parameters. */
function comparableType(rng: Rng, u: Universe): string {
  const local = u.exported ? ['Count', 'Word'] : ['MyInt', 'Str', 'Point', 'ID', '*Wide', 'AliasU16'];
  return rng.pick([...BASIC, ...local, '[2]int8', 'any', 'chan int', '*int64']);
}

/** Generates struct and type text for one package. */
class StructWriter {
  /** Set when the struct being generated holds another generated struct by value. */
  private usedStructByValue = false;

  constructor(private readonly rng: Rng, private readonly u: Universe) {}

  fieldName(i: number): string {
    return this.u.exported ? `F${i}` : `f${i}`;
  }

  /** A type expression; `depth` bounds nesting so that sizes stay small. */
  type(file: FileState, depth: number, selfName?: string): string {
    const rng = this.rng;
    const deep = depth >= 3;
    const form = rng.weighted({
      basic: 30, named: 10, earlier: depth === 0 && this.u.leafStructs.length ? 6 : 0, pointer: 6, unsafePointer: 2, slice: 4, map: 3,
      chan: 3, func: 3, iface: 4, array: deep ? 0 : 10, anon: deep ? 0 : 6, generic: deep ? 0 : 6, std: 4,
      zero: 5, arch: 3,
    });
    switch (form) {
      case 'basic': return rng.pick(BASIC);
      case 'named': return this.use(file, rng.pick(this.u.named));
      case 'earlier': this.usedStructByValue = true; return rng.pick(this.u.leafStructs);
      case 'pointer': {
        // A pointer may point at anything, including the struct being declared (recursion through a pointer).
        const candidates = [...this.u.structs, ...(selfName ? [selfName] : []), ...BASIC.slice(0, 4)];
        return '*' + (rng.chance(0.6) ? rng.pick(candidates) : this.type(file, depth + 1, selfName));
      }
      case 'unsafePointer': file.imports.add('unsafe'); return 'unsafe.Pointer';
      case 'slice': return '[]' + (rng.chance(0.3) && selfName ? selfName : this.type(file, depth + 1, selfName));
      case 'map': return `map[${this.use(file, comparableType(rng, this.u))}]${this.type(file, depth + 1, selfName)}`;
      case 'chan': return rng.pick(['chan ', '<-chan ', 'chan<- ']) + this.type(file, depth + 1, selfName);
      case 'func': {
        // Only generate the parameter type when it is used: generating records imports.
        const shape = rng.int(4);
        return shape === 3 ? `func(${this.type(file, depth + 1)}) int8` : ['func()', 'func(int, string) (bool, error)', 'func(...any)'][shape];
      }
      case 'iface': return this.use(file, rng.pick(['any', 'interface{}', 'error', 'interface{ M() }',
        'interface {\n\t\tString() string\n\t\tClose() error\n\t}', this.u.exported ? 'any' : 'Iface']));
      case 'array': return this.array(file, depth);
      case 'anon': return this.anonStruct(file, depth + 1, selfName);
      case 'generic': {
        const make = rng.pick(this.u.generics);
        return this.use(file, make(() => this.type(file, depth + 1), () => comparableType(rng, this.u)));
      }
      case 'std': {
        const std = rng.pick(STD);
        std.imports.forEach((i) => file.imports.add(i));
        return std.type;
      }
      case 'zero': return this.use(file, rng.pick(this.u.exported ? ['struct{}', '[0]int64', '[2]struct{}'] : ZERO_SIZE));
      case 'arch': return this.use(file, rng.pick(this.u.archTypes));
    }
  }

  private array(file: FileState, depth: number): string {
    const rng = this.rng;
    const length = this.u.exported ? rng.pick(['0', '1', '3', 'Len', 'Len * 2']) : rng.pick(ARRAY_LENGTHS);
    this.use(file, length);
    const elem = rng.weighted({ basic: 5, nested: 2, struct: 2, zero: 1 });
    if (elem === 'basic') return `[${length}]${rng.pick(BASIC)}`;
    if (elem === 'zero') return `[${length}]struct{}`;
    if (elem === 'struct') {
      return `[${length}]` + (this.u.exported ? 'Exported' : rng.pick(['Point', 'Wide', 'struct {\n\t\ta int8\n\t\tb int16\n\t}']));
    }
    return `[${length}]` + this.type(file, depth + 1);
  }

  anonStruct(file: FileState, depth: number, selfName?: string): string {
    const fields = this.fields(file, depth, this.rng.int(4), selfName);
    if (fields.length === 0) return 'struct{}';
    const indent = '\t'.repeat(depth + 1);
    return `struct {\n${fields.map((f) => indent + f.text).join('\n')}\n${'\t'.repeat(depth)}}`;
  }

  /**
   * Field declarations: named, multi-name, blank, embedded, with tags, and zero-size fields placed on purpose.
   * Returns each declaration's text and the non-blank field names it declares.
   */
  fields(file: FileState, depth: number, count: number, selfName?: string): FieldText[] {
    const rng = this.rng;
    const out: FieldText[] = [];
    const embeddedNames = new Set<string>();
    let next = 0;
    const named = (text: string, n = 1): void => {
      const names = Array.from({ length: n }, () => this.fieldName(next++));
      out.push({ text: `${names.join(', ')} ${text}`, names });
    };
    for (let i = 0; i < count; i++) {
      const kind = rng.weighted({ plain: 70, multi: 10, blank: 6, embedded: depth === 0 ? 9 : 3, zeroMiddle: 5 });
      const tag = rng.chance(0.08) ? ` \`json:"x${i}" db:"y"\`` : '';
      const comment = rng.chance(0.05) ? ' // a comment' : '';
      switch (kind) {
        case 'plain': named(this.type(file, depth, selfName) + tag + comment); break;
        case 'multi': named(this.type(file, depth, selfName) + tag, 2 + rng.int(2)); break;
        case 'blank': out.push({ text: `_ ${this.type(file, depth, selfName)}`, names: [] }); break;
        case 'zeroMiddle': named(this.use(file, rng.pick(['struct{}', '[0]int64', '[0]string']))); break;
        case 'embedded': {
          const embedded = this.embedded(file, embeddedNames);
          if (embedded) out.push({ text: embedded.type + tag, names: [embedded.name] });
          break;
        }
      }
    }
    // A zero-size last field makes gc add padding after it: exercise that often.
    if (rng.chance(0.15)) named(this.use(file, rng.pick(this.u.exported ? ['struct{}', '[0]int64'] : ZERO_SIZE)));
    return out;
  }

  /** An embeddable type whose field name is not yet taken in the struct, or undefined if none is left. */
  private embedded(file: FileState, taken: Set<string>): { type: string; name: string } | undefined {
    const rng = this.rng;
    const std = STD.filter((s) => s.embedName && !taken.has(s.embedName));
    if (rng.chance(0.25) && std.length) {
      const s = rng.pick(std);
      s.imports.forEach((imp) => file.imports.add(imp));
      taken.add(s.embedName!);
      return { type: s.type, name: s.embedName! };
    }
    const own = [
      ...this.u.embeddable,
      ...this.u.leafStructs.slice(-8).map((s) => ({ type: rng.chance(0.3) ? `*${s}` : s, name: s })),
    ].filter((e) => !taken.has(e.name));
    if (!own.length) return undefined;
    const e = rng.pick(own);
    taken.add(e.name);
    if (this.u.leafStructs.includes(e.type)) this.usedStructByValue = true;
    return { type: this.use(file, e.type), name: e.name };
  }

  /** Records the imports a piece of type text needs. */
  use(file: FileState, text: string): string {
    for (const [qualifier, importPath] of Object.entries(this.u.qualifiedImports)) {
      if (text.includes(`${qualifier}.`)) file.imports.add(importPath);
    }
    if (text.includes('unsafe.')) file.imports.add('unsafe');
    return text;
  }

  /** A top-level struct declaration named `name`; records it as usable by later structs. */
  struct(file: FileState, name: string): string {
    this.usedStructByValue = false;
    const count = Number(this.rng.weighted({ 0: 1, 1: 3, 2: 5, 3: 6, 4: 6, 5: 5, 6: 4, 8: 3, 11: 2 } as Record<string, number>));
    const fields = this.fields(file, 0, count, name);
    const body = fields.length ? `struct {\n${fields.map((f) => '\t' + f.text).join('\n')}\n}` : 'struct{}';
    this.u.structs.push(name);
    if (!this.usedStructByValue) this.u.leafStructs.push(name);
    return `type ${name} ${body}\n`;
  }
}

function goFile(pkg: string, file: FileState, body: string, header = ''): string {
  const imports = [...file.imports].sort();
  const importBlock = imports.length === 0 ? '' : `import (\n${imports.map((i) => `\t"${i}"`).join('\n')}\n)\n\n`;
  return `${header}package ${pkg}\n\n${importBlock}${body}`;
}

const NAMED_GO = `package corpus

import (
\t"unsafe"

\t"${CORPUS_MODULE}/sub"
)

type MyInt int32
type MyByte byte
type MyFloat float64
type Str string
type ID [16]byte
type Words [N]uintptr
type Bytes []byte
type Handler func(int) error
type Set map[string]struct{}
type Pipe chan int64
type Iface interface{ M() }
type Empty struct{}
type ZeroArr [0]complex128
type C128 complex128
type MyInt2 MyInt
type PtrBits [ptrBytes * 8]bool

type Point struct{ X, Y int32 }

type Wide struct {
\ta int8
\tb int64
\tc int8
}

type PointPtr *Point
type Grid [3][2]Point

type Node struct {
\tnext, prev *Node
\tkids      []Node
\tbyName    map[string]*Node
\tval       int16
}

type (
\tAliasU16   = uint16
\tAliasPoint = Point
\tAliasWide  = Wide
\tAliasBytes = []byte
\tAliasAny   = any
)

// Generic declarations: the test asserts their instantiations, never the declarations.
type Pair[K comparable, V any] struct {
\tKey K
\tVal V
}

type Box[T any] struct {
\tv  T
\tok bool
}

type Triple[A, B, C any] struct {
\ta A
\tb B
\tc C
}

type Wrap[T any] struct {
\tinner Box[T]
\ttail  int8
}

type ArrOf[T any] struct {
\txs [3]T
\tn  uint8
}

type PtrTo[T any] struct {
\tp    *T
\tflag bool
}

// Tail instantiated with a zero-size type ends in a zero-size field.
type Tail[T any] struct {
\tn int64
\tz T
}

type Nest[T any] struct {
\tpair Pair[string, T]
\tarr  [2]Box[T]
\tsub  sub.Generic[T]
}

type IntBox = Box[int]

// A generic alias (Go 1.24+).
type StrPair[V any] = Pair[string, V]

// Wrappers instantiate the generic declarations so that their layouts are asserted.
type PairInt8String struct{ p Pair[int8, string] }
type BoxEmpty struct{ b Box[struct{}] }
type TailEmpty struct{ t Tail[struct{}] }
type TripleMixed struct{ t Triple[int8, int64, int8] }
type WrapWide struct{ w Wrap[Wide] }
type NestBytes struct{ n Nest[[3]byte] }
type GenericAliasUse struct{ p StrPair[complex64] }

var _ unsafe.Pointer
`;

const CONSTS_GO = `package corpus

import "unsafe"

const N = 3
const M = N*2 + 1
const Shift = 4
const K uintptr = 5
const Big = 1 << 10
const Neg = -2
const Hello = "hello"

const (
\tA0 = iota
\tA1
\tA2
\tA3
)

// ptrBytes is 4 or 8: the classic word-size constant, evaluated per target.
const ptrBytes = 4 << (^uintptr(0) >> 63)

const PointSize = unsafe.Sizeof(Point{})

// WordCount depends on a build-constrained type (see arch_*.go).
const WordCount = unsafe.Sizeof(ArchWord(0))
`;

/** Types declared differently per target: the same struct must then lay out differently. */
const ARCH_FILES: Record<string, string> = {
  'arch_arm64.go': `package corpus

type ArchWord int64

type ArchOnlyArm64 struct {
\ta int8
\tw ArchWord
\tb [3]int16
}
`,
  'arch_x86only.go': `//go:build 386

package corpus

type ArchWord int16

type ArchOnly386 struct {
\ta int8
\tw ArchWord
\tb int64
}
`,
  'arch_other.go': `//go:build !arm64 && !386

package corpus

type ArchWord int32
`,
  'arch_mips_family.go': `//go:build mips || mipsle || mips64 || mips64le

package corpus

type MipsOnly struct {
\ta bool
\tb complex128
\tc bool
}
`,
  'os_js.go': `package corpus

type OSWord [3]int8

type JSOnly struct {
\ta int16
\tw OSWord
\tb uint32
}
`,
  'os_notjs.go': `//go:build !js

package corpus

type OSWord uint64
`,
  'legacy_tags.go': `// +build ppc64 s390x

package corpus

// Only an old-style build line: the go command still honours it when there is no //go:build line.
type BigEndianOnly struct {
\ta uint8
\tb uint32
}
`,
};

const SUB_FILES: Record<string, string> = {
  'sub/types.go': `package sub

type Count int16

type Exported struct {
\tA int8
\tB int64
\tC string
}

type Embedded struct {
\tID    uint32
\tFlags uint16
}

type Alias = Exported

type Generic[T any] struct {
\tVal T
\tN   uint8
}

const Len = 3
`,
  'sub/word_32bit.go': `//go:build 386 || arm || mips || mipsle

package sub

type Word uint32
`,
  'sub/word_64bit.go': `//go:build !(386 || arm || mips || mipsle)

package sub

type Word uint64
`,
};

/** Structs of standard-library types that people embed (these resolve from GOROOT or from the table). */
function stdGo(): string {
  return `package corpus

import (
\t"bytes"
\t"context"
\t"net/netip"
\t"reflect"
\t"strings"
\t"sync"
\t"sync/atomic"
\t"time"
)

type Counter struct {
\tsync.Mutex
\tn     int64
\tflag  bool
\thits  atomic.Int64
\tlast  time.Time
\tdone  sync.WaitGroup
\tstate atomic.Uint64
}

type Atomics32 struct {
\tok  bool
\tu64 atomic.Uint64
\ti32 atomic.Int32
\tb   atomic.Bool
\tv   atomic.Value
\tp   atomic.Pointer[Point]
}

type Service struct {
\tmu      sync.RWMutex
\tonce    sync.Once
\tctx     context.Context
\ttimeout time.Duration
\tbuf     bytes.Buffer
\tsb      strings.Builder
\tval     reflect.Value
\taddr    netip.Addr
\tstarted time.Time
}

type EmbedsTime struct {
\ttime.Time
\tzone int8
}

type Plain64 struct {
\ta bool
\tn int64
}
`;
}

/** Functions declaring struct types locally, each asserted in place against per-target want_ constants. */
function localGo(rng: Rng, writer: StructWriter, file: FileState, count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const names = [`Local${i}a`, `Local${i}b`];
    const decls: string[] = [];
    const fieldNamesOf: string[][] = [];
    names.forEach((name, j) => {
      const fields = writer.fields(file, 1, 1 + rng.int(5));
      // The second local type refers to the first, resolving through the function's scope.
      if (j === 1) fields.push({ text: `inner ${rng.chance(0.5) ? names[0] : '*' + names[0]}`, names: ['inner'] });
      decls.push(`\ttype ${name} struct {\n${fields.map((f) => '\t\t' + f.text).join('\n')}\n\t}`);
      fieldNamesOf.push(fields.flatMap((f) => f.names));
    });
    const checks = names.flatMap((name, j) => [
      `\tvar v${name} ${name}`,
      `\t_ = v${name}`,
      `\tvar _ = [1]struct{}{}[unsafe.Sizeof(v${name})-want_${name}__size]`,
      `\tvar _ = [1]struct{}{}[unsafe.Alignof(v${name})-want_${name}__align]`,
      ...fieldNamesOf[j].flatMap((f) => [
        `\tvar _ = [1]struct{}{}[unsafe.Offsetof(v${name}.${f})-want_${name}__${f}__off]`,
        `\tvar _ = [1]struct{}{}[unsafe.Sizeof(v${name}.${f})-want_${name}__${f}__size]`,
        `\tvar _ = [1]struct{}{}[unsafe.Alignof(v${name}.${f})-want_${name}__${f}__align]`,
      ]),
    ]);
    parts.push(`func localShapes${i}() {\n${decls.join('\n')}\n${checks.join('\n')}\n}\n`);
  }
  file.imports.add('unsafe');
  return parts.join('\n');
}

/**
 * Adds the handwritten fixtures to `files`: top-level files form package hand, each subfolder a package that
 * hand imports. Returns the subfolder names.
 */
function copyFixtures(fixturesDir: string, files: Record<string, string>): string[] {
  const subpackages: string[] = [];
  for (const entry of fs.readdirSync(fixturesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      subpackages.push(entry.name);
      for (const f of fs.readdirSync(path.join(fixturesDir, entry.name)).filter((n) => n.endsWith('.go'))) {
        files[`hand/${entry.name}/${f}`] = fs.readFileSync(path.join(fixturesDir, entry.name, f), 'utf8');
      }
    } else if (entry.name.endsWith('.go')) {
      files[`hand/${entry.name}`] = fs.readFileSync(path.join(fixturesDir, entry.name), 'utf8');
    }
  }
  return subpackages;
}

export interface CorpusOptions {
  seed: number;
  /** Generated structs in the root package (sub gets a tenth as many). */
  structs: number;
  /** Folder of handwritten fixture files (package hand). */
  fixturesDir: string;
}

/** Writes the corpus module into `root` (an empty folder) and describes it. */
export function writeCorpus(root: string, options: CorpusOptions): Corpus {
  const rng = new Rng(options.seed);
  const files: Record<string, string> = {
    'go.mod': `module ${CORPUS_MODULE}\n\ngo 1.26\n`,
    'named.go': NAMED_GO,
    'consts.go': CONSTS_GO,
    'std.go': stdGo(),
    ...ARCH_FILES,
    ...SUB_FILES,
  };

  const subUniverse: Universe = { ...SUB_UNIVERSE, structs: [], leafStructs: [] };
  const subWriter = new StructWriter(rng, subUniverse);
  const subFile: FileState = { imports: new Set() };
  const subStructs: string[] = [];
  for (let i = 0; i < Math.max(10, Math.round(options.structs / 10)); i++) {
    const name = `T${String(i).padStart(2, '0')}`;
    subStructs.push(subWriter.struct(subFile, name));
  }
  files['sub/gen.go'] = goFile('sub', subFile, subStructs.join('\n'));

  const rootUniverse: Universe = { ...ROOT_UNIVERSE, structs: [], leafStructs: [] };
  const writer = new StructWriter(rng, rootUniverse);
  const perFile = 40;
  for (let start = 0; start < options.structs; start += perFile) {
    const file: FileState = { imports: new Set() };
    const decls: string[] = [];
    for (let i = start; i < Math.min(options.structs, start + perFile); i++) {
      const name = `S${String(i).padStart(3, '0')}`;
      decls.push(writer.struct(file, name));
    }
    files[`gen_${String(start / perFile).padStart(2, '0')}.go`] = goFile('corpus', file, decls.join('\n'));
  }
  const localFile: FileState = { imports: new Set() };
  const localBody = localGo(rng, writer, localFile, 12);
  files['local.go'] = goFile('corpus', localFile, localBody);

  const fixturePackages = copyFixtures(options.fixturesDir, files);

  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  const rootPkg: CorpusPackage = { dir: root, importPath: CORPUS_MODULE, name: 'corpus', assertIn: root };
  return {
    root,
    packages: [
      rootPkg,
      { dir: path.join(root, 'sub'), importPath: `${CORPUS_MODULE}/sub`, name: 'sub', assertIn: root, qualifier: 'sub' },
      { dir: path.join(root, 'hand'), importPath: `${CORPUS_MODULE}/hand`, name: 'hand', assertIn: path.join(root, 'hand') },
      // Fixture subpackages (exported fields only) are imported by hand and asserted there.
      ...fixturePackages.map((name) => ({
        dir: path.join(root, 'hand', name), importPath: `${CORPUS_MODULE}/hand/${name}`, name,
        assertIn: path.join(root, 'hand'), qualifier: name,
      })),
    ],
    goFiles: Object.keys(files).filter((f) => f.endsWith('.go')).map((f) => path.join(root, f)).sort(),
  };
}

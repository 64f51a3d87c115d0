/**
 * Go sources nested `depth` levels deep in each way the engine's walks recurse, all valid Go (gc compiles them),
 * each between two small structs that must still be laid out.
 */
export function deepSources(depth: number): Record<string, string> {
  const before = 'type Before struct {\n\ta int8\n\tb int64\n}\n\n';
  const after = (name: string) => `\n\ntype ${name} struct {\n\ta int8\n\tb int32\n}\n`;
  return {
    'anonymous.go': `package m\n\n${before}type Deep struct {\n${'x struct {\n'.repeat(depth)}v int64\n${'}\n'.repeat(depth)}}${after('After')}`,
    'generic.go': `package m\n\ntype W[T any] struct{ v T }\n\ntype G struct {\n\tw ${'W['.repeat(depth)}int64${']'.repeat(depth)}\n}${after('AfterG')}`,
    'chain.go': `package m\n\ntype N0 struct{ next N1 }\n${Array.from({ length: depth - 1 }, (_, i) => `type N${i + 1} struct{ next N${i + 2} }\n`).join('')}type N${depth} struct{ v int64 }${after('AfterN')}`,
    'consts.go': `package m\n\nconst C0 = C1 + 1\n${Array.from({ length: depth - 1 }, (_, i) => `const C${i + 1} = C${i + 2} + 1\n`).join('')}const C${depth} = 1\n\ntype Sized struct{ a [C0]byte }\n\ntype Summed struct{ a [${Array(depth).fill('1').join('+')}]byte }${after('AfterC')}`,
  };
}

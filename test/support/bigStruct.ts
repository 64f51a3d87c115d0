/**
 * A Go file declaring `type Big struct` (then `Big2`, … for `structs` > 1, the same fields each) with `fields`
 * fields of mixed kinds: what the view's benchmark draws.
 */
export function bigStructSource(fields = 200, packageName = 'm', structs = 1): string {
  const kinds = ['bool', 'int64', 'int32', 'string', '*int', '[3]byte', 'uint16', 'float64', '[]int', 'map[string]int'];
  const lines = Array.from({ length: fields }, (_, i) => `\tf${i} ${kinds[i % kinds.length]}`);
  const declarations = Array.from({ length: structs }, (_, i) => `type Big${i === 0 ? '' : i + 1} struct {\n${lines.join('\n')}\n}\n`);
  return `package ${packageName}\n\n${declarations.join('\n')}`;
}

/** A Go file declaring `type Big struct` with `fields` fields of mixed kinds: what the view's benchmark draws. */
export function bigStructSource(fields = 200, packageName = 'm'): string {
  const kinds = ['bool', 'int64', 'int32', 'string', '*int', '[3]byte', 'uint16', 'float64', '[]int', 'map[string]int'];
  const lines = Array.from({ length: fields }, (_, i) => `\tf${i} ${kinds[i % kinds.length]}`);
  return `package ${packageName}\n\ntype Big struct {\n${lines.join('\n')}\n}\n`;
}

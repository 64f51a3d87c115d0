/**
 * JSON written piece by piece. A whole document as one string fails past V8's string limit (~512 MiB: `layout
 * --json --goarch all` of a 7 MB file), and holding every item at once costs memory in proportion; here the items
 * of a `StreamedArray` are produced and written one at a time. The text equals `JSON.stringify(value, null, 2)`
 * of the same document.
 */
export class StreamedArray {
  constructor(readonly items: Iterable<unknown>) {}

  /** The array of `map(item)` for each item, each mapped only when it is written. */
  static of<T>(items: Iterable<T>, map: (item: T) => unknown): StreamedArray {
    return new StreamedArray((function* mapped() {
      for (const item of items) yield map(item);
    })());
  }
}

type Write = (chunk: string) => Promise<void>;

/** Chunks handed on at once: fewer, larger writes to the output, still a bounded amount held. */
const CHUNK_CHARS = 1 << 16;

/** Writes `value` and a newline through `write`, in chunks of about CHUNK_CHARS. */
export async function writeJson(value: unknown, write: Write): Promise<void> {
  let pending: string[] = [];
  let pendingChars = 0;
  const buffered: Write = async (chunk) => {
    pending.push(chunk);
    pendingChars += chunk.length;
    if (pendingChars < CHUNK_CHARS) return;
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    await write(text);
  };
  await writeValue(value, '', buffered);
  pending.push('\n');
  await write(pending.join(''));
}

async function writeValue(value: unknown, indent: string, write: Write): Promise<void> {
  if (value instanceof StreamedArray) return writeArray(value.items, indent, write);
  if (!holdsStream(value)) {
    await write(JSON.stringify(value, null, 2).replace(/\n/g, '\n' + indent));
    return;
  }
  if (Array.isArray(value)) return writeArray(value, indent, write);
  const inner = indent + '  ';
  let first = true;
  await write('{');
  for (const [key, member] of Object.entries(value as object)) {
    if (member === undefined) continue;
    await write(`${first ? '' : ','}\n${inner}${JSON.stringify(key)}: `);
    await writeValue(member, inner, write);
    first = false;
  }
  await write(first ? '}' : `\n${indent}}`);
}

async function writeArray(items: Iterable<unknown>, indent: string, write: Write): Promise<void> {
  const inner = indent + '  ';
  let first = true;
  await write('[');
  for (const item of items) {
    await write(`${first ? '' : ','}\n${inner}`);
    // JSON.stringify writes undefined array elements as null.
    await writeValue(item === undefined ? null : item, inner, write);
    first = false;
  }
  await write(first ? ']' : `\n${indent}]`);
}

/** Whether a StreamedArray sits anywhere in the plain objects and arrays of `value`. */
function holdsStream(value: unknown): boolean {
  if (value instanceof StreamedArray) return true;
  if (value === null || typeof value !== 'object') return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(holdsStream);
}

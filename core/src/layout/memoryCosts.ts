import generated from '../generated/runtimeTables.json';

/**
 * What a value costs beyond its size, per GOARCH, as Go's runtime decides it. The figures come from the
 * toolchain's own sources (scripts/gen-runtime-tables, whose `go test` regenerates them from GOROOT), and the
 * decisions below mirror runtime.mallocgc; the generator fails when a Go release changes those comparisons.
 */
interface RuntimeTables {
  goVersion: string;
  cacheLinePadSize: Record<string, number>;
  heap: {
    sizeClasses: number[];
    maxSmallSize: number;
    tinySize: number;
    mallocHeaderSize: number;
    pageShift: number;
    minSizeForMallocHeader: Record<string, number>;
  };
}

const tables = generated as RuntimeTables;

/** The Go release whose runtime the figures describe. */
export const runtimeTablesGoVersion = tables.goVersion;

/**
 * The cache-line size Go's runtime pads to on `goarch` (internal/cpu.CacheLinePadSize: 64 on amd64, 128 on arm64
 * and ppc64, 32 on arm and mips, 256 on s390x); undefined for a GOARCH gc does not build.
 */
export function cacheLineSize(goarch: string): number | undefined {
  return tables.cacheLinePadSize[goarch];
}

/** Where `new(T)` puts a value of a given size on the heap (when escape analysis sends it there). */
export type HeapCost =
  /** A zero-size value takes no memory: the runtime hands out the address of its `zerobase`. */
  | { kind: 'zero'; bytes: 0 }
  /** Pointer-free and smaller than the tiny block: packed with other tiny values into one 16-byte block. */
  | { kind: 'tiny'; bytes: number; block: number }
  /** A small object: rounded up to its size class; objects with pointers above a size carry an 8-byte header. */
  | { kind: 'small'; bytes: number; mallocHeader: boolean }
  /** A large object: whole pages of its own. */
  | { kind: 'large'; bytes: number; pages: number };

/**
 * The heap cost of `new(T)` for a T of `size` bytes whose first `ptrBytes` bytes hold pointers (0: none), on
 * `goarch`. Undefined for a GOARCH gc does not build.
 */
export function heapCost(size: number, ptrBytes: number, goarch: string): HeapCost | undefined {
  const heap = tables.heap;
  const headerAbove = heap.minSizeForMallocHeader[goarch];
  if (headerAbove === undefined) return undefined;
  if (size === 0) return { kind: 'zero', bytes: 0 };
  if (size > heap.maxSmallSize - heap.mallocHeaderSize) {
    const pages = Math.ceil(size / 2 ** heap.pageShift);
    return { kind: 'large', bytes: pages * 2 ** heap.pageShift, pages };
  }
  const hasPointers = ptrBytes > 0;
  if (!hasPointers && size < heap.tinySize) return { kind: 'tiny', bytes: size, block: heap.tinySize };
  const mallocHeader = hasPointers && size > headerAbove;
  const needed = mallocHeader ? size + heap.mallocHeaderSize : size;
  return { kind: 'small', bytes: sizeClassFor(needed), mallocHeader };
}

/** The smallest size class holding `size` bytes (size is at most maxSmallSize). */
function sizeClassFor(size: number): number {
  const found = tables.heap.sizeClasses.find((classSize) => classSize >= size);
  if (found === undefined) throw new Error(`no size class holds ${size} bytes`);
  return found;
}

/** A heap cost in a few words: `32 B class`, `48 B class (8 B header)`, `large object (5 pages)`. */
export function heapCostText(cost: HeapCost): string {
  switch (cost.kind) {
    case 'zero': return 'none (zero size)';
    case 'tiny': return `tiny (${cost.bytes} B in a ${cost.block} B block)`;
    case 'small': return `${cost.bytes} B class${cost.mallocHeader ? ` (${tables.heap.mallocHeaderSize} B header)` : ''}`;
    case 'large': return `large object (${cost.pages} page${cost.pages === 1 ? '' : 's'}, ${cost.bytes} B)`;
  }
}

import type { ArchInfo } from '../targets';

/** Size and alignment of a type on one architecture, and the bytes the garbage collector scans in it. */
export interface Shape {
  size: number;
  align: number;
  /**
   * Bytes from the start of a value up to the end of its last pointer word, as the compiler records it
   * (internal/abi.Type.PtrBytes): 0 for pointer-free types. Null when unknown, with the reason in `ptrUnknown`.
   */
  ptrBytes: number | null;
  ptrUnknown?: string;
}

/** A layout the engine knows, or the reason it does not. */
export type LayoutResult = Shape | { unknown: string };

export function isKnown(result: LayoutResult): result is Shape {
  return 'size' in result;
}

export function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** Integer kinds and their widths in bits (int, uint and uintptr follow the word size). */
export function integerBits(name: string, arch: ArchInfo): { bits: number; signed: boolean } | undefined {
  switch (name) {
    case 'int8': return { bits: 8, signed: true };
    case 'int16': return { bits: 16, signed: true };
    case 'int32': case 'rune': return { bits: 32, signed: true };
    case 'int64': return { bits: 64, signed: true };
    case 'uint8': case 'byte': return { bits: 8, signed: false };
    case 'uint16': return { bits: 16, signed: false };
    case 'uint32': return { bits: 32, signed: false };
    case 'uint64': return { bits: 64, signed: false };
    case 'int': return { bits: arch.wordSize * 8, signed: true };
    case 'uint': case 'uintptr': return { bits: arch.wordSize * 8, signed: false };
    default: return undefined;
  }
}

/**
 * Predeclared types. 8-byte scalars align to the architecture's register size, so int64 is 4-aligned on 386 and
 * arm; complex types align like their halves.
 */
export function predeclaredShape(name: string, arch: ArchInfo): Shape | undefined {
  const word = arch.wordSize;
  const eight = Math.min(8, arch.maxAlign);
  switch (name) {
    case 'bool': case 'int8': case 'uint8': case 'byte':
      return { size: 1, align: 1, ptrBytes: 0 };
    case 'int16': case 'uint16':
      return { size: 2, align: 2, ptrBytes: 0 };
    case 'int32': case 'uint32': case 'rune': case 'float32':
      return { size: 4, align: 4, ptrBytes: 0 };
    case 'int64': case 'uint64': case 'float64':
      return { size: 8, align: eight, ptrBytes: 0 };
    case 'complex64':
      return { size: 8, align: 4, ptrBytes: 0 };
    case 'complex128':
      return { size: 16, align: eight, ptrBytes: 0 };
    case 'int': case 'uint': case 'uintptr':
      return { size: word, align: word, ptrBytes: 0 };
    case 'string':
      // Data pointer, then the length.
      return { size: 2 * word, align: word, ptrBytes: word };
    case 'error': case 'any':
      // Type (or itab) word and data word: the collector scans both.
      return { size: 2 * word, align: word, ptrBytes: 2 * word };
    default:
      return undefined;
  }
}

/** Types whose layout is a fixed number of words whatever they hold; a slice's pointer is its first word. */
export function headerShape(kind: 'pointer' | 'slice' | 'map' | 'chan' | 'func' | 'interface', arch: ArchInfo): Shape {
  const word = arch.wordSize;
  const words = kind === 'slice' ? 3 : kind === 'interface' ? 2 : 1;
  return { size: words * word, align: word, ptrBytes: kind === 'interface' ? 2 * word : word };
}

/** Pointer bytes of an array: every element but the last in full, then the last one's pointer prefix. */
export function arrayPtrBytes(length: number, elem: Shape): Pick<Shape, 'ptrBytes' | 'ptrUnknown'> {
  if (length === 0 || elem.ptrBytes === 0) return { ptrBytes: 0 };
  if (elem.ptrBytes === null) return { ptrBytes: null, ptrUnknown: elem.ptrUnknown };
  return { ptrBytes: (length - 1) * elem.size + elem.ptrBytes };
}

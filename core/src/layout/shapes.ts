import type { ArchInfo } from '../targets';

/** Size and alignment of a type on one architecture. */
export interface Shape {
  size: number;
  align: number;
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
      return { size: 1, align: 1 };
    case 'int16': case 'uint16':
      return { size: 2, align: 2 };
    case 'int32': case 'uint32': case 'rune': case 'float32':
      return { size: 4, align: 4 };
    case 'int64': case 'uint64': case 'float64':
      return { size: 8, align: eight };
    case 'complex64':
      return { size: 8, align: 4 };
    case 'complex128':
      return { size: 16, align: eight };
    case 'int': case 'uint': case 'uintptr':
      return { size: word, align: word };
    case 'string': case 'error': case 'any':
      return { size: 2 * word, align: word };
    default:
      return undefined;
  }
}

/** Types whose layout is a fixed number of words whatever they hold. */
export function headerShape(kind: 'pointer' | 'slice' | 'map' | 'chan' | 'func' | 'interface', arch: ArchInfo): Shape {
  const word = arch.wordSize;
  const words = kind === 'slice' ? 3 : kind === 'interface' ? 2 : 1;
  return { size: words * word, align: word };
}

import type { LayoutEngine, Range, StructInfo, Target } from '../../core/src/api';
import { worthShowing } from './structAnchor';

/** Ranges remembered at most: a few editors' visible ranges, each asked for by hints and then hovers. */
const MAX_CACHED_RANGES = 32;
/** Struct layouts remembered at most, summed over the ranges (a whole-file range of a generated file holds many). */
const MAX_CACHED_STRUCTS = 20000;

/**
 * Struct layouts (named and anonymous) per file and line range for the file's current targets, remembered between the inlay-hint and hover
 * requests that follow one another; any change to sources or settings forgets everything, since layouts cross
 * files. Only the structs in the requested lines are laid out: the editor asks for what is visible.
 */
export class StructIndex {
  /** Least recently used first (a hit moves its entry to the end). */
  private readonly byRange = new Map<string, StructInfo[]>();
  private cachedStructs = 0;

  constructor(private readonly engine: LayoutEngine, private readonly targets: (file: string) => Target[]) {}

  structsIn(file: string, range: Range): StructInfo[] {
    const key = `${file}#${range.start.line}-${range.end.line}`;
    let structs = this.byRange.get(key);
    if (structs) {
      this.byRange.delete(key);
    } else {
      const targets = this.targets(file);
      // Named structs first, then the anonymous ones in source order (outer before nested).
      structs = [
        ...this.engine.structsInFile(file, targets, range),
        ...this.engine.literalStructsInFile(file, targets, range).filter(worthShowing),
      ];
      this.cachedStructs += structs.length;
    }
    this.byRange.set(key, structs);
    this.evictPastLimits();
    return structs;
  }

  forget(): void {
    this.byRange.clear();
    this.cachedStructs = 0;
  }

  /**
   * A client asking for ever other ranges of a file (scrolling, or 400 whole-file requests) must not grow the cache
   * without bound: past either limit the least recently used ranges go (the last one asked for always stays).
   */
  private evictPastLimits(): void {
    for (const [key, structs] of this.byRange) {
      if (this.byRange.size <= MAX_CACHED_RANGES && this.cachedStructs <= MAX_CACHED_STRUCTS) return;
      if (this.byRange.size === 1) return;
      this.byRange.delete(key);
      this.cachedStructs -= structs.length;
    }
  }
}

/**
 * gc compiles types nested thousands of levels deep (anonymous structs in structs, `W[W[…]]`, chains of named
 * types). The engine's walks over them recurse, so they stop at this depth and say so: the type is unknown
 * "nested deeper than N levels" and everything else in the file is still laid out. No real program comes close.
 */
export const MAX_NESTING = 200;

export const TOO_DEEP = `nested deeper than ${MAX_NESTING} levels`;

/**
 * Counts how deep a recursive walk is, cuts it off past MAX_NESTING, and keeps results that a cutoff shaped out
 * of the long-lived memo (whether a cutoff is reached depends on where the walk started).
 */
export class NestingGuard {
  private depth = 0;
  private cutoffs = 0;
  /** Results of the current outermost walk that a cutoff affected; dropped when that walk ends. */
  private readonly walkMemo = new Map<string, unknown>();

  /** Runs `walk` one level deeper, or answers `tooDeep()` instead past MAX_NESTING. */
  descend<T>(walk: () => T, tooDeep: () => T): T {
    if (this.depth >= MAX_NESTING) {
      this.cutoffs++;
      return tooDeep();
    }
    this.depth++;
    try {
      return walk();
    } finally {
      if (--this.depth === 0) this.walkMemo.clear();
    }
  }

  /**
   * `compute()` remembered under `key`: in `memo` for good, or, when a cutoff happened while computing it, only
   * until the outermost walk ends — so a shared sub-result is computed once per walk, not once per path to it.
   */
  memoised<T>(memo: Map<string, T>, key: string, compute: () => T): T {
    const cached = memo.get(key) ?? (this.walkMemo.get(key) as T | undefined);
    if (cached !== undefined) return cached;
    const before = this.cutoffs;
    const result = compute();
    if (this.cutoffs === before) memo.set(key, result);
    else if (this.depth > 0) this.walkMemo.set(key, result);
    return result;
  }
}

import type { LayoutEngine, Range, StructInfo, Target } from '../../core/src/api';

/**
 * Struct layouts per file and line range for the file's current targets, remembered between the inlay-hint and hover
 * requests that follow one another; any change to sources or settings forgets everything, since layouts cross
 * files. Only the structs in the requested lines are laid out: the editor asks for what is visible.
 */
export class StructIndex {
  private readonly byRange = new Map<string, StructInfo[]>();

  constructor(private readonly engine: LayoutEngine, private readonly targets: (file: string) => Target[]) {}

  structsIn(file: string, range: Range): StructInfo[] {
    const key = `${file}#${range.start.line}-${range.end.line}`;
    let structs = this.byRange.get(key);
    if (!structs) {
      structs = this.engine.structsInFile(file, this.targets(file), range);
      this.byRange.set(key, structs);
    }
    return structs;
  }

  forget(): void {
    this.byRange.clear();
  }
}

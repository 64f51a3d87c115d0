import type { LayoutEngine, StructInfo, Target } from '../../core/src/api';

/**
 * Struct layouts per file for the current targets, remembered between the inlay-hint and hover requests that
 * follow one another; any change to sources or settings forgets everything, since layouts cross files.
 */
export class StructIndex {
  private readonly byFile = new Map<string, StructInfo[]>();

  constructor(private readonly engine: LayoutEngine, private readonly targets: () => Target[]) {}

  structsIn(file: string): StructInfo[] {
    let structs = this.byFile.get(file);
    if (!structs) {
      structs = this.engine.structsInFile(file, this.targets());
      this.byFile.set(file, structs);
    }
    return structs;
  }

  forget(): void {
    this.byFile.clear();
  }
}

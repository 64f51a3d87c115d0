import * as path from 'path';
import type { Range, StructLayout, Target } from '../api';
import type { ConstExpr, FileModel, TypeExpr } from '../model/ast';
import { guessPackageName } from '../layout/context';
import type { ConstResult } from '../layout/constEval';
import type { LayoutResult } from '../layout/shapes';
import type { SyntaxNode } from '../parse/goParser';
import type { Finding } from './finding';
import { listGoFiles, readSourceFile } from '../resolve/sourceFiles';
import type { PackageLiterals } from './packageLiterals';

/** What an analyzer may ask about layouts and constants of the file's package, per target. */
export interface LayoutOracle {
  layoutOf(type: TypeExpr, target: Target): LayoutResult;
  /** Layout of the struct a (named) type denotes, following named types; undefined when it is not a struct. */
  structLayoutOf(type: TypeExpr, target: Target): { layout: StructLayout; declFile?: string; declType?: TypeExpr } | undefined;
  evaluateConst(expr: ConstExpr, target: Target): ConstResult;
}

/** One analyzer's view of one file: its full syntax tree, its model, the targets, and where findings go. */
export interface Pass {
  file: string;
  text: string;
  root: SyntaxNode;
  model: FileModel;
  /** The targets the user asked about. */
  targets: Target[];
  /** Of those, the ones this file is built for (its build constraints and file name allow). */
  fileTargets: Target[];
  /** A target the file's constraints point at, for fixes that must pick one (from constraints, else the setting). */
  primaryTarget: Target;
  oracle: LayoutOracle;
  /**
   * How the package in the file's folder (every .go file there, open documents as edited) builds its types:
   * positional literals, names declared from other names. Undefined when some file cannot be read: no proof then.
   */
  packageLiterals(): PackageLiterals | undefined;
  report(finding: Omit<Finding, 'analyzer' | 'file'> & { file?: string }): void;
}

export interface Analyzer {
  name: string;
  /** Stable, opaque rule id for reports (SARIF), never reused: GAL plus a number. */
  ruleId: string;
  /** One line on what it finds, for docs and SARIF rule descriptions. */
  doc: string;
  /** Whether the file can hold anything for this analyzer (from its declarations), so others skip a full parse. */
  appliesTo(model: FileModel): boolean;
  run(pass: Pass): void;
}

/** The import path a package qualifier (`unix` in `unix.SYS_WRITE`) denotes in this file, if any. */
export function importPathOf(model: FileModel, qualifier: string): string | undefined {
  const explicit = model.imports.find((imp) => imp.alias === qualifier);
  if (explicit) return explicit.path;
  return model.imports.find((imp) => imp.alias === undefined && guessPackageName(imp.path) === qualifier)?.path;
}

/** The local name under which `importPath` is imported in this file, if it is. */
export function localNameOf(model: FileModel, importPath: string): string | undefined {
  const imp = model.imports.find((i) => i.path === importPath);
  if (!imp || imp.alias === '_' || imp.alias === '.') return undefined;
  return imp.alias ?? guessPackageName(importPath);
}

/** Every node of the given types under `root`, in source order. */
export function nodesOfType(root: SyntaxNode, types: string | string[]): SyntaxNode[] {
  return root.descendantsOfType(types).filter((n): n is SyntaxNode => n !== null);
}

/** `pkg.Name` as [qualifier, name] when a node is a selector on a plain identifier. */
export function qualifiedName(node: SyntaxNode | null): [string, string] | undefined {
  if (!node || node.type !== 'selector_expression') return undefined;
  const operand = node.childForFieldName('operand');
  const field = node.childForFieldName('field');
  if (operand?.type !== 'identifier' || !field) return undefined;
  return [operand.text, field.text];
}

/**
 * The other Go files in `file`'s directory (its package, its tests, whatever the build constraints), as saved on
 * disk. For analyzers that must prove something about a whole package, e.g. that no other file uses a field a fix
 * would retype. Undefined when the directory or a file cannot be read: no proof then.
 */
export function siblingGoSources(file: string): { file: string; text: string }[] | undefined {
  let siblings: string[];
  try {
    siblings = listGoFiles(path.dirname(file)).filter((sibling) => sibling !== path.resolve(file));
  } catch {
    return undefined;
  }
  const sources: { file: string; text: string }[] = [];
  for (const sibling of siblings) {
    const read = readSourceFile(sibling);
    if ('skipped' in read) return undefined;
    sources.push({ file: sibling, text: read.text });
  }
  return sources;
}

export function targetLabel(targets: Target[]): string {
  return targets.map((t) => `${t.goos}/${t.goarch}`).join(', ');
}

export type { Range };

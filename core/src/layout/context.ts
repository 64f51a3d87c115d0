import * as path from 'path';
import type { ConstDecl, FileModel, ImportDecl, TypeDecl } from '../model/ast';
import type { ImportResolver } from '../resolve/importResolver';
import { DeclRef, localScopeKey, type LocalDeclLookup, PackageScope, PackageScopes } from '../resolve/packageScopes';
import type { Position, Target } from '../api';
import type { LayoutResult } from './shapes';

/** Where a type or constant expression is written: its package (for a target), file, and generic bindings. */
export interface ExprContext {
  scope: PackageScope;
  file: FileModel;
  filePath: string;
  /** Inside a function: the enclosing blocks, innermost first, whose local declarations are visible. */
  localScope?: number[];
  /** Where the expression is written: a local declaration after this point is not yet in scope. */
  localAt?: Position;
  /** Layouts bound to the type parameters of the generic declaration being instantiated. */
  typeArgs?: Map<string, LayoutResult>;
}

export type ImportTarget =
  | { kind: 'package'; scope: PackageScope; importPath: string }
  | { kind: 'unsafe' }
  | { kind: 'cgo' }
  /** A standard-library package whose sources are unavailable: only the generated table can answer. */
  | { kind: 'stdTableOnly'; importPath: string }
  | { kind: 'missing'; reason: string };

/** Resolves package qualifiers (`sync` in `sync.Mutex`) through a file's imports for one target. */
export class ImportLookup {
  constructor(
    private readonly resolver: ImportResolver,
    private readonly scopes: PackageScopes,
    private readonly target: Target,
  ) {}

  lookup(ctx: ExprContext, qualifier: string): ImportTarget {
    const explicit = ctx.file.imports.find((imp) => imp.alias === qualifier);
    if (explicit) return this.open(ctx, explicit.path);
    const unaliased = ctx.file.imports.filter((imp) => imp.alias === undefined);
    const byGuess = unaliased.find((imp) => guessPackageName(imp.path) === qualifier);
    if (byGuess) return this.open(ctx, byGuess.path);
    // The package clause may differ from the last path element (gopkg.in/yaml.v3, go-foo): load to compare.
    for (const imp of unaliased) {
      const opened = this.open(ctx, imp.path);
      if (opened.kind === 'package' && opened.scope.name === qualifier) return opened;
    }
    return { kind: 'missing', reason: `undefined: ${qualifier} (no import declares it)` };
  }

  /** Packages imported with `import . "path"`, whose names are visible unqualified. */
  dotImports(ctx: ExprContext): PackageScope[] {
    return ctx.file.imports.filter((imp: ImportDecl) => imp.alias === '.')
      .map((imp) => this.open(ctx, imp.path))
      .flatMap((t) => (t.kind === 'package' ? [t.scope] : []));
  }

  private open(ctx: ExprContext, importPath: string): ImportTarget {
    if (importPath === 'unsafe') return { kind: 'unsafe' };
    if (importPath === 'C') return { kind: 'cgo' };
    const location = this.resolver.resolve(path.dirname(ctx.filePath), importPath);
    if ('error' in location) {
      return location.isStd ? { kind: 'stdTableOnly', importPath } : { kind: 'missing', reason: location.error };
    }
    // An external test package (`package x_test`) imports the package under test with its _test.go files
    // (export_test.go), as go test builds it.
    const underTest = ctx.filePath.endsWith('_test.go') && location.dir === path.dirname(ctx.filePath);
    const scope = this.scopes.scopeFor(location.dir, this.target, { withTests: underTest });
    return { kind: 'package', scope, importPath };
  }
}

/** Guesses by import path: every qualified name in every layout asks. */
const guessedNames = new Map<string, string>();

/** go's default package name for an import path: the last element, without a `/vN` major-version suffix. */
export function guessPackageName(importPath: string): string {
  let name = guessedNames.get(importPath);
  if (name === undefined) {
    if (guessedNames.size >= 100_000) guessedNames.clear();
    name = guessNow(importPath);
    guessedNames.set(importPath, name);
  }
  return name;
}

function guessNow(importPath: string): string {
  const parts = importPath.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/[-.]/g, '_');
}

/** The type a name denotes inside a function: the innermost visible local declaration, if any. */
export function localType(ctx: ExprContext, name: string): DeclRef<TypeDecl> | undefined {
  return lookupLocal(ctx.scope.localTypes, ctx, name, (d) => d.nameRange.start);
}

/** The constant a name denotes inside a function: the innermost visible local declaration, if any. */
export function localConst(ctx: ExprContext, name: string): DeclRef<ConstDecl> | undefined {
  return lookupLocal(ctx.scope.localConsts, ctx, name, (d) => d.local!.at);
}

/**
 * Walks the blocks around `ctx` from the innermost outwards. A local declaration is in scope from its name on
 * (Go spec, "Declarations and scope"), so one written after the reference belongs to a later statement.
 */
function lookupLocal<T>(table: LocalDeclLookup<T>, ctx: ExprContext, name: string,
  declaredAt: (decl: T) => Position): DeclRef<T> | undefined {
  for (const block of ctx.localScope ?? []) {
    const ref = table.get(localScopeKey(ctx.filePath, block))?.get(name);
    if (ref && (!ctx.localAt || !isAfter(declaredAt(ref.decl), ctx.localAt))) return ref;
  }
  return undefined;
}

function isAfter(a: Position, b: Position): boolean {
  return a.line > b.line || (a.line === b.line && a.character > b.character);
}

/** The context a declaration's own type or value is written in. */
export function declContext(ref: DeclRef<TypeDecl>, scope: PackageScope, typeArgs?: Map<string, LayoutResult>): ExprContext {
  const decl = ref.decl;
  return {
    scope, file: ref.file, filePath: ref.path,
    ...(decl.localScope ? { localScope: decl.localScope, localAt: decl.nameRange.start } : {}),
    ...(typeArgs ? { typeArgs } : {}),
  };
}

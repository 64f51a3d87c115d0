import * as path from 'path';
import type { Target } from '../api';
import { fileBuilds, fileMatchesTarget } from '../parse/buildConstraints';
import { targetKey } from '../targets';
import type { ConstDecl, FileModel, TypeDecl, TypeExpr } from '../model/ast';
import type { SourceStore } from './sourceStore';

export interface DeclRef<T> {
  decl: T;
  file: FileModel;
  path: string;
}

/** The declarations of one package as one target sees them (only files whose build constraints match). */
export interface PackageScope {
  dir: string;
  name: string;
  target: Target;
  types: Map<string, DeclRef<TypeDecl>>;
  /** Types declared inside functions, keyed by `localScopeKey(file, innermost block)`. */
  localTypes: Map<string, Map<string, DeclRef<TypeDecl>>>;
  consts: Map<string, DeclRef<ConstDecl>>;
  /** Constants declared inside functions, keyed like localTypes. */
  localConsts: Map<string, Map<string, DeclRef<ConstDecl>>>;
  vars: Map<string, DeclRef<TypeExpr>>;
}

export function localScopeKey(file: string, blockId: number): string {
  return `${file}#${blockId}`;
}

export interface ScopeRequest {
  /** Only files declaring this package; undefined takes the package of the first non-test file that builds. */
  packageName?: string;
  /** Include `_test.go` files (when the file being shown is itself a test file). */
  withTests: boolean;
}

/** Builds and caches package scopes per folder and target; edits to a folder drop its scopes. */
export class PackageScopes {
  private readonly cache = new Map<string, PackageScope>();

  /** `toolTagsOf` gives the toolchain's own build tags per target (goexperiment.*, amd64.v1…). */
  constructor(private readonly store: SourceStore, private readonly toolTagsOf: (target: Target) => ReadonlySet<string> = () => new Set()) {}

  scopeFor(dir: string, target: Target, request: ScopeRequest): PackageScope {
    const key = `${dir}|${targetKey(target)}|${request.packageName ?? ''}|${request.withTests}`;
    let scope = this.cache.get(key);
    if (!scope) {
      scope = this.build(dir, target, request);
      this.cache.set(key, scope);
    }
    return scope;
  }

  invalidateDir(dir: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(dir + '|')) this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
  }

  private build(dir: string, target: Target, request: ScopeRequest): PackageScope {
    const scope: PackageScope = {
      dir, name: request.packageName ?? '', target,
      types: new Map(), localTypes: new Map(), consts: new Map(), localConsts: new Map(), vars: new Map(),
    };
    for (const file of this.store.goFilesIn(dir)) {
      if (!request.withTests && file.endsWith('_test.go')) continue;
      const header = this.store.buildConstraintOf(file);
      if (header && !fileMatchesTarget(path.basename(file), header.constraint, target, this.toolTagsOf(target))) continue;
      const result = this.store.modelOf(file);
      if (!('model' in result)) continue;
      const model = result.model;
      if (!fileBuilds(path.basename(file), model, target, this.toolTagsOf(target))) continue;
      if (!scope.name && !model.packageName.endsWith('_test')) scope.name = model.packageName;
      if (model.packageName !== scope.name) continue;
      addFile(scope, file, model);
    }
    return scope;
  }
}

function addFile(scope: PackageScope, file: string, model: FileModel): void {
  for (const decl of model.types) {
    const ref = { decl, file: model, path: file };
    if (decl.localScope === undefined) scope.types.set(decl.name, ref);
    else addLocal(scope.localTypes, localScopeKey(file, decl.localScope[0]), decl.name, ref);
  }
  for (const decl of model.consts) {
    const ref = { decl, file: model, path: file };
    if (decl.local === undefined) scope.consts.set(decl.name, ref);
    else addLocal(scope.localConsts, localScopeKey(file, decl.local.scopes[0]), decl.name, ref);
  }
  for (const [name, type] of model.varTypes) scope.vars.set(name, { decl: type, file: model, path: file });
}

function addLocal<T>(table: Map<string, Map<string, DeclRef<T>>>, key: string, name: string, ref: DeclRef<T>, copy = false): void {
  let local = table.get(key);
  if (!local) table.set(key, (local = new Map()));
  else if (copy) table.set(key, (local = new Map(local)));
  local.set(name, ref);
}

/**
 * The package scope with the local declarations of one file's full syntax added (function bodies that the
 * declarations-only model left out), for laying out anonymous structs written inside functions.
 */
export function withLocalDeclarations(scope: PackageScope, file: string, model: FileModel, locals: { types: TypeDecl[]; consts: ConstDecl[] }): PackageScope {
  const localTypes = new Map(scope.localTypes);
  const localConsts = new Map(scope.localConsts);
  for (const decl of locals.types) {
    if (decl.localScope) addLocal(localTypes, localScopeKey(file, decl.localScope[0]), decl.name, { decl, file: model, path: file }, true);
  }
  for (const decl of locals.consts) {
    if (decl.local) addLocal(localConsts, localScopeKey(file, decl.local.scopes[0]), decl.name, { decl, file: model, path: file }, true);
  }
  return { ...scope, localTypes, localConsts };
}

import * as path from 'path';
import type { Target } from '../api';
import { fileBuilds, fileMatchesTarget } from '../parse/buildConstraints';
import { targetKey } from '../targets';
import type { ConstDecl, FileModel, TypeDecl, TypeExpr } from '../model/ast';
import type { SourceStore } from './sourceStore';
import type { DeclarationIndex } from '../parse/declaredNames';

export interface DeclRef<T> {
  decl: T;
  file: FileModel;
  path: string;
}

/** Package-level declarations of one kind by name. */
export interface DeclLookup<T> {
  get(name: string): DeclRef<T> | undefined;
}

/** Function-local declarations by `localScopeKey(file, block)`, then by name. */
export interface LocalDeclLookup<T> {
  get(key: string): ReadonlyMap<string, DeclRef<T>> | undefined;
}

/**
 * The declarations of one package as one target sees them (only files whose build constraints match). Files are
 * parsed when a name they may declare is first looked up, so a screenful of hints in a 42-file package parses the
 * few files its types mention.
 */
export interface PackageScope {
  dir: string;
  name: string;
  target: Target;
  types: DeclLookup<TypeDecl>;
  /** Types declared inside functions, keyed by `localScopeKey(file, innermost block)`. */
  localTypes: LocalDeclLookup<TypeDecl>;
  consts: DeclLookup<ConstDecl>;
  /** Constants declared inside functions, keyed like localTypes. */
  localConsts: LocalDeclLookup<ConstDecl>;
  vars: DeclLookup<TypeExpr>;
}

export function localScopeKey(file: string, blockId: number): string {
  return `${file}#${blockId}`;
}

/** The file of a localScopeKey. */
function fileOfLocalScopeKey(key: string): string {
  return key.slice(0, key.lastIndexOf('#'));
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
      scope = new LazyScope(this.store, dir, target, request, this.toolTagsOf(target)).scope;
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
}

/** A file of the package that builds for the target: parsed and added, or waiting for a name it may declare. */
interface ScopeFile {
  path: string;
  /** Position in the folder's sorted listing: a later file's declaration of a name wins, as when added in order. */
  index: number;
  /** Added whole. */
  loaded: boolean;
  /** Its declarations and the names they may declare, read on the first lookup; null: may declare any. */
  declarations?: DeclarationIndex | null;
  /** Declarations (indexes into `declarations.spans`) added one by one before the file is loaded whole. */
  spansAdded?: Set<number>;
}

interface Indexed<T> {
  ref: DeclRef<T>;
  index: number;
}

class LazyScope {
  readonly scope: PackageScope;
  private readonly pending: ScopeFile[] = [];
  private readonly byPath = new Map<string, ScopeFile>();
  private readonly types = new Map<string, Indexed<TypeDecl>>();
  private readonly consts = new Map<string, Indexed<ConstDecl>>();
  private readonly vars = new Map<string, Indexed<TypeExpr>>();
  private readonly localTypes = new Map<string, Map<string, DeclRef<TypeDecl>>>();
  private readonly localConsts = new Map<string, Map<string, DeclRef<ConstDecl>>>();
  /** Names whose possible files are all loaded (types, constants and variables share one namespace). */
  private readonly settled = new Set<string>();

  constructor(private readonly store: SourceStore, dir: string, target: Target, request: ScopeRequest, private readonly toolTags: ReadonlySet<string>) {
    const declared = <T>(table: Map<string, Indexed<T>>): DeclLookup<T> => ({
      get: (name) => {
        this.settle(name);
        return table.get(name)?.ref;
      },
    });
    const local = <T>(table: Map<string, Map<string, DeclRef<T>>>): LocalDeclLookup<T> => ({
      get: (key) => {
        const file = this.byPath.get(fileOfLocalScopeKey(key));
        if (file && !file.loaded) this.load(file);
        return table.get(key);
      },
    });
    this.scope = {
      dir, name: request.packageName ?? '', target,
      types: declared(this.types), consts: declared(this.consts), vars: declared(this.vars),
      localTypes: local(this.localTypes), localConsts: local(this.localConsts),
    };
    this.collectFiles(request);
  }

  /** The files that build for the target and declare the package; those already parsed are added at once. */
  private collectFiles(request: ScopeRequest): void {
    const { dir, target } = this.scope;
    this.store.goFilesIn(dir).forEach((file, index) => {
      if (!request.withTests && file.endsWith('_test.go')) return;
      // A name like zerrors_darwin_arm64.go says enough: no need to read it.
      if (!fileMatchesTarget(path.basename(file), undefined, target, this.toolTags)) return;
      const header = this.store.headerOf(file);
      if (!header) {
        // Unreadable (or an open buffer too large to parse): modelOf records why, for skippedFiles.
        this.store.modelOf(file);
        return;
      }
      if (!fileBuilds(path.basename(file), { buildConstraint: header.constraint, imports: header.imports.map((p) => ({ path: p })) }, target, this.toolTags)) return;
      const model = this.store.parsedModel(file) ?? (header.packageName === undefined ? this.parsedNow(file) : undefined);
      const packageName = model?.packageName ?? header.packageName;
      if (packageName === undefined) return;
      if (!this.scope.name && !packageName.endsWith('_test')) this.scope.name = packageName;
      if (packageName !== this.scope.name) return;
      const entry: ScopeFile = { path: file, index, loaded: false };
      this.byPath.set(file, entry);
      if (model) this.load(entry);
      else this.pending.push(entry);
    });
  }

  private parsedNow(file: string): FileModel | undefined {
    const result = this.store.modelOf(file);
    return 'model' in result ? result.model : undefined;
  }

  /** Adds the declarations not yet added that may declare `name`: parsed one by one, or their whole file. */
  private settle(name: string): void {
    if (this.settled.has(name)) return;
    this.settled.add(name);
    for (const file of this.pending) {
      if (file.loaded) continue;
      if (file.declarations === undefined) {
        // A file whose text cannot declare the name is not indexed for it (most files of a package, for `int32`).
        if (!this.store.mayDeclare(file.path, name)) continue;
        file.declarations = this.store.declarationIndexOf(file.path) ?? null;
      }
      if (file.declarations === null) {
        this.load(file);
        continue;
      }
      for (const span of file.declarations.names.get(name) ?? []) {
        file.spansAdded ??= new Set();
        if (file.spansAdded.has(span)) continue;
        file.spansAdded.add(span);
        const model = this.store.declarationModel(file.path, span);
        if (model) this.add(file, model);
        else {
          this.load(file);
          break;
        }
      }
    }
  }

  private load(file: ScopeFile): void {
    file.loaded = true;
    const model = this.parsedNow(file.path);
    if (model) this.add(file, model);
  }

  /** Adds a file's declarations (all of them, or those of a model of some of its declarations). */
  private add(file: ScopeFile, model: FileModel): void {
    // The header said it builds; the parse has the last word (as it always had).
    if (!fileBuilds(path.basename(file.path), model, this.scope.target, this.toolTags) || model.packageName !== this.scope.name) return;
    const put = <T>(table: Map<string, Indexed<T>>, name: string, ref: DeclRef<T>) => {
      const existing = table.get(name);
      if (!existing || existing.index <= file.index) table.set(name, { ref, index: file.index });
    };
    const at = { file: model, path: file.path };
    for (const decl of model.types) {
      if (decl.localScope === undefined) put(this.types, decl.name, { decl, ...at });
      else addLocal(this.localTypes, localScopeKey(file.path, decl.localScope[0]), decl.name, { decl, ...at });
    }
    for (const decl of model.consts) {
      if (decl.local === undefined) put(this.consts, decl.name, { decl, ...at });
      else addLocal(this.localConsts, localScopeKey(file.path, decl.local.scopes[0]), decl.name, { decl, ...at });
    }
    for (const [name, type] of model.varTypes) put(this.vars, name, { decl: type, ...at });
  }
}

function addLocal<T>(table: Map<string, Map<string, DeclRef<T>>>, key: string, name: string, ref: DeclRef<T>): void {
  let local = table.get(key);
  if (!local) table.set(key, (local = new Map()));
  local.set(name, ref);
}

/**
 * The package scope with the local declarations of one file's full syntax added (function bodies that the
 * declarations-only model left out), for laying out anonymous structs written inside functions.
 */
export function withLocalDeclarations(scope: PackageScope, file: string, model: FileModel, locals: { types: TypeDecl[]; consts: ConstDecl[] }): PackageScope {
  const localTypes = new Map<string, Map<string, DeclRef<TypeDecl>>>();
  const localConsts = new Map<string, Map<string, DeclRef<ConstDecl>>>();
  for (const decl of locals.types) {
    if (decl.localScope) addLocal(localTypes, localScopeKey(file, decl.localScope[0]), decl.name, { decl, file: model, path: file });
  }
  for (const decl of locals.consts) {
    if (decl.local) addLocal(localConsts, localScopeKey(file, decl.local.scopes[0]), decl.name, { decl, file: model, path: file });
  }
  return { ...scope, localTypes: withOwnLocals(scope.localTypes, file, localTypes), localConsts: withOwnLocals(scope.localConsts, file, localConsts) };
}

/**
 * Local tables where `file`'s blocks are looked up in `own` alone: its local declarations from its full syntax (or,
 * for a large buffer, from the declarations on screen, where the anonymous structs laid out are), so that a lookup
 * there never has the package scope load the file whole for them; other files' blocks are looked up in `base`.
 */
function withOwnLocals<T>(base: LocalDeclLookup<T>, file: string, own: Map<string, Map<string, DeclRef<T>>>): LocalDeclLookup<T> {
  return { get: (key) => (fileOfLocalScopeKey(key) === file ? own.get(key) : base.get(key)) };
}

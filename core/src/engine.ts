import * as path from 'path';
import type {
  EngineOptions, FieldInfo, LayoutEngine, Position, Range, SkippedFile, StructInfo, StructLayout, Target, TextChange,
} from './api';
import type { FileModel, TypeDecl } from './model/ast';
import { declarationsInFunctions, genericUsesIn, literalStructsIn, type GenericUse, type LiteralStruct } from './model/extract';
import { GoParser } from './parse/goParser';
import { fileBuilds } from './parse/buildConstraints';
import { SourceStore } from './resolve/sourceStore';
import { ModuleFinder } from './resolve/modules';
import { ImportResolver } from './resolve/importResolver';
import { PackageScopes, withLocalDeclarations, type PackageScope } from './resolve/packageScopes';
import { Layouter, fieldNames } from './layout/layouter';
import { declContext, type ExprContext } from './layout/context';
import { targetKey } from './targets';
import { parseInParallel } from './parse/parallelParse';
import type { Analyzer, LayoutOracle, Pass } from './analysis/pass';
import type { Finding } from './analysis/finding';
import { PackageLiterals } from './analysis/packageLiterals';
import { GC_ARCHES } from './targets';
import { goVersionOf, tableToolTags, type ToolTags } from './toolchain/toolTags';

/** The layout engine: sources in, struct layouts per target out. Holds no editor or protocol concepts. */
export class Engine implements LayoutEngine {
  private readonly store: SourceStore;
  private readonly modules = new ModuleFinder();
  private readonly resolver: ImportResolver;
  private readonly scopes: PackageScopes;
  private layouters = new Map<string, Layouter>();
  /** The toolchain's own build tags per target key: from go list once the adapter asked it, else the table. */
  private readonly toolTagsByTarget = new Map<string, { info: ToolTags; set: ReadonlySet<string> }>();
  /** Literal facts per package folder, computed on first use and dropped when a file there changes. */
  private readonly literalsByDir = new Map<string, PackageLiterals | undefined>();

  private toolchainEnv: Partial<Record<string, string>>;
  private lastUses?: { file: string; rangeKey: string; uses: FileUses };

  private constructor(parser: GoParser, private readonly options: EngineOptions) {
    this.toolchainEnv = options.toolchainEnv ?? {};
    this.store = new SourceStore(parser);
    this.resolver = new ImportResolver(this.modules, options.goroot, options.gomodcache);
    this.scopes = new PackageScopes(this.store, (target) => this.toolTagSet(target));
  }

  /**
   * The tags the toolchain sets itself for a target (goexperiment.*, amd64.v1…) that file selection uses, and
   * where they come from. Until `useToolTags` gives go list's answer they come from the generated table, with
   * the engine's toolchain settings (GOEXPERIMENT, GOAMD64…) applied.
   */
  toolTags(target: Target): ToolTags {
    return this.toolTagEntry(target).info;
  }

  /**
   * Replaces a target's tool tags (e.g. with `go list`'s answer); layouts are recomputed with them unless the tags
   * are those already in use (go list agrees with the table for every target but the host's cgo), so the first
   * hints are not computed twice.
   */
  useToolTags(target: Target, tags: ToolTags): boolean {
    const key = targetKey(target);
    const previous = this.toolTagsByTarget.get(key)?.set;
    const set = new Set(tags.tags);
    this.toolTagsByTarget.set(key, { info: tags, set });
    const changed = !previous || previous.size !== set.size || [...set].some((tag) => !previous.has(tag));
    if (changed) this.forgetTargetState();
    return changed;
  }

  /** New GOEXPERIMENT/GOAMD64/… settings: every target's tags come from the table again until useToolTags. */
  setToolchainEnv(env: Partial<Record<string, string>>): void {
    this.toolchainEnv = env;
    this.toolTagsByTarget.clear();
    this.forgetTargetState();
  }

  private forgetTargetState(): void {
    this.scopes.clear();
    this.layouters.clear();
    this.literalsByDir.clear();
  }

  private toolTagSet(target: Target): ReadonlySet<string> {
    return this.toolTagEntry(target).set;
  }

  private toolTagEntry(target: Target): { info: ToolTags; set: ReadonlySet<string> } {
    const key = targetKey(target);
    let entry = this.toolTagsByTarget.get(key);
    if (!entry) {
      const goVersion = this.options.goVersion ?? (this.options.goroot ? goVersionOf(this.options.goroot) : undefined);
      const info = tableToolTags(target, this.toolchainEnv, goVersion);
      entry = { info, set: new Set(info.tags) };
      this.toolTagsByTarget.set(key, entry);
    }
    return entry;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    return new Engine(await GoParser.create(options.wasmDir), options);
  }

  /**
   * Parses many files from disk ahead of use, on worker threads. Worth it for whole trees (CLI, benchmarks);
   * the editor parses lazily instead.
   */
  async preload(files: string[]): Promise<void> {
    const todo = files.filter((f) => !this.store.hasModel(f));
    await parseInParallel(todo, this.options.wasmDir, (file, result) => this.store.addParsed(file, result));
  }

  openFile(file: string, text: string): void {
    this.store.openFile(file, text);
    this.changed(file);
  }

  editFile(file: string, changes: TextChange[]): void {
    this.store.editFile(file, changes);
    this.changed(file);
  }

  closeFile(file: string): void {
    this.store.closeFile(file);
    this.changed(file);
  }

  invalidate(changedPath: string): void {
    this.lastUses = undefined;
    this.store.invalidate(changedPath);
    if (path.basename(changedPath) === 'go.mod') this.modules.invalidate();
    this.resolver.invalidate();
    this.scopes.clear();
    this.layouters.clear();
    this.literalsByDir.clear();
  }

  syntaxErrors(file: string): { range: Range; message: string }[] {
    const result = this.store.modelOf(file);
    return 'model' in result ? result.model.syntaxErrors : [{ range: ZERO_RANGE, message: result.error }];
  }

  /** Why a file cannot be laid out (not a regular file, too large, a broken link, unreadable), if it cannot. */
  fileProblem(file: string): string | undefined {
    return this.skippedFile(file)?.message;
  }

  /** The file as skipped (reading it first if need be), or undefined when it can be laid out. */
  skippedFile(file: string): SkippedFile | undefined {
    const result = this.store.modelOf(file);
    return 'skipped' in result ? result.skipped : undefined;
  }

  /** Sources and go.mod files consulted so far that could not be read, sorted by path. */
  skippedFiles(): SkippedFile[] {
    return [...this.store.skippedFiles(), ...this.modules.skippedFiles()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  structsInFile(file: string, targets: Target[], range?: Range): StructInfo[] {
    return [...this.eachStructInFile(file, targets, range)];
  }

  /** structsInFile one struct at a time, each laid out when asked for: a huge file's layouts need not all be held. */
  *eachStructInFile(file: string, targets: Target[], range?: Range): Generator<StructInfo> {
    // An editor's first request for a file parses the declarations on those lines only (see typesInRange).
    const result = range ? this.store.typesInRange(file, range) : this.store.modelOf(file);
    if (!('model' in result)) return;
    const model = result.model;
    for (const decl of model.types) {
      if (range && !intersects(decl, range)) continue;
      if (isStructDecl(decl)) yield this.describeStruct(file, model, decl, targets);
      else if (decl.type.kind === 'name') {
        const named = this.describeNamedStruct(file, model, decl, targets);
        if (named) yield named;
      }
    }
  }

  layoutsInFieldOrder(file: string, typeName: string, fieldOrder: number[], targets: Target[]): Record<string, StructLayout> | undefined {
    const result = this.store.modelOf(file);
    if (!('model' in result)) return undefined;
    const model = result.model;
    const decl = model.types.find((d) => d.name === typeName && isStructDecl(d) && d.typeParams.length === 0);
    if (!decl) return undefined;
    const fields = (decl.type as Extract<TypeDecl['type'], { kind: 'struct' }>).fields;
    const permuted = declarationsInOrder(fields, fieldOrder);
    if (!permuted) return undefined;
    return this.declLayouts(file, model, decl, permuted, targets, false);
  }

  /**
   * The anonymous struct types of a file (`struct{…}` as the type of a field, a variable or a composite literal,
   * in function bodies too), laid out per target; with `range`, those on its lines. A file from disk is parsed in
   * full for this, so callers ask for it where they need it (hints of open files, proofs).
   */
  literalStructsInFile(file: string, targets: Target[], range?: Range): StructInfo[] {
    if (range && !this.mayHoldLiterals(file, range)) return [];
    const found = this.usesIn(file, range);
    if ('error' in found) return [];
    const scopeFor = this.localScopes(file, found.model, found.locals);
    return found.literals.map((literal) => this.describeLiteral(file, found.model, literal, literal.type.fields, targets, scopeFor));
  }

  /**
   * Whether the lines of `range` of a buffer not parsed yet may hold an anonymous struct: a `struct` word (comments and
   * strings included) beyond the bodies of the type declarations there. Finding them needs the whole file parsed,
   * which the first hints of a huge buffer of named structs (ztypes_linux.go) must not wait for.
   */
  private mayHoldLiterals(file: string, range: Range): boolean {
    const text = this.store.deferredTextOn(file, range);
    if (text === undefined) return true;
    const words = text.match(/\bstruct\b/g)?.length ?? 0;
    if (words === 0) return false;
    const declared = this.store.typesInRange(file, range);
    if (!('model' in declared)) return true;
    const bodies = declared.model.types.filter((d) => d.type.kind === 'struct' &&
      d.typeRange.start.line >= range.start.line && d.typeRange.start.line <= range.end.line);
    return words > bodies.length;
  }

  /**
   * Layouts of the anonymous struct whose `struct` keyword is at `at` with its fields in another order (as
   * layoutsInFieldOrder for a named struct); undefined when there is none there or the order does not fit.
   */
  literalLayoutsInFieldOrder(file: string, at: Position, fieldOrder: number[], targets: Target[]): Record<string, StructLayout> | undefined {
    const found = this.usesIn(file, { start: at, end: at });
    if ('error' in found) return undefined;
    const literal = found.literals.find((l) => samePosition(l.bodyRange.start, at));
    const permuted = literal && declarationsInOrder(literal.type.fields, fieldOrder);
    if (!literal || !permuted || literal.typeParams.length > 0) return undefined;
    return this.describeLiteral(file, found.model, literal, permuted, targets, this.localScopes(file, found.model, found.locals)).layouts;
  }

  /**
   * The instances of generic struct types a file names (`Box[uint64]` as a field's, variable's or alias's type, in a
   * composite literal, conversion or type argument), laid out per target; with `range`, those on its lines. Uses
   * whose type arguments mention a type parameter around them are generic (unknown); names that turn out not to be
   * struct types on any target are left out.
   */
  instanceStructsInFile(file: string, targets: Target[], range?: Range): StructInfo[] {
    const found = this.usesIn(file, range);
    if ('error' in found) return [];
    const scopeFor = this.localScopes(file, found.model, found.locals);
    return found.generics.flatMap((use) => this.describeInstance(file, found.model, use, targets, scopeFor) ?? []);
  }

  /**
   * A file's anonymous structs, generic uses and function-local declarations (on the lines of `range`, if given),
   * with the model they are laid out in, from one parse (of the whole file, or of the declarations there: see
   * SourceStore.withTreesOn); the last file's are kept (until it changes), since hints and the proof ask for literals
   * and instances in turn.
   */
  private usesIn(file: string, range?: Range): FileUses | { error: string } {
    const rangeKey = range ? `${range.start.line}:${range.end.line}` : '';
    if (this.lastUses?.file === file && this.lastUses.rangeKey === rangeKey) return this.lastUses.uses;
    const found = this.store.withTreesOn(file, range, (roots, model) => {
      const locals = roots.map((root) => declarationsInFunctions(root));
      return {
        model,
        literals: roots.flatMap((root) => literalStructsIn(root, range)),
        generics: roots.flatMap((root) => genericUsesIn(root, range)),
        locals: { types: locals.flatMap((l) => l.types), consts: locals.flatMap((l) => l.consts) },
      };
    });
    if (!('error' in found)) this.lastUses = { file, rangeKey, uses: found };
    return found;
  }

  /** One scope per target with the file's function-local declarations added, shared by all its uses. */
  private localScopes(file: string, model: FileModel, locals: ReturnType<typeof declarationsInFunctions>): (t: Target) => PackageScope {
    const scopes = new Map<string, PackageScope>();
    return (target: Target): PackageScope => {
      let scope = scopes.get(targetKey(target));
      if (!scope) {
        const packageScope = this.scopes.scopeFor(path.dirname(file), target, { packageName: model.packageName, withTests: file.endsWith('_test.go') });
        scope = withLocalDeclarations(packageScope, file, model, locals);
        scopes.set(targetKey(target), scope);
      }
      return scope;
    };
  }

  /**
   * Each target's layout from `layoutOn`: unknown (excluded) where the file's build constraints leave the target
   * out, and an internal error caught per target, so one target's failure still leaves the others' layouts.
   */
  private layoutsPerTarget(file: string, model: FileModel, targets: Target[], fields: FieldDeclList,
    layoutOn: (target: Target) => StructLayout): Record<string, StructLayout> {
    const layouts: Record<string, StructLayout> = {};
    for (const target of targets) {
      const key = targetKey(target);
      if (!fileBuilds(path.basename(file), model, target, this.toolTagSet(target))) {
        layouts[key] = unknownLayout(fields, `not built for ${key} (build constraints)`, true);
        continue;
      }
      try {
        layouts[key] = layoutOn(target);
      } catch (err) {
        layouts[key] = unknownLayout(fields, `internal error: ${(err as Error).message}`);
      }
    }
    return layouts;
  }

  private describeInstance(file: string, model: FileModel, use: GenericUse, targets: Target[], scopeFor: (t: Target) => PackageScope): StructInfo | undefined {
    const generic = use.typeParams.length > 0;
    let isStruct = false;
    const layouts = this.layoutsPerTarget(file, model, targets, [], (target) => {
      const ctx: ExprContext = {
        scope: scopeFor(target), file: model, filePath: file,
        ...(use.localScope ? { localScope: use.localScope, localAt: use.range.start } : {}),
      };
      const layouter = this.layouterFor(target);
      const struct = use.maybeValue && !layouter.namesType(use.type, ctx) ? undefined : layouter.namedStruct(use.type, ctx);
      if (struct && !('unknown' in struct)) isStruct = true;
      return !struct ? unknownLayout([], `${use.type.text} is not a struct type`)
        : 'unknown' in struct ? unknownLayout([], struct.unknown)
          : generic ? unknownLayout(struct.fields, `generic: its layout depends on the type arguments for ${use.typeParams.join(', ')}`)
            : layouter.structLayout(struct.fields, struct.ctx);
    });
    if (!isStruct) return undefined;
    return {
      name: use.type.text, file, nameRange: use.nameRange, bodyRange: use.range, fields: [], generic, layouts,
      form: { kind: 'instance', of: use.type.text },
    };
  }

  private describeLiteral(
    file: string, model: FileModel, literal: LiteralStruct, fields: FieldDeclList, targets: Target[], scopeFor: (t: Target) => PackageScope,
  ): StructInfo {
    const generic = literal.typeParams.length > 0;
    const layouts = this.layoutsPerTarget(file, model, targets, fields, (target) => {
      if (generic) return unknownLayout(fields, `generic: its layout depends on the type arguments for ${literal.typeParams.join(', ')}`);
      const ctx: ExprContext = {
        scope: scopeFor(target), file: model, filePath: file,
        ...(literal.localScope ? { localScope: literal.localScope, localAt: literal.bodyRange.start } : {}),
      };
      return this.layouterFor(target).structLayout(fields, ctx);
    });
    return {
      name: literal.label, file, nameRange: literal.nameRange, bodyRange: literal.bodyRange,
      fields: fieldInfos(fields), generic, layouts, form: { kind: 'literal', of: literal.label },
    };
  }

  /**
   * An alias or defined type whose type is a named struct (`type A = Header`, `type N Header`,
   * `type B = Box[uint64]`), laid out like that struct; undefined when it names no struct on any target.
   */
  private describeNamedStruct(file: string, model: FileModel, decl: TypeDecl, targets: Target[]): StructInfo | undefined {
    const generic = decl.typeParams.length > 0;
    let isStruct = false;
    const layouts = this.layoutsPerTarget(file, model, targets, [], (target) => {
      const ref = { decl, file: model, path: file };
      const scope = this.scopes.scopeFor(path.dirname(file), target, {
        packageName: model.packageName, withTests: file.endsWith('_test.go'),
      });
      const layouter = this.layouterFor(target);
      const problem = layouter.declProblem(ref, scope);
      const found = problem ? { unknown: problem } : layouter.namedStruct(decl.type, declContext(ref, scope));
      if (found && !('unknown' in found)) isStruct = true;
      return !found ? unknownLayout([], `${decl.name} is not a struct type`)
        : 'unknown' in found ? unknownLayout([], found.unknown)
          : generic ? unknownLayout(found.fields, 'generic type: its layout depends on the type arguments')
            : layouter.structLayout(found.fields, found.ctx);
    });
    if (!isStruct) return undefined;
    const of = decl.type.kind === 'name' ? decl.type.text : '';
    return {
      name: generic ? `${decl.name}[${decl.typeParams.join(', ')}]` : decl.name,
      file, nameRange: decl.nameRange, bodyRange: decl.typeRange, fields: [], generic, layouts,
      form: { kind: decl.isAlias ? 'alias' : 'defined', of },
    };
  }

  /**
   * Runs analyzers over one file. `fallbackTarget` is the target fixes assume when the file's build constraints
   * do not pin one down.
   */
  analyzeFile(file: string, targets: Target[], analyzers: Analyzer[], fallbackTarget: Target = targets[0]): Finding[] | { error: string } {
    const modelResult = this.store.modelOf(file);
    if (!('model' in modelResult)) return { error: modelResult.error };
    const model = modelResult.model;
    const builds = (t: Target) => fileBuilds(path.basename(file), model, t, this.toolTagSet(t));
    const fileTargets = targets.filter(builds);
    const findings: Finding[] = [];
    const applicable = analyzers.filter((a) => a.appliesTo(model));
    if (applicable.length === 0 || fileTargets.length === 0) return findings;
    const result = this.store.withFullTree(file, (root, text) => {
      for (const analyzer of applicable) {
        const pass: Pass = {
          file, text, root, model, targets, fileTargets,
          primaryTarget: primaryTargetFor(targets, builds, fallbackTarget),
          oracle: this.oracleFor(file, model),
          packageLiterals: () => this.packageLiteralsOf(path.dirname(file)),
          report: (f) => findings.push({ ...f, analyzer: analyzer.name, file: f.file ?? file }),
        };
        try {
          analyzer.run(pass);
        } catch (err) {
          findings.push({
            analyzer: analyzer.name, file, severity: 'error', range: ZERO_RANGE, internalError: true,
            message: `internal error in ${analyzer.name}: ${(err as Error).message}`,
          });
        }
      }
      return findings;
    });
    return result;
  }

  private packageLiteralsOf(dir: string): PackageLiterals | undefined {
    if (this.literalsByDir.has(dir)) return this.literalsByDir.get(dir);
    const literals = new PackageLiterals();
    let complete = true;
    for (const file of this.store.goFilesIn(dir)) {
      // A large open buffer is not parsed whole for another file's analysis: the package goes unproven instead.
      if (this.store.isLargeBuffer(file)) {
        complete = false;
        continue;
      }
      const result = this.store.withFullTree(file, (root) => literals.addFile(file, root));
      if (result !== undefined) complete = false;
    }
    this.literalsByDir.set(dir, complete ? literals : undefined);
    return this.literalsByDir.get(dir);
  }

  private oracleFor(file: string, model: FileModel): LayoutOracle {
    const ctxFor = (target: Target): ExprContext => ({
      scope: this.scopes.scopeFor(path.dirname(file), target, { packageName: model.packageName, withTests: file.endsWith('_test.go') }),
      file: model, filePath: file,
    });
    return {
      layoutOf: (type, target) => this.layouterFor(target).layoutOf(type, ctxFor(target)),
      evaluateConst: (expr, target) => this.layouterFor(target).evaluateConst(expr, ctxFor(target)),
      structLayoutOf: (type, target) => {
        const layouter = this.layouterFor(target);
        const found = layouter.structFields(type, ctxFor(target));
        if (!found) return undefined;
        return { layout: layouter.structLayout(found.fields, found.ctx), declFile: found.ctx.filePath, declType: found.struct };
      },
    };
  }

  private changed(file: string): void {
    if (this.lastUses?.file === file) this.lastUses = undefined;
    this.scopes.invalidateDir(path.dirname(file));
    this.literalsByDir.delete(path.dirname(file));
    // Layouts anywhere may depend on this file (another package embedding its types), so memos start afresh.
    this.layouters.clear();
  }

  private layouterFor(target: Target): Layouter {
    const key = targetKey(target);
    let layouter = this.layouters.get(key);
    if (!layouter) {
      layouter = new Layouter(target, this.scopes, this.resolver, this.options.goroot);
      this.layouters.set(key, layouter);
    }
    return layouter;
  }

  private describeStruct(file: string, model: FileModel, decl: TypeDecl, targets: Target[]): StructInfo {
    const struct = decl.type as Extract<TypeDecl['type'], { kind: 'struct' }>;
    const generic = decl.typeParams.length > 0;
    const layouts = this.declLayouts(file, model, decl, struct.fields, targets, generic);
    return {
      name: generic ? `${decl.name}[${decl.typeParams.join(', ')}]` : decl.name,
      file,
      nameRange: decl.nameRange,
      bodyRange: decl.typeRange,
      fields: fieldInfos(struct.fields),
      generic,
      layouts,
    };
  }

  /** A declared struct's layout per target (see layoutsPerTarget), with `fields` in the order given. */
  private declLayouts(file: string, model: FileModel, decl: TypeDecl, fields: FieldDeclList, targets: Target[], generic: boolean): Record<string, StructLayout> {
    return this.layoutsPerTarget(file, model, targets, fields, (target) => {
      // A generic struct whose fields never mention its type parameters has one layout for every instantiation.
      if (generic && mentionsTypeParams(decl)) return unknownLayout(fields, 'generic type: its layout depends on the type arguments');
      const packageScope = this.scopes.scopeFor(path.dirname(file), target, {
        packageName: model.packageName, withTests: file.endsWith('_test.go'),
      });
      // A function's local type sees the local declarations of the model it comes from (for a large buffer, those of
      // the functions on screen), so that its lookups never load the whole file.
      const scope = decl.localScope ? withLocalDeclarations(packageScope, file, model, model) : packageScope;
      const ref = { decl, file: model, path: file };
      const layouter = this.layouterFor(target);
      const problem = layouter.declProblem(ref, scope);
      if (problem) return unknownLayout(fields, problem);
      return layouter.structLayout(fields, declContext(ref, scope), layouter.declMinAlign(ref));
    });
  }
}

/** Whether a generic declaration's type names one of its type parameters anywhere (refs are kept for generics). */
function mentionsTypeParams(decl: TypeDecl): boolean {
  const params = new Set(decl.typeParams);
  if (!decl.refs) return true;
  return decl.refs.some((r) => (!r.qualifier && params.has(r.name)) || r.args.some((a) => a.names.some((n) => params.has(n))));
}

/** Targets tried when a file's build constraints exclude every requested one (e.g. a `_riscv64.go` file). */
const EVERY_TARGET: Target[] = [
  ...GC_ARCHES.map((goarch) => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch })),
  { goos: 'darwin', goarch: 'arm64' }, { goos: 'darwin', goarch: 'amd64' },
];

/** The fallback when the file builds for it; else the first requested, then any, target the file builds for. */
function primaryTargetFor(targets: Target[], builds: (t: Target) => boolean, fallback: Target): Target {
  if (builds(fallback)) return fallback;
  return targets.find(builds) ?? EVERY_TARGET.find(builds) ?? fallback;
}

interface FileUses {
  /** The model of the file, or of the declarations the uses were found in. */
  model: FileModel;
  literals: LiteralStruct[];
  generics: GenericUse[];
  locals: ReturnType<typeof declarationsInFunctions>;
}

type FieldDeclList = Extract<TypeDecl['type'], { kind: 'struct' }>['fields'];

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Whether a declaration (from its name to the end of its type) shares a line with `range`. */
function intersects(decl: TypeDecl, range: Range): boolean {
  return decl.nameRange.start.line <= range.end.line && decl.typeRange.end.line >= range.start.line;
}

function isStructDecl(decl: TypeDecl): boolean {
  return decl.type.kind === 'struct';
}

function fieldInfos(fields: FieldDeclList): FieldInfo[] {
  return fields.flatMap((field) => {
    if (field.embedded) return [{ name: fieldNames(field)[0], range: field.typeRange, typeText: field.typeText }];
    return field.names.map((n) => ({ name: n.name, range: n.range, typeText: field.typeText }));
  });
}

/**
 * The field declarations in the order `fieldOrder` (indexes of single fields) puts them, or undefined when it is not
 * a permutation or splits a declaration's names (`a, b int32` moves as one).
 */
function declarationsInOrder(fields: FieldDeclList, fieldOrder: number[]): FieldDeclList | undefined {
  const declOf: number[] = fields.flatMap((field, index) => fieldNames(field).map(() => index));
  if (fieldOrder.length !== declOf.length || new Set(fieldOrder).size !== declOf.length) return undefined;
  const permuted: FieldDeclList = [];
  for (let i = 0; i < fieldOrder.length;) {
    const decl = declOf[fieldOrder[i]];
    if (decl === undefined) return undefined;
    const count = fieldNames(fields[decl]).length;
    const first = declOf.indexOf(decl);
    for (let k = 0; k < count; k++) if (fieldOrder[i + k] !== first + k) return undefined;
    permuted.push(fields[decl]);
    i += count;
  }
  return permuted;
}

function unknownLayout(fields: FieldDeclList, reason: string, excluded = false): StructLayout {
  return {
    size: null, align: null, trailingPadding: null, ptrBytes: null, ptrBytesUnknown: reason, unknown: reason,
    ...(excluded ? { excluded: true } : {}),
    fields: fields.flatMap((f) => fieldNames(f)).map((name) => ({
      name, offset: null, size: null, align: null, paddingBefore: null, ptrBytes: null, unknown: reason,
    })),
  };
}

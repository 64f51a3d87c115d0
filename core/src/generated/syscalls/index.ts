import sysnumFile from './sysnum.json';
import fieldTypesFile from './fieldtypes.json';
import funcParamsFile from './funcparams.json';

/**
 * Syscall numbers and target-dependent struct field types of golang.org/x/sys/unix and the standard library's
 * syscall package, per `GOOS/GOARCH` target (e.g. `linux/arm64`). Generated from the packages' sources by
 * scripts/gen-syscall-tables, whose `go test` proves every entry with the compiler.
 */
export type SyscallSource = 'unix' | 'syscall';

interface SysnumTable {
  xsysVersion: string;
  goVersion: string;
  targets: string[];
  /** source → target → SYS_ name → number */
  numbers: Record<SyscallSource, Record<string, Record<string, number>>>;
}

/** struct → field → target → the field's type as written in that target's source */
type FieldTypeTable = Record<string, Record<string, Record<string, string>>>;

const sysnums = sysnumFile as unknown as SysnumTable;
const fieldTables = fieldTypesFile as unknown as Record<SyscallSource, FieldTypeTable>;

/** The targets both tables cover, `GOOS/GOARCH`. */
export const syscallTableTargets: readonly string[] = sysnums.targets;

/** Where the tables come from, for messages: the x/sys release and the Go release whose `syscall` was read. */
export const syscallTableSources = { xsysVersion: sysnums.xsysVersion, goVersion: sysnums.goVersion } as const;

/** Own properties only: a name like `constructor` must not find Object.prototype's. */
function lookup<V>(record: Record<string, V> | undefined, key: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The number of `SYS_NAME` in `source` on `target`, or undefined where the package does not declare it. */
export function syscallNumber(source: SyscallSource, target: string, name: string): number | undefined {
  return lookup(lookup(sysnums.numbers[source], target), name);
}

/** Every SYS_ name `source` declares on `target` (empty for an unknown target). */
export function syscallNames(source: SyscallSource, target: string): string[] {
  return Object.keys(lookup(sysnums.numbers[source], target) ?? {});
}

/** All SYS_ names with this number on `target`, sorted (aliases such as SYS_FSTATAT and SYS_NEWFSTATAT share one). */
export function syscallNamesFor(source: SyscallSource, target: string, num: number): string[] {
  const names = lookup(sysnums.numbers[source], target) ?? {};
  return Object.keys(names).filter((name) => names[name] === num).sort();
}

/**
 * The targets (of `among`, by default all covered targets) on which `name` is missing although at least one
 * of them declares it; empty when every one declares it, or none does.
 */
export function targetsWithout(source: SyscallSource, name: string, among: readonly string[] = syscallTableTargets): string[] {
  const missing = among.filter((target) => syscallNumber(source, target, name) === undefined);
  return missing.length === among.length ? [] : missing;
}

/**
 * The type of `struct.field` per target that declares the field, as written in that target's source
 * (`uint64`, `[65]int8`, `Timespec`), for structs whose fields differ between targets; undefined for other
 * structs and unknown fields. A covered target missing from the result while in structTargets lacks the field.
 */
export function fieldTypes(pkg: SyscallSource, struct: string, field: string): Readonly<Record<string, string>> | undefined {
  return lookup(lookup(fieldTables[pkg], struct), field);
}

/** The targets that declare `struct`, for structs in the field-type table; empty for other structs. */
export function structTargets(pkg: SyscallSource, struct: string): string[] {
  const fields = lookup(fieldTables[pkg], struct) ?? {};
  const declaring = new Set(Object.values(fields).flatMap((types) => Object.keys(types)));
  return syscallTableTargets.filter((target) => declaring.has(target));
}

/** package → function → parameter types as written (the same on every target), for functions with an integer one. */
const funcParamTables = funcParamsFile as unknown as Record<SyscallSource, Record<string, string[]>>;

/**
 * The parameter types of `pkg.fn` (`unix.Major` → `['uint64']`), for exported functions whose parameters are the
 * same on every target and include a predeclared integer type; undefined for other functions.
 */
export function functionParams(pkg: SyscallSource, fn: string): readonly string[] | undefined {
  return lookup(funcParamTables[pkg], fn);
}

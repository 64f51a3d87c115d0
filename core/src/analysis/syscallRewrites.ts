// The quick fix of the sysname analyzer: a raw call whose SYS_* number some target lacks, rewritten to the portable
// system call with the arguments the Linux kernel gives the old one (`open(p, f, m)` is `openat(AT_FDCWD, p, f, m)`
// in fs/open.c). Each mapping is exact or absent: a rewrite that changes what the call does on some target is not
// offered, and the reason goes into the finding's message instead.
import { rangeOf } from '../model/extract';
import type { SyntaxNode } from '../parse/goParser';
import type { Fix } from './finding';
import { importPathOf, Pass, qualifiedName } from './pass';
import { SYSCALL_SOURCE_OF } from './syscallPackages';

/**
 * AT_FDCWD (-100 on every Linux architecture) as a uintptr argument: Go rejects converting a negative constant to
 * uintptr, and package syscall does not export the name, so it is written as the same bits on every word size.
 */
const AT_FDCWD = '^uintptr(99) /* AT_FDCWD */';
/** AT_REMOVEDIR, 0x200 on every Linux architecture; unexported in package syscall. */
const AT_REMOVEDIR = '0x200 /* AT_REMOVEDIR */';

/**
 * How the kernel's portable call takes the old call's arguments. `args` are the new arguments after the number:
 * `$n` is the old call's n-th argument after its number, `@NAME` a constant of the package the number comes from
 * (O_CREAT differs per architecture, so it is named), anything else Go text. `inexactOn`: architectures where the
 * old call behaves otherwise. `inexactWith`: the reason, for the old call's arguments, when the rewrite would not be
 * exact for them.
 */
interface CallMapping {
  args: string[];
  inexactOn?: { goarchs: string[]; why: string };
  inexactWith?: (old: string[]) => string | undefined;
}

/**
 * Exact mappings, or why there is none, for the names the sysname analyzer knows a portable form of. A name without
 * an entry gets no fix because its portable form takes other arguments (pause → ppoll).
 */
const PORTABLE_CALLS: Record<string, CallMapping | { why: string }> = {
  SYS_OPEN: { args: [AT_FDCWD, '$1', '$2', '$3'] },
  SYS_CREAT: { args: [AT_FDCWD, '$1', '@O_CREAT|@O_WRONLY|@O_TRUNC', '$2'] },
  SYS_ACCESS: { args: [AT_FDCWD, '$1', '$2'] },
  SYS_MKDIR: { args: [AT_FDCWD, '$1', '$2'] },
  SYS_RMDIR: { args: [AT_FDCWD, '$1', AT_REMOVEDIR] },
  SYS_UNLINK: { args: [AT_FDCWD, '$1', '0'] },
  // renameat ignores the fifth argument; renameat2 (riscv64 and loong64 have no renameat) takes it as flags.
  SYS_RENAME: { args: [AT_FDCWD, '$1', AT_FDCWD, '$2', '0'] },
  // Linux's link does not follow a symbolic link, as linkat without AT_SYMLINK_FOLLOW.
  SYS_LINK: { args: [AT_FDCWD, '$1', AT_FDCWD, '$2', '0'] },
  SYS_SYMLINK: { args: ['$1', AT_FDCWD, '$2'] },
  SYS_READLINK: { args: [AT_FDCWD, '$1', '$2', '$3'] },
  SYS_CHMOD: { args: [AT_FDCWD, '$1', '$2'] },
  SYS_MKNOD: { args: [AT_FDCWD, '$1', '$2', '$3'] },
  SYS_PIPE: {
    args: ['$1', '0'],
    inexactOn: { goarchs: ['mips', 'mipsle', 'mips64', 'mips64le'], why: 'pipe returns the descriptors in registers there, pipe2 writes them to the array' },
  },
  SYS_EPOLL_CREATE: { args: ['0'], inexactWith: ([size]) => (/^[1-9][0-9]*$/.test(size) ? undefined : 'epoll_create fails with EINVAL for a size of 0 or less, epoll_create1 does not, and this size is not a positive literal') },
  // With a nil mask the kernel ignores the mask's size (set_user_sigmask).
  SYS_EPOLL_WAIT: { args: ['$1', '$2', '$3', '$4', '0', '0'] },
  SYS_INOTIFY_INIT: { args: ['0'] },
  SYS_EVENTFD: { args: ['$1', '0'] },
  SYS_SIGNALFD: { args: ['$1', '$2', '$3', '0'] },
  SYS_GETPGRP: { args: ['0'] },
  SYS_CHOWN: { why: 'chown takes 16-bit ids on linux/386 and linux/arm (0xffff: unchanged), fchownat 32-bit ones' },
  SYS_LCHOWN: { why: 'lchown takes 16-bit ids on linux/386 and linux/arm (0xffff: unchanged), fchownat 32-bit ones' },
  SYS_DUP2: { why: 'dup3 fails with EINVAL when both descriptors are the same, where dup2 succeeds' },
  SYS_STAT: { why: 'statx fills a struct statx, not a Stat_t, and fstatat has another name on each target' },
  SYS_LSTAT: { why: 'statx fills a struct statx, not a Stat_t, and fstatat has another name on each target' },
  SYS_POLL: { why: 'ppoll takes a *Timespec where poll takes milliseconds' },
  SYS_SELECT: { why: 'pselect6 takes a *Timespec and a signal mask where select takes a *Timeval' },
  SYS_FORK: { why: 'clone takes its arguments in another order on each architecture' },
  SYS_VFORK: { why: 'clone takes its arguments in another order on each architecture' },
  SYS_GETDENTS: { why: 'getdents64 writes linux_dirent64 records, another layout than getdents' },
  SYS_UTIMES: { why: 'utimensat takes timespecs where utimes takes timevals' },
  SYS_UTIME: { why: 'utimensat takes timespecs where utime takes a utimbuf' },
  SYS_FUTIMESAT: { why: 'utimensat takes timespecs where futimesat takes timevals' },
  SYS_TIME: { why: 'clock_gettime fills a timespec where time returns seconds' },
  SYS_ALARM: { why: 'setitimer takes itimervals where alarm takes seconds' },
};

/** The raw calls, how many arguments each takes after the number, and the sibling that takes more. */
const RAW_CALLS: Record<string, { arity: number; wider?: string }> = {
  Syscall: { arity: 3, wider: 'Syscall6' },
  RawSyscall: { arity: 3, wider: 'RawSyscall6' },
  Syscall6: { arity: 6 },
  RawSyscall6: { arity: 6 },
  SyscallNoError: { arity: 3 },
  RawSyscallNoError: { arity: 3 },
};

/** A raw call and what the rewrite needs of it. */
interface RawCall { node: SyntaxNode; fn: [string, string]; arity: number; wider?: string; args: string[] }

/** A SYS_* name some target lacks, where it is used, and its portable form on every target. */
export interface MissingName {
  /** The `qualifier.SYS_X` selector. */
  node: SyntaxNode;
  qualifier: string;
  name: string;
  /** The portable form's name, and the fix's title. */
  to: string;
  title: string;
  targets: string[];
}

/** The fix that calls `to` in place of the raw call whose number `missing.node` is, or why there is none. */
export function portableCallFix(pass: Pass, missing: MissingName): { fix: Fix } | { why: string } {
  const { node, qualifier, name, to, title, targets } = missing;
  const mapping = PORTABLE_CALLS[name];
  if (!mapping) return { why: `${qualifier}.${to} takes other arguments` };
  if ('why' in mapping) return mapping;
  const onTargets = inexactOnTargets(mapping, targets);
  if (onTargets) return { why: onTargets };
  const call = rawCallOf(pass, node);
  if (typeof call === 'string') return { why: call };
  const why = mapping.inexactWith?.(call.args);
  if (why) return { why };
  const args = rewrittenArgs(call, qualifier, mapping.args);
  if (!args) return { why: 'the call lacks arguments' };
  const fn = args.length <= call.arity ? call.fn[1] : call.wider;
  if (!fn) return { why: `${call.fn.join('.')} takes ${call.arity} arguments after the number, ${qualifier}.${to} needs ${args.length}` };
  while (args.length < RAW_CALLS[fn].arity) args.push('0');
  const newText = `${call.fn[0]}.${fn}(${qualifier}.${to}, ${args.join(', ')})`;
  return { fix: { title, preferred: true, edits: [{ file: pass.file, range: rangeOf(call.node), newText }] } };
}

/** Why `mapping` does not hold on some of `targets`, if it does not. */
function inexactOnTargets(mapping: CallMapping, targets: string[]): string | undefined {
  const notLinux = targets.find((t) => !t.startsWith('linux/'));
  if (notLinux) return `${notLinux} is not Linux, whose system call arguments the rewrite follows`;
  const inexact = targets.filter((t) => mapping.inexactOn?.goarchs.includes(t.slice('linux/'.length)));
  return inexact.length ? `on ${inexact.join(', ')} ${mapping.inexactOn!.why}` : undefined;
}

/** The raw call of `syscall` or `unix` whose first argument is `numberNode`, or why it is not one the fix can rewrite. */
function rawCallOf(pass: Pass, numberNode: SyntaxNode): RawCall | string {
  const argList = numberNode.parent;
  const node = argList?.parent;
  const fn = node?.type === 'call_expression' ? qualifiedName(node.childForFieldName('function')) : undefined;
  const importPath = fn && importPathOf(pass.model, fn[0]);
  if (!fn || !importPath || !(importPath in SYSCALL_SOURCE_OF) || !Object.hasOwn(RAW_CALLS, fn[1])
    || argList?.namedChildren[0]?.id !== numberNode.id) {
    return 'it is not the number of a raw Syscall call';
  }
  // The rewrite replaces the call's text, so comments among its arguments would be lost.
  if (argList.namedChildren.some((arg) => arg?.type === 'comment')) return 'the call has comments among its arguments';
  const args = argList.namedChildren.slice(1).flatMap((arg) => (arg ? [arg.text] : []));
  return { node: node!, fn, ...RAW_CALLS[fn[1]], args };
}

/** CallMapping.args filled in from `call`'s arguments; undefined when the call has fewer than they use. */
function rewrittenArgs(call: RawCall, qualifier: string, newArgs: string[]): string[] | undefined {
  const args: string[] = [];
  for (const arg of newArgs) {
    const index = /^\$(\d)$/.exec(arg);
    const value = index ? call.args[Number(index[1]) - 1] : arg.replace(/@/g, `${qualifier}.`);
    if (value === undefined) return undefined;
    args.push(value);
  }
  return args;
}

import { rangeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { SyscallSource, syscallNumber, syscallTableTargets, targetsWithout } from '../../generated/syscalls';
import { targetKey } from '../../targets';
import { SYSCALL_SOURCE_OF, importsSyscallPackage } from '../syscallPackages';
import { portableCallFix } from '../syscallRewrites';
import { Analyzer, importPathOf, nodesOfType, Pass, qualifiedName } from '../pass';


/**
 * Calls the newer architectures (arm64, riscv64, loong64) only have in their `*at`/`2`/`64` forms. A candidate is
 * suggested only where the table shows it on every target in question.
 */
const PORTABLE_FORMS: Record<string, { names: string[]; note?: string }> = {
  SYS_OPEN: { names: ['SYS_OPENAT'], note: 'with AT_FDCWD' },
  SYS_CREAT: { names: ['SYS_OPENAT'], note: 'with AT_FDCWD and O_CREAT|O_WRONLY|O_TRUNC' },
  SYS_STAT: { names: ['SYS_NEWFSTATAT', 'SYS_FSTATAT', 'SYS_STATX'], note: 'with AT_FDCWD' },
  SYS_LSTAT: { names: ['SYS_NEWFSTATAT', 'SYS_FSTATAT', 'SYS_STATX'], note: 'with AT_FDCWD and AT_SYMLINK_NOFOLLOW' },
  SYS_ACCESS: { names: ['SYS_FACCESSAT', 'SYS_FACCESSAT2'], note: 'with AT_FDCWD' },
  SYS_MKDIR: { names: ['SYS_MKDIRAT'], note: 'with AT_FDCWD' },
  SYS_RMDIR: { names: ['SYS_UNLINKAT'], note: 'with AT_FDCWD and AT_REMOVEDIR' },
  SYS_UNLINK: { names: ['SYS_UNLINKAT'], note: 'with AT_FDCWD' },
  SYS_RENAME: { names: ['SYS_RENAMEAT', 'SYS_RENAMEAT2'], note: 'with AT_FDCWD' },
  SYS_LINK: { names: ['SYS_LINKAT'], note: 'with AT_FDCWD' },
  SYS_SYMLINK: { names: ['SYS_SYMLINKAT'], note: 'with AT_FDCWD' },
  SYS_READLINK: { names: ['SYS_READLINKAT'], note: 'with AT_FDCWD' },
  SYS_CHMOD: { names: ['SYS_FCHMODAT'], note: 'with AT_FDCWD' },
  SYS_CHOWN: { names: ['SYS_FCHOWNAT'], note: 'with AT_FDCWD' },
  SYS_LCHOWN: { names: ['SYS_FCHOWNAT'], note: 'with AT_FDCWD and AT_SYMLINK_NOFOLLOW' },
  SYS_MKNOD: { names: ['SYS_MKNODAT'], note: 'with AT_FDCWD' },
  SYS_PIPE: { names: ['SYS_PIPE2'], note: 'with flags 0' },
  SYS_DUP2: { names: ['SYS_DUP3'], note: 'with flags 0 (and a check that the descriptors differ)' },
  SYS_POLL: { names: ['SYS_PPOLL'] },
  SYS_SELECT: { names: ['SYS_PSELECT6'] },
  SYS_FORK: { names: ['SYS_CLONE'], note: 'with SIGCHLD' },
  SYS_VFORK: { names: ['SYS_CLONE'], note: 'with CLONE_VM|CLONE_VFORK|SIGCHLD' },
  SYS_EPOLL_CREATE: { names: ['SYS_EPOLL_CREATE1'], note: 'with flags 0' },
  SYS_EPOLL_WAIT: { names: ['SYS_EPOLL_PWAIT'], note: 'with a nil signal mask' },
  SYS_INOTIFY_INIT: { names: ['SYS_INOTIFY_INIT1'], note: 'with flags 0' },
  SYS_EVENTFD: { names: ['SYS_EVENTFD2'], note: 'with flags 0' },
  SYS_SIGNALFD: { names: ['SYS_SIGNALFD4'] },
  SYS_GETDENTS: { names: ['SYS_GETDENTS64'] },
  SYS_UTIMES: { names: ['SYS_UTIMENSAT'] },
  SYS_UTIME: { names: ['SYS_UTIMENSAT'] },
  SYS_FUTIMESAT: { names: ['SYS_UTIMENSAT'] },
  SYS_TIME: { names: ['SYS_CLOCK_GETTIME'] },
  SYS_ALARM: { names: ['SYS_SETITIMER'] },
  SYS_PAUSE: { names: ['SYS_PPOLL'] },
  SYS_GETPGRP: { names: ['SYS_GETPGID'], note: 'with pid 0' },
};

export const syscallNames: Analyzer = {
  name: 'sysname',
  ruleId: 'GAL1002',
  doc: 'SYS_* constants that exist on some targets only, so the file does not compile on the others.',
  appliesTo: importsSyscallPackage,
  run(pass) {
    const targets = pass.fileTargets.map(targetKey).filter((t) => syscallTableTargets.includes(t));
    if (targets.length < 2) return;
    for (const selector of nodesOfType(pass.root, 'selector_expression')) {
      const name = qualifiedName(selector);
      const importPath = name && importPathOf(pass.model, name[0]);
      if (!name || !importPath || !(importPath in SYSCALL_SOURCE_OF) || !name[1].startsWith('SYS_')) continue;
      report(pass, selector, name[0], name[1], SYSCALL_SOURCE_OF[importPath], targets);
    }
  },
};

function report(pass: Pass, node: SyntaxNode, qualifier: string, name: string, source: SyscallSource, targets: string[]): void {
  const missing = targetsWithout(source, name, targets);
  if (missing.length === 0) return;
  const elsewhere = targetsWithout(source, name, syscallTableTargets.filter((t) => t.startsWith('linux/')))
    .filter((t) => !missing.includes(t));
  const everywhere = portableForm(source, name, targets);
  const onMissing = everywhere ? undefined : portableForm(source, name, missing);
  const advice = everywhere ? `: use ${qualifier}.${everywhere.advice}`
    : onMissing ? `: there, use ${qualifier}.${onMissing.advice} (no single form exists on every target)`
      : ': no portable form; put the call in per-architecture files';
  const fixed = everywhere && portableCallFix(pass, { node, qualifier, name, to: everywhere.name, title: `Call ${qualifier}.${everywhere.advice}`, targets });
  pass.report({
    range: rangeOf(node),
    severity: 'error',
    message: `${qualifier}.${name} does not exist on ${missing.join(', ')}` +
      (elsewhere.length ? ` (nor on ${elsewhere.join(', ')})` : '') + advice + (fixed && 'why' in fixed ? `; no quick fix: ${fixed.why}` : ''),
    ...(fixed && 'fix' in fixed ? { fixes: [fixed.fix] } : {}),
  });
}

/** The first portable form of `name` that the table shows on every one of `targets`, and the advice naming it. */
function portableForm(source: SyscallSource, name: string, targets: string[]): { name: string; advice: string } | undefined {
  const form = PORTABLE_FORMS[name];
  const found = form?.names.find((candidate) => targets.every((t) => syscallNumber(source, t, candidate) !== undefined));
  return found ? { name: found, advice: form.note ? `${found} ${form.note}` : found } : undefined;
}

import type { FileModel } from '../model/ast';
import type { SyscallSource } from '../generated/syscalls';

/** The packages whose syscall numbers and struct field types the generated tables describe, by import path. */
export const SYSCALL_SOURCE_OF: Readonly<Record<string, SyscallSource>> = {
  syscall: 'syscall',
  'golang.org/x/sys/unix': 'unix',
};

/** Whether a file imports `syscall` or `golang.org/x/sys/unix`. */
export function importsSyscallPackage(model: FileModel): boolean {
  return model.imports.some((i) => i.path in SYSCALL_SOURCE_OF);
}

// CPU time (user + system) of a tree of processes, read from Linux's /proc: what a benchmark reports beside its
// wall times, since on a shared machine the wall time depends on the load and the CPU time much less.
import * as fs from 'fs';

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux's supported architectures). */
const TICKS_PER_SECOND = 100;

interface ProcessTimes {
  pid: number;
  ppid: number;
  cpuMs: number;
  cmdline: string;
}

function readProcess(pid: number): ProcessTimes | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is parenthesised and may hold spaces; the fields after it are plain.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const ticks = Number(rest[11]) + Number(rest[12]);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND, cmdline };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Every live process under `rootPid` (itself included). */
function treeOf(rootPid: number): ProcessTimes[] {
  const all = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).map(readProcess).filter((p): p is ProcessTimes => p !== undefined);
  const children = new Map<number, ProcessTimes[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const tree: ProcessTimes[] = [];
  const root = all.find((p) => p.pid === rootPid);
  const queue = root ? [root] : [];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

/** CPU milliseconds per kind of process, as `kindOf` names them from a process's pid and command line. */
export type CpuByKind = Record<string, number>;

export function cpuOfTree(rootPid: number, kindOf: (pid: number, cmdline: string) => string): CpuByKind {
  const byKind: CpuByKind = {};
  for (const p of treeOf(rootPid)) {
    const kind = kindOf(p.pid, p.cmdline);
    byKind[kind] = (byKind[kind] ?? 0) + p.cpuMs;
  }
  return byKind;
}

/** `after - before` per kind (a process that exited between the two is missing from `after`: its kind may drop). */
export function cpuSpent(before: CpuByKind, after: CpuByKind): CpuByKind {
  const spent: CpuByKind = {};
  for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) spent[kind] = (after[kind] ?? 0) - (before[kind] ?? 0);
  return spent;
}

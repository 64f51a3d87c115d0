// Kills a process and everything it started. `go test` runs the test binary as its child, and a test may start more
// processes, so killing only `go` would leave them running.
import { ChildProcess, execFile } from 'child_process';
import * as fs from 'fs';

/** How long the tree gets to exit after SIGTERM before SIGKILL. */
export const KILL_GRACE_MS = 2000;
/** How long to wait after SIGKILL for the group to disappear before giving up on confirming it. */
const AFTER_KILL_MS = 1000;
const POLL_MS = 50;

/**
 * Options for spawn so that killProcessTree can reach every descendant: on POSIX the child leads a new process group,
 * which its descendants join unless they leave it on purpose.
 */
export function treeSpawnOptions(): { detached: boolean } {
  return { detached: process.platform !== 'win32' };
}

/**
 * Linux: whether a process of the group is alive, read from /proc. Unlike kill(0) it skips zombies: the orphaned test
 * binary becomes a zombie of PID 1, which in containers may collect it late or never, though it can do nothing more.
 */
function liveMemberOnLinux(pgid: number): boolean | null {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses, so split after the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** Whether any process of the group still exists. */
function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux') {
    const live = liveMemberOnLinux(pgid);
    if (live !== null) return live;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForGroupExit(pgid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(POLL_MS)) {
    if (!groupAlive(pgid)) return true;
  }
  return !groupAlive(pgid);
}

/** `taskkill /T` walks the tree by parent pid; /F because console programs ignore the polite close request. */
function taskkill(pid: number): Promise<void> {
  return new Promise((resolve) => {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => resolve());
  });
}

/**
 * Kills the child spawned with treeSpawnOptions and all its descendants: SIGTERM to the group, SIGKILL after
 * KILL_GRACE_MS if any member is left. Resolves once the group is gone, or shortly after SIGKILL when that cannot be
 * confirmed (on other POSIX systems a zombie that PID 1 has not collected yet still counts as a member).
 */
export async function killProcessTree(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    await taskkill(pid);
    return;
  }
  signalGroup(pid, 'SIGTERM');
  if (await waitForGroupExit(pid, KILL_GRACE_MS)) return;
  signalGroup(pid, 'SIGKILL');
  await waitForGroupExit(pid, AFTER_KILL_MS);
}

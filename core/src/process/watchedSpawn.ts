// Starts the long-running process trees of the product (build checks: go list -export and its compilers; race runs:
// go test -race, the test binary and what the tests start) so that they end with the process that started them
// (language server, extension host, CLI) however it ends, SIGKILL included. Node has no handler for SIGKILL and
// cannot ask for PR_SET_PDEATHSIG, and the trees lead their own process groups (so that cancelling reaches every
// member), where nothing else would stop them.
import { ChildProcess, spawn } from 'child_process';
import { treeSpawnOptions } from './processTree';

/** The descriptor of the watchdog's pipe in the child: 0-2 are the command's own. */
const WATCH_FD = 3;

/**
 * The shell forks a watchdog, then becomes the command (so it keeps the pid, leads the group and its exit code and
 * signal are the command's). The watchdog stays in the group and blocks reading this process's end of a pipe, which
 * the kernel closes however this process ends; at end of file it SIGKILLs its own group: the command, everything it
 * started that stayed in the group, and itself. While it lives the group id cannot be reused, so it never hits
 * another group. The command and its arguments reach the shell as "$@", never inside the script.
 */
const WATCHDOG_SCRIPT = `(read -r _ <&${WATCH_FD}; kill -s KILL 0) >/dev/null 2>&1 &\nexec "$@" ${WATCH_FD}<&-`;

export interface WatchedSpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Spawns `command` leading a new process group (see treeSpawnOptions, for killProcessTree) with stdout and stderr
 * piped. On POSIX it runs under WATCHDOG_SCRIPT; on Windows libuv puts children that are not detached into a job
 * object that the system closes, killing the whole tree, when this process ends in any way.
 */
export function spawnWatched(command: string, args: string[], options: WatchedSpawnOptions): ChildProcess {
  const common = { ...options, windowsHide: true, ...treeSpawnOptions() };
  if (process.platform === 'win32') return spawn(command, args, { ...common, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'sh', command, ...args], { ...common, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  // The command is done: ending the watchdog kills whatever it left in its group (the watchdog too), which could
  // otherwise run on and keep the output pipes open.
  child.on('exit', () => child.stdio[WATCH_FD]?.destroy());
  return child;
}

/**
 * The error a spawn would have given, from the shell's exit code: POSIX shells exit 127 when the command to exec was
 * not found and 126 when it could not be run. Callers ask only when the command printed nothing of its own, since a
 * command may exit with these codes too (go never does).
 */
export function execFailure(code: number | null): NodeJS.ErrnoException | undefined {
  if (process.platform === 'win32' || (code !== 126 && code !== 127)) return undefined;
  return Object.assign(new Error(code === 127 ? 'not found' : 'cannot be run'), { code: code === 127 ? 'ENOENT' : 'EACCES' });
}

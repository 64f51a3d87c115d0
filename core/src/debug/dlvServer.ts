// Starts `dlv dap` as a single-session DAP server on a loopback port and reports the port it listens on. dlv is
// given port 0 and chooses a free one itself, then prints the address: no window in which another process could
// take a port picked beforehand.
import { spawn, type ChildProcess } from 'child_process';

export interface DlvDapServer {
  readonly host: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** everything dlv printed so far (its own log, not the debuggee's output) */
  output(): string;
  /** Ends dlv (and with it the debuggee it launched); resolves once it has exited. */
  stop(): Promise<void>;
}

export interface StartDlvOptions {
  dlvPath: string;
  /** the package directory: dlv resolves relative paths and runs `go` from here */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** how long to wait for dlv to print its address */
  timeoutMs?: number;
}

const LISTENING = /DAP server listening at:\s*(\S+):(\d+)/;

export function dlvDapArgs(): string[] {
  return ['dap', '--listen=127.0.0.1:0'];
}

export function startDlvDap(options: StartDlvOptions): Promise<DlvDapServer> {
  const child = spawn(options.dlvPath, dlvDapArgs(), { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // dlv stops its debuggee on SIGTERM; one that hangs is killed for good after a grace period.
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`dlv did not report its DAP address within ${(options.timeoutMs ?? 20_000) / 1000} s; it printed: ${log.trim()}`));
    }, options.timeoutMs ?? 20_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = LISTENING.exec(log);
      if (!match) return;
      clearTimeout(timer);
      resolve({ host: match[1], port: Number(match[2]), process: child, output: () => log, stop });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${options.dlvPath}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`dlv exited (${signal ?? `code ${code}`}) before listening; it printed: ${log.trim()}`));
    });
  });
}

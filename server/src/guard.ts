import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

/**
 * Wraps a request or notification handler so that an exception (an engine bug, a file that surprises the parser)
 * is logged and answered with `fallback` instead of taking the language server down. A ResponseError (a cancelled
 * request) is the answer itself and passes through.
 */
export function guarded<P, R>(
  name: string, fallback: R, logError: (message: string) => void,
  handler: (params: P, token?: CancellationToken) => R | Promise<R>,
): (params: P, token?: CancellationToken) => Promise<R> {
  return async (params: P, token?: CancellationToken) => {
    try {
      return await handler(params, token);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      logError(`${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return fallback;
    }
  };
}

/**
 * Lets the connection read the messages queued behind the current request (a `$/cancelRequest` among them), then
 * answers RequestCancelled if the client has withdrawn the request. Called before each costly unit of work.
 */
export async function unlessCancelled(token: CancellationToken | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/**
 * Counts the requests a user is waiting on (inlay hints, hovers). Background work (analyzers, build checks, go list)
 * waits until none is in flight and the last answer is written before starting, so opening a big file shows its
 * hints before its diagnostics are computed, rather than after.
 */
export class ForegroundRequests {
  private inFlight = 0;
  /** Answers returned by `run` that vscode-jsonrpc has not written yet. */
  private unwritten = 0;
  private waiting: (() => void)[] = [];

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.unwritten++;
      // vscode-jsonrpc writes the answer from an immediate it queues once this promise settles, after this one:
      // resumed at once, an analysis (150 ms on a big file) or a go spawn would hold the answer back. Two turns
      // later it is written.
      setImmediate(() => setImmediate(() => {
        this.unwritten--;
        this.resumeIfIdle();
      }));
    }
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.unwritten === 0;
  }

  private resumeIfIdle(): void {
    if (!this.isIdle()) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }

  /** Settles once no foreground request is in flight and every answer is written (at once if so). */
  idle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}

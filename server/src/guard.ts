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

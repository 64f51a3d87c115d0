/**
 * Wraps a request or notification handler so that an exception (an engine bug, a file that surprises the parser)
 * is logged and answered with `fallback` instead of taking the language server down.
 */
export function guarded<P, R>(
  name: string, fallback: R, logError: (message: string) => void, handler: (params: P) => R | Promise<R>,
): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (err) {
      logError(`${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return fallback;
    }
  };
}

/** Where a command writes: stdout and stderr in the real CLI, buffers in tests. */
export interface Output {
  /** One line of standard output (a newline is added). */
  out(text: string): void;
  /** One line of standard error (a newline is added). */
  err(text: string): void;
  /**
   * A chunk of standard output as is; resolves once the destination can take more. Outputs that can be larger
   * than one string may hold (layout JSON of a big tree) go through it piece by piece. Without it (a test's
   * buffer) such output is collected and handed to `out` at the end.
   */
  write?(chunk: string): Promise<void>;
}

/** Writes chunks to `io`, by `io.write` when it has one; `end` must follow the last chunk. */
export function chunkSink(io: Output): { write(chunk: string): Promise<void>; end(): void } {
  if (io.write) return { write: io.write.bind(io), end: () => undefined };
  let collected = '';
  return {
    write: async (chunk) => { collected += chunk; },
    end: () => io.out(collected.endsWith('\n') ? collected.slice(0, -1) : collected),
  };
}

/** Where a command writes: stdout and stderr in the real CLI, buffers in tests. */
export interface Output {
  /** One line of standard output (a newline is added). */
  out(text: string): void;
  /** One line of standard error (a newline is added). */
  err(text: string): void;
  /**
   * A chunk of standard output as is; resolves once the destination can take more. Outputs that can be larger
   * than one string may hold (layout JSON of a big tree) go through it piece by piece.
   */
  write(chunk: string): Promise<void>;
}

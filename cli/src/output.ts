/** Where a command writes: stdout and stderr in the real CLI, buffers in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

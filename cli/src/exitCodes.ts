/**
 * Exit statuses of every command. CI scripts tell "found something" from "could not look" by them, so a crash
 * or an unreadable input never shares a status with findings.
 */
export const EXIT = {
  /** Done, nothing found. */
  ok: 0,
  /** Done, and it found something (check: findings; race: races). */
  found: 1,
  /** Bad command line; nothing was done. */
  usage: 2,
  /** Some input could not be read (a file skipped: over the size cap, not a regular file, a link loop or a
   * dangling link, unreadable; race: the log); the rest was done. `--allow-skipped` makes skipped files not count. */
  unreadable: 3,
  /** An internal error (a bug in go-arch-lens); whatever could be done was still written. */
  internal: 4,
  /** Standard output could not be written (the reader closed it early, the disk is full): what was asked for is
   * incomplete, so this outranks every other status. */
  output: 5,
} as const;

export const EXIT_CODES_HELP = `exit status:
  0  done, nothing found
  1  something found (check: findings; race: data races)
  2  bad usage
  3  some input could not be read (files skipped: over the size cap, not a regular file, symlink loop,
     dangling symlink, unreadable; race: the log); everything else was still done and written
     (layout and check: --allow-skipped reports skipped files without this status)
  4  internal error (please report it); the results that could be computed were still written
  5  standard output could not be written (the reader closed it early: quiet; a write error such as a
     full disk: said on stderr); the output is incomplete`;

/** The status of a run: an internal error over unread input over findings. */
export function exitStatus(outcome: { found: boolean; unreadable: boolean; internal: boolean }): number {
  if (outcome.internal) return EXIT.internal;
  if (outcome.unreadable) return EXIT.unreadable;
  return outcome.found ? EXIT.found : EXIT.ok;
}

import * as fs from 'fs';
import * as path from 'path';
import type { SkippedFile, SkipReason } from '../api';

/** Files larger than this are not read: a generated multi-megabyte table has no structs worth a hint. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type { SkippedFile, SkipReason };

/** `complete` (only when the read was limited to the head of the file) says whether `text` is all of it. */
export type SourceRead = { text: string; complete?: boolean } | { skipped: SkippedFile };

// Opening a FIFO for reading blocks until a writer appears; non-blocking, the open returns at once and the fstat
// below turns it away. Windows has no such flag (nor FIFOs on the file system).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Reads a Go source from disk only if it is a regular file (symbolic links to one are followed) no larger than
 * `maxBytes`. Devices (`/dev/zero`), FIFOs, sockets and folders are skipped without reading a byte, so a crafted
 * repository can neither hang the reader nor make it grow without bound. The file is checked again on the open
 * descriptor and read at most `maxBytes + 1` bytes, so swapping it between the check and the read does not help.
 * With `headBytes`, only the first bytes are read (a header is enough to tell whether the file builds).
 */
export function readSourceFile(file: string, maxBytes = MAX_FILE_BYTES, headBytes?: number): SourceRead {
  const skip = (reason: SkipReason, what: string): SourceRead => ({ skipped: skippedFile(file, reason, what) });
  let fd: number;
  try {
    const stat = fs.statSync(file);
    const refusal = refuse(stat, maxBytes);
    if (refusal) return skip(refusal.reason, refusal.what);
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    return linkProblem(file, err as NodeJS.ErrnoException) ?? skip('unreadable', unreadable(err));
  }
  try {
    const stat = fs.fstatSync(fd);
    const refusal = refuse(stat, maxBytes);
    if (refusal) return skip(refusal.reason, refusal.what);
    const limit = Math.min(maxBytes + 1, headBytes ?? Infinity);
    const bytes = readAtMost(fd, limit, stat.size);
    if (headBytes === undefined && bytes.length > maxBytes) return skip('too-large', largerThan(maxBytes));
    return { text: bytes.toString('utf8'), ...(headBytes !== undefined ? { complete: bytes.length < limit } : {}) };
  } catch (err) {
    return skip('unreadable', unreadable(err));
  } finally {
    fs.closeSync(fd);
  }
}

/** `<name> is <what>; skipped`: one sentence a CLI line, a log or a SARIF notification can show as it is. */
export function skippedFile(file: string, reason: SkipReason, what: string): SkippedFile {
  return { file, reason, message: `${path.basename(file)} is ${what}; skipped` };
}

function refuse(stat: fs.Stats, maxBytes: number): { reason: SkipReason; what: string } | undefined {
  if (!stat.isFile()) return { reason: 'not-regular', what: `not a regular file (${kindOf(stat)})` };
  if (stat.size > maxBytes) return { reason: 'too-large', what: largerThan(maxBytes) };
  return undefined;
}

export function largerThan(maxBytes = MAX_FILE_BYTES): string {
  return `larger than ${formatBytes(maxBytes)}`;
}

function unreadable(err: unknown): string {
  return `unreadable (${(err as Error).message})`;
}

function formatBytes(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes >> 20} MiB` : `${bytes} bytes`;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** A symbolic link that leads nowhere or round in a circle, told apart from other failures. */
function linkProblem(file: string, err: NodeJS.ErrnoException): SourceRead | undefined {
  if (err.code === 'ELOOP') return { skipped: skippedFile(file, 'symlink-loop', 'a symbolic link in a loop') };
  if (err.code !== 'ENOENT') return undefined;
  try {
    if (!fs.lstatSync(file).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  let target = '?';
  try {
    target = fs.readlinkSync(file);
  } catch {
    // The link went away meanwhile; it still dangled when opened.
  }
  return { skipped: skippedFile(file, 'dangling-symlink', `a symbolic link to ${JSON.stringify(target)}, which does not exist`) };
}

/**
 * Reads from `fd` until end of file or `limit` bytes, whichever comes first. The first buffer fits the size the file
 * had when checked (one byte more, to see it grew), so a small file costs no megabyte buffer.
 */
function readAtMost(fd: number, limit: number, expectedSize: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const wanted = total === 0 ? Math.max(expectedSize + 1, 4096) : 1 << 20;
    const chunk = Buffer.allocUnsafe(Math.min(limit - total, wanted, 1 << 20));
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

/**
 * The `.go` entries of a folder, sorted, folders excluded. Entries that are not regular files (FIFOs, devices,
 * links) are listed too: reading them is what skips them, so that they are reported rather than silently missing.
 */
export function listGoFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name.endsWith('.go') && !e.isDirectory())
    .map((e) => path.join(dir, e.name))
    .sort();
}

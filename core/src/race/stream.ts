// Reads a whole log from a Node stream through RaceLogParser, as the CLI, the benchmark and the editor do.
import { RaceLogParser } from './logParser';
import type { RaceLogSummary, RaceReport } from './types';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * At most this many bytes become one string: below V8's largest ordinary heap object (128 KiB), so that the strings
 * are allocated and freed in the young generation. A 1 MiB chunk as one string is allocated outside the heap, and
 * allocating and returning a MiB per chunk cost up to a fifth of the parse time (page faults), depending on how the
 * C library's allocator happened to settle.
 */
const PIECE_BYTES = 120 * 1024;

/** The bytes of a text chunk; a surrogate pair split between chunks is rejoined through `held`. */
function bytesOfText(text: string, held: { surrogate: string }): Buffer {
  let whole = held.surrogate === '' ? text : held.surrogate + text;
  held.surrogate = '';
  const last = whole.charCodeAt(whole.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) {
    held.surrogate = whole.slice(-1);
    whole = whole.slice(0, -1);
  }
  return Buffer.from(whole, 'utf8');
}

/** A held surrogate whose other half did not come, as latin1 bytes (U+FFFD's). */
function lonelyBytes(held: { surrogate: string }): string {
  const bytes = Buffer.from(held.surrogate, 'utf8').toString('latin1');
  held.surrogate = '';
  return bytes;
}

/**
 * Parses a byte or text stream with the result of one streaming TextDecoder: UTF-8 sequences split between chunks
 * are rejoined, invalid bytes become U+FFFD, a BOM at the start is dropped. Rejects when reading fails.
 *
 * Bytes reach the parser undecoded (latin1: one character per byte, a plain copy); it decodes only the text it
 * keeps. Decoding every chunk took longer than parsing them. Text chunks are encoded back to UTF-8 for that (lone
 * surrogates, which no decoder produces, become U+FFFD).
 */
export async function parseRaceLog(input: AsyncIterable<Buffer | string>, onReport: (report: RaceReport) => void): Promise<RaceLogSummary> {
  const parser = new RaceLogParser(onReport, true);
  // The first bytes, held until there are enough to tell whether they are a BOM.
  let start: Buffer | null = Buffer.alloc(0);
  const held = { surrogate: '' };
  for await (const chunk of input) {
    if (typeof chunk !== 'string' && held.surrogate !== '') parser.write(lonelyBytes(held));
    let bytes = typeof chunk === 'string' ? bytesOfText(chunk, held) : chunk;
    if (start !== null) {
      if (typeof chunk === 'string' && start.length === 0) {
        start = null; // text, not bytes: a BOM in it was the decoder's business
      } else {
        bytes = Buffer.concat([start, bytes]);
        if (bytes.length < BOM.length && BOM.subarray(0, bytes.length).equals(bytes)) {
          start = bytes;
          continue;
        }
        start = null;
        if (bytes.subarray(0, BOM.length).equals(BOM)) bytes = bytes.subarray(BOM.length);
      }
    }
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) parser.write(bytes.toString('latin1', at, Math.min(bytes.length, at + PIECE_BYTES)));
  }
  if (start !== null) parser.write(start.toString('latin1'));
  if (held.surrogate !== '') parser.write(lonelyBytes(held));
  return parser.end();
}

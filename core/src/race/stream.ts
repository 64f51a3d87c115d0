// Reads a whole log from a Node stream through RaceLogParser, as the CLI, the benchmark and the editor do.
import { RaceLogParser } from './logParser';
import type { RaceLogSummary, RaceReport } from './types';

/**
 * Parses a byte or text stream; UTF-8 sequences split between chunks are rejoined, invalid bytes become U+FFFD.
 * Rejects when reading fails. (TextDecoder rather than StringDecoder: it is several times faster once a log holds
 * any non-ASCII text.)
 */
export async function parseRaceLog(input: AsyncIterable<Buffer | string>, onReport: (report: RaceReport) => void): Promise<RaceLogSummary> {
  const parser = new RaceLogParser(onReport);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  parser.write(decoder.decode());
  return parser.end();
}

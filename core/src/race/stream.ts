// Reads a whole log from a Node stream through RaceLogParser, as the CLI, the benchmark and the editor do.
import { StringDecoder } from 'string_decoder';
import { RaceLogParser } from './logParser';
import type { RaceLogSummary, RaceReport } from './types';

/** Parses a byte or text stream (UTF-8 sequences split between chunks are rejoined); rejects on read errors. */
export async function parseRaceLog(input: AsyncIterable<Buffer | string>, onReport: (report: RaceReport) => void): Promise<RaceLogSummary> {
  const parser = new RaceLogParser(onReport);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  parser.write(decoder.end());
  return parser.end();
}

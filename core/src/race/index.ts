// Go race-detector log parsing: the public entry point for the CLI and the editor.
export { RaceDeduplicator, raceKey } from './dedup';
export { RaceLogParser } from './logParser';
export { parseRaceLog } from './stream';
export type { GoroutineId, GoroutineOrigin, RaceAccess, RaceFrame, RaceGroup, RaceLogSummary, RaceReport } from './types';

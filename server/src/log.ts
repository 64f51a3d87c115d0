import type { RemoteConsole } from 'vscode-languageserver/node';
import { escapeUnprintable } from '../../core/src/model/extract';

export type LogLine = (message: string) => void;

export interface ServerLog {
  info: LogLine;
  warn: LogLine;
  error: LogLine;
}

/**
 * The server's log, which the client shows in its "Go Arch Lens" output channel. Its messages carry file names,
 * compiler output and error messages from the workspace: their control characters are escaped here, for every
 * message at once, as the CLI does for its text output. Line feeds are kept (a stack or a go error spans lines); a
 * file name's own are escaped with escapeName where the name is put into a message.
 */
export function serverLog(console: RemoteConsole): ServerLog {
  return {
    info: (message) => console.info(escapeUnprintable(message)),
    warn: (message) => console.warn(escapeUnprintable(message)),
    error: (message) => console.error(escapeUnprintable(message)),
  };
}

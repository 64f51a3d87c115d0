import * as assert from 'assert';
import type { RemoteConsole } from 'vscode-languageserver/node';
import { serverLog } from '../../server/src/log';

describe('the language server\'s log', () => {
  it('escapes the control characters of every message at every level, keeping its line feeds', () => {
    const written: string[] = [];
    const console = {
      info: (message: string) => written.push(`info ${message}`),
      warn: (message: string) => written.push(`warn ${message}`),
      error: (message: string) => written.push(`error ${message}`),
    } as unknown as RemoteConsole;
    const log = serverLog(console);
    // As go would echo a hostile go.mod: its words reach the log inside a message, not as a file name.
    const fromWorkspace = 'go: go.mod:1: unknown directive: \u001b[2J\u0007\u202e\nsecond line';
    log.info(fromWorkspace);
    log.warn(fromWorkspace);
    log.error(fromWorkspace);
    const shown = 'go: go.mod:1: unknown directive: \\x1b[2J\\a\\u202e\nsecond line';
    assert.deepStrictEqual(written, [`info ${shown}`, `warn ${shown}`, `error ${shown}`]);
  });
});

import * as assert from 'assert';
import * as path from 'path';
import { CancellationTokenSource, HoverRequest, InlayHintRequest, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { realGoEnv, writeModule } from '../support/goModule';
import { serverPerTest, WHOLE_FILE } from './lspClient';

describe('language server: cancellation and requested ranges', function () {
  this.timeout(300000);
  const go = realGoEnv();
  const startServer = serverPerTest();

  it('answers cancelled inlay-hint requests with RequestCancelled instead of computing them', async () => {
    const source = 'package m\n\n' + Array.from({ length: 2000 }, (_, i) => `type S${i} struct {\n\ta int8\n\tb int64\n}\n`).join('\n');
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': source });
    const client = await startServer({ initializationOptions: { ...go, trusted: true } });
    const uri = await client.open(path.join(root, 'm.go'), source);
    const cancelled = Array.from({ length: 50 }, (_, i) => {
      const source = new CancellationTokenSource();
      const range = { start: { line: i, character: 0 }, end: { line: WHOLE_FILE.end.line, character: 0 } };
      const answer = client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range }, source.token);
      source.cancel();
      return answer.then(() => 'computed', (err: unknown) => (err instanceof ResponseError && err.code === LSPErrorCodes.RequestCancelled ? 'cancelled' : String(err)));
    });
    const outcomes = await Promise.all(cancelled);
    assert.deepStrictEqual(outcomes, Array(50).fill('cancelled'));
    assert.ok((await client.inlayHints(uri))!.length > 0);
  });

  it('answers cancelled hover requests with RequestCancelled instead of computing them', async () => {
    const source = 'package m\n\n' + Array.from({ length: 2000 }, (_, i) => `type S${i} struct {\n\ta int8\n\tb int64\n}\n`).join('\n');
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': source });
    const client = await startServer({ initializationOptions: { ...go, trusted: true } });
    const uri = await client.open(path.join(root, 'm.go'), source);
    // Each on another struct (line 2 + 5i holds `type Si struct {`), so no answer comes from the cache of another.
    const hoverOn = (i: number, token?: CancellationTokenSource['token']) =>
      client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2 + 5 * i, character: 6 } }, token);
    const cancelled = Array.from({ length: 50 }, (_, i) => {
      const source = new CancellationTokenSource();
      const answer = hoverOn(i, source.token);
      source.cancel();
      return answer.then(() => 'computed', (err: unknown) => (err instanceof ResponseError && err.code === LSPErrorCodes.RequestCancelled ? 'cancelled' : String(err)));
    });
    assert.deepStrictEqual(await Promise.all(cancelled), Array(50).fill('cancelled'));
    const answered = await hoverOn(60);
    assert.match(JSON.stringify(answered?.contents), /S60/);
  });

  it('answers only the requested lines of a struct with 20,000 fields', async () => {
    const source = `package m\n\ntype Wide struct {\n${Array.from({ length: 20000 }, (_, i) => `\tf${i} int32\n`).join('')}}\n`;
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': source });
    const client = await startServer({
      settings: { inlayHints: { structSize: true, fieldOffsets: true, padding: true } },
      initializationOptions: { ...go, trusted: true },
    });
    const uri = await client.open(path.join(root, 'm.go'), source);
    const hints = await client.inlayHints(uri, { start: { line: 1000, character: 0 }, end: { line: 1049, character: 0 } });
    assert.deepStrictEqual([...new Set(hints!.map((h) => h.position.line))].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => 1000 + i));
  });
});

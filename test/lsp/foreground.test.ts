import * as assert from 'assert';
import { PassThrough } from 'stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { ForegroundRequests } from '../../server/src/guard';

/** Two vscode-jsonrpc connections talking over in-memory streams, as the server and its editor do over stdio. */
function connectedPair(): { server: MessageConnection; client: MessageConnection } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createMessageConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  server.listen();
  client.listen();
  return { server, client };
}

describe('foreground requests before background work', () => {
  it('writes the answer before work waiting for idle starts (which would otherwise hold it back)', async () => {
    const { server, client } = connectedPair();
    const foreground = new ForegroundRequests();
    const seen: string[] = [];
    const backgroundDone = new Promise<void>((resolve) => client.onNotification('background', () => {
      seen.push('background');
      resolve();
    }));
    server.onRequest('hints', () => foreground.run(async () => {
      // An analysis scheduled while the hints are computed: it speaks once it runs.
      void foreground.idle().then(() => server.sendNotification('background'));
      return 'hints';
    }));
    const answer = await client.sendRequest<string>('hints');
    seen.push(answer);
    await backgroundDone;
    assert.deepStrictEqual(seen, ['hints', 'background']);
    server.dispose();
    client.dispose();
  });

  it('is idle at once when nothing was asked, and again after answers overlap', async () => {
    const foreground = new ForegroundRequests();
    await foreground.idle();
    let release!: () => void;
    const slow = foreground.run(() => new Promise<string>((resolve) => { release = () => resolve('slow'); }));
    const fast = foreground.run(async () => 'fast');
    let resumed = false;
    const waiting = foreground.idle().then(() => { resumed = true; });
    assert.strictEqual(await fast, 'fast');
    await new Promise((resolve) => setImmediate(() => setImmediate(() => setImmediate(resolve))));
    assert.strictEqual(resumed, false, 'resumed while a request was still in flight');
    release();
    await slow;
    await waiting;
    assert.strictEqual(resumed, true);
  });
});

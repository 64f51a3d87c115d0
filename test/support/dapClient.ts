// A small Debug Adapter Protocol client over TCP, for tests that drive a real `dlv dap`: Content-Length framed JSON,
// requests matched to responses by seq, and every event kept so a test can wait for one that arrived earlier.
import * as net from 'net';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { HUNG_AFTER_MS } from './timeouts';

export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  success?: boolean;
  message?: string;
  request_seq?: number;
  body?: any;
}

export class DapClient {
  readonly events: DapMessage[] = [];
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private pending = new Map<number, { resolve: (m: DapMessage) => void; reject: (e: Error) => void }>();
  private eventWaiters: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
      for (const { reject } of this.pending.values()) reject(new Error('the debug adapter closed the connection'));
      this.pending.clear();
      this.wakeEventWaiters();
    });
  }

  static connect(host: string, port: number): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new DapClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a request; resolves with a successful response, rejects with the adapter's message otherwise. */
  request(command: string, args?: unknown): Promise<DapMessage> {
    const seq = this.seq++;
    const json = JSON.stringify({ seq, type: 'request', command, arguments: args });
    return new Promise((resolve, reject) => {
      this.pending.set(seq, {
        resolve: (m) => (m.success ? resolve(m) : reject(new Error(`${command} failed: ${m.message ?? ''} ${JSON.stringify(m.body ?? {})}`))),
        reject,
      });
      this.socket.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    });
  }

  /**
   * The first event (already received or still to come) named `name` that `accept` takes. Without `timeoutMs` the
   * test's own time limit bounds the wait (see timeouts.ts); a closed connection ends it at once.
   */
  async waitForEvent(name: string, accept: (m: DapMessage) => boolean = () => true, timeoutMs = Infinity): Promise<DapMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find((m) => m.event === name && accept(m));
      if (hit) return hit;
      if (this.closed) throw new Error(`the connection closed before a ${name} event; events: ${this.eventNames()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${name} event within ${timeoutMs / 1000} s; events: ${this.eventNames()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, HUNG_AFTER_MS));
        this.eventWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Text of every `output` event so far, in order. */
  outputText(): string {
    return this.events.filter((m) => m.event === 'output').map((m) => String(m.body?.output ?? '')).join('');
  }

  close(): void {
    this.socket.destroy();
  }

  private eventNames(): string {
    return this.events.map((m) => m.event).join(', ');
  }

  private wakeEventWaiters(): void {
    const waiters = this.eventWaiters;
    this.eventWaiters = [];
    for (const wake of waiters) wake();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /Content-Length:\s*(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString());
      if (!length) throw new Error(`DAP header without Content-Length: ${this.buffer.subarray(0, headerEnd).toString()}`);
      const bodyStart = headerEnd + 4;
      const bodyEnd = bodyStart + Number(length[1]);
      if (this.buffer.length < bodyEnd) return;
      const message = JSON.parse(this.buffer.subarray(bodyStart, bodyEnd).toString()) as DapMessage;
      this.buffer = this.buffer.subarray(bodyEnd);
      this.dispatch(message);
    }
  }

  private dispatch(message: DapMessage): void {
    if (message.type === 'response' && message.request_seq !== undefined) {
      this.pending.get(message.request_seq)?.resolve(message);
      this.pending.delete(message.request_seq);
    } else if (message.type === 'event') {
      this.events.push(message);
      this.wakeEventWaiters();
    }
  }
}

/**
 * The pinned dlv the debugger tests run (scripts/setup-tools.mjs installs it into .tools/dlv/bin on first use).
 * setup-tools is an ES module; a CommonJS test reaches it through a real dynamic import, which tsc would otherwise
 * turn into require().
 */
export async function pinnedDlv(log: (line: string) => void = () => {}): Promise<string> {
  const setupTools = path.resolve(__dirname, '..', '..', '..', 'scripts', 'setup-tools.mjs');
  const importModule = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ ensureDlv(log: (l: string) => void): Promise<string> }>;
  const { ensureDlv } = await importModule(pathToFileURL(setupTools).href);
  return ensureDlv(log);
}

import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ModelResult } from '../resolve/sourceStore';

/** Files handed to a worker at a time: small enough to balance load, large enough to amortise messaging. */
const BATCH = 64;

/**
 * Parses many disk files on worker threads, one per core. `onParsed` receives each batch as it arrives.
 * Resolves when every file is parsed; a worker that fails rejects, and the caller can fall back to parsing lazily.
 */
export async function parseInParallel(
  files: string[], wasmDir: string | undefined, onParsed: (file: string, result: ModelResult) => void,
  threads = Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
): Promise<void> {
  const queue = files.slice();
  const workerScript = path.join(__dirname, 'parseWorker.js');
  const runWorker = () => new Promise<void>((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: { wasmDir } });
    const sendNext = () => {
      const batch = queue.splice(0, BATCH);
      if (batch.length === 0) {
        worker.postMessage(null);
        return;
      }
      worker.postMessage(batch);
    };
    worker.on('message', (message: 'ready' | [string, ModelResult][]) => {
      if (message !== 'ready') for (const [file, result] of message) onParsed(file, result);
      sendNext();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`parse worker exited with ${code}`))));
  });
  await Promise.all(Array.from({ length: Math.min(threads, Math.ceil(files.length / BATCH) || 1) }, runWorker));
}

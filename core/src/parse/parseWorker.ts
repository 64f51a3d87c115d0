import { parentPort, workerData } from 'worker_threads';
import { GoParser } from './goParser';
import { parseDiskFile } from '../resolve/sourceStore';

/** Worker thread: parses the files it is sent and posts back their models (plain data, structured-cloned). */
async function serve(): Promise<void> {
  const parser = await GoParser.create((workerData as { wasmDir?: string }).wasmDir);
  parentPort!.on('message', (files: string[] | null) => {
    if (files === null) {
      process.exit(0);
    }
    parentPort!.postMessage(files.map((file) => [file, parseDiskFile(parser, file)]));
  });
  parentPort!.postMessage('ready');
}

void serve();

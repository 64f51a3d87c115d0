// Entry point of the Go Arch Lens language server. The transport comes from the command line, as
// vscode-languageserver reads it: `--node-ipc` (how the extension starts it) or `--stdio`.
import * as os from 'os';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LayoutServer } from './layoutServer';
import { serverLog } from './log';

const connection = createConnection(ProposedFeatures.all);
const log = serverLog(connection.console);

// A bug must cost one answer, not the server: log what escaped the handlers and keep serving.
process.on('uncaughtException', (err) => log.error(`uncaught exception: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${String(reason)}`));

// A signal ends the process through process.exit, so that its exit hook kills the build checks in flight (go leads
// its own process group and would otherwise keep compiling).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => process.exit(128 + os.constants.signals[signal]));

// The bundle sits beside the tree-sitter WASM files that scripts/build.mjs copies into dist/.
new LayoutServer(connection, __dirname).listen();

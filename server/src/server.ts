// Entry point of the Go Arch Lens language server. The transport comes from the command line, as
// vscode-languageserver reads it: `--node-ipc` (how the extension starts it) or `--stdio`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LayoutServer } from './layoutServer';

const connection = createConnection(ProposedFeatures.all);

// A bug must cost one answer, not the server: log what escaped the handlers and keep serving.
process.on('uncaughtException', (err) => connection.console.error(`uncaught exception: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));

// The bundle sits beside the tree-sitter WASM files that scripts/build.mjs copies into dist/.
new LayoutServer(connection, __dirname).listen();

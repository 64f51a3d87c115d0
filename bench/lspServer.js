// The bundled language server over stdio with a JSON-RPC connection that answers configuration requests with
// defaults, for the benchmarks that drive the server as an editor would.
const cp = require('child_process');
const path = require('path');
const rpc = require('vscode-jsonrpc/node');

function startServer() {
  const server = cp.spawn(process.execPath, [path.join(__dirname, '../dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  conn.onRequest('workspace/configuration', (params) => params.items.map(() => null));
  conn.onRequest(() => null);
  conn.onNotification(() => {});
  conn.listen();
  return { server, conn };
}

/**
 * The p-th percentile of an ascending array by nearest rank: the smallest value with at least p% of the samples at
 * or below it. (Indexing at floor(p% of n) made the p95 of 20 samples their maximum.)
 */
function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

module.exports = { startServer, percentile };

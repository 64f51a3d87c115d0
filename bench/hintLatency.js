// Child process of bench/run.mjs: starts the bundled language server over stdio, opens a generated 5,000-line Go
// file, then times one-character edits each followed by an inlay-hint request: for the visible lines, as VS Code
// asks, and for the whole file.
const { startServer, percentile } = require('./lspServer');

const LINES = 5000;
const EDITS = 300;
const WARMUP = 20;

/** A complete, valid Go file of about LINES lines: structs and the functions that use them. */
function generateFile() {
  const out = ['package bench', ''];
  let i = 0;
  while (out.length + 16 <= LINES) {
    out.push(`type Record${i} struct {`, '\tflag bool', '\tid int64', '\tname string', '\tcount int32', '\tratio float64', '\tnext *Record0', '}', '');
    out.push(`func use${i}(r *Record${i}) int64 {`, '\tif r.flag {', '\t\treturn r.id + int64(r.count)', '\t}', '\treturn 0', '}', '');
    i++;
  }
  return out.join('\n') + '\n';
}

async function main() {
  const { server, conn } = startServer();
  const uri = 'file:///tmp/go-arch-lens-bench/big.go';
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: {} });
  conn.sendNotification('initialized', {});
  const text = generateFile();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  let version = 1;
  /** One-character edits (typing, then deleting) in struct field names, each followed by a hint request. */
  async function timeEdits(count, rangeFor) {
    const samples = [];
    let hints = 0;
    for (let i = 0; i < count + WARMUP; i++) {
      const line = 3 + 16 * (i % 200);
      const change = i % 2 === 0
        ? { range: { start: { line, character: 4 }, end: { line, character: 4 } }, text: 'x' }
        : { range: { start: { line, character: 4 }, end: { line, character: 5 } }, text: '' };
      const t0 = process.hrtime.bigint();
      conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
      const result = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: rangeFor(line) });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      hints = (result || []).length;
      if (i >= WARMUP) samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    return { hints, p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples[samples.length - 1] };
  }
  // What VS Code asks for after an edit: the visible lines (about 60 around the cursor).
  const viewport = await timeEdits(EDITS, (line) => ({ start: { line: Math.max(0, line - 30), character: 0 }, end: { line: line + 30, character: 0 } }));
  // For comparison: hints for the whole file after every edit.
  const wholeFile = await timeEdits(100, () => ({ start: { line: 0, character: 0 }, end: { line: LINES, character: 0 } }));
  console.log(JSON.stringify({ lines: LINES, edits: EDITS, viewport, wholeFile }));
  conn.dispose();
  server.kill();
}

main().catch((err) => { console.error(err); process.exit(1); });

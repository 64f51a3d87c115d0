// Child process of bench/run.mjs: the bundled language server on huge editor buffers (issue 11, "Depth and size").
// Generates (never commits) a ~7 MB Go file of 40,000 structs and a file over the 8 MiB size cap, opens each in a
// fresh server, and times: didOpen → first inlay hints of a 60-line viewport in the middle; then one-character edits
// each followed by the viewport's hint request; the server's peak RSS (VmHWM). Prints one JSON line.
const fs = require('fs');
const { startServer, percentile } = require('./lspServer');

const EDITS = 60;
const WARMUP = 5;
const VIEWPORT = 60;
const STRUCT_LINES = 12;

/** `count` structs of ten fields of mixed sizes (a padded layout each), STRUCT_LINES lines per struct. */
function generateFile(count) {
  const out = ['package huge', ''];
  for (let i = 0; i < count; i++) {
    out.push(`type Record${i} struct {`, '\tflag bool', '\tidentifier int64', '\tname string', '\tcount int32',
      '\tratio float64', '\tsmall uint8', '\twidth uint16', '\tdescription string', `\tnext *Record${(i + 1) % count}`, '\tlabels []string', '}');
  }
  return out.join('\n') + '\n';
}

function peakRssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function measure(structs) {
  const text = generateFile(structs);
  const { server, conn } = startServer();
  const uri = `file:///tmp/go-arch-lens-bench-huge/huge${structs}.go`;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: {} });
  conn.sendNotification('initialized', {});
  // The viewport: a screenful in the middle of the file, where the edits happen.
  const middle = 2 + STRUCT_LINES * Math.floor(structs / 2);
  const viewport = { start: { line: middle - VIEWPORT / 2, character: 0 }, end: { line: middle + VIEWPORT / 2, character: 0 } };
  const opened = process.hrtime.bigint();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  const first = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
  const firstHintsMs = Number(process.hrtime.bigint() - opened) / 1e6;
  let version = 1;
  const samples = [];
  let hints = 0;
  for (let i = 0; i < EDITS + WARMUP; i++) {
    // Typing then deleting a letter in a field name of one of the structs on screen.
    const line = middle - 20 + STRUCT_LINES * (i % 4) + 2;
    const change = i % 2 === 0
      ? { range: { start: { line, character: 4 }, end: { line, character: 4 } }, text: 'x' }
      : { range: { start: { line, character: 4 }, end: { line, character: 5 } }, text: '' };
    const t0 = process.hrtime.bigint();
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
    const result = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    hints = (result || []).length;
  }
  samples.sort((a, b) => a - b);
  const rss = peakRssMb(server.pid);
  conn.dispose();
  server.kill();
  return {
    structs, mb: Buffer.byteLength(text) / 1e6, firstHintsMs, firstHints: (first || []).length, hints,
    p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples[samples.length - 1], peakRssMb: rss,
  };
}

async function main() {
  const huge = await measure(40000);
  // 9 MB: over the 8 MiB cap, kept as text only; each keystroke should cost next to nothing.
  const overCap = await measure(50000);
  console.log(JSON.stringify({ huge, overCap, loadAverage: require('os').loadavg()[0] }));
}

main().catch((err) => { console.error(err); process.exit(1); });

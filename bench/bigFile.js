// Child process of bench/run.mjs: the bundled language server on huge editor buffers (issue 11, "Depth and size").
// Generates (never commits) a ~7 MB Go file of 40,000 structs and a file over the 8 MiB size cap, opens each in a
// fresh server, and times: didOpen → first inlay hints of a 60-line viewport in the middle; then one-character edits
// each followed by the viewport's hint request; the server's peak RSS (VmHWM). On the 7 MB file it then types a new
// struct on screen a character at a time (no closing bracket added for it, so the text is broken for most of the
// keystrokes), and edits again once the struct is complete. Prints one JSON line.
const fs = require('fs');
const { startServer, percentile } = require('./lspServer');

const EDITS = 60;
const WARMUP = 5;
const VIEWPORT = 60;
const STRUCT_LINES = 12;
/** Keystrokes with a pause before each, long enough for the debounced analyzers to run in between. */
const PAUSED_EDITS = 10;
const PAUSE_MS = 400;

/** `count` structs of ten fields of mixed sizes (a padded layout each), STRUCT_LINES lines per struct. */
function generateFile(count) {
  const out = ['package huge', ''];
  for (let i = 0; i < count; i++) {
    out.push(`type Record${i} struct {`, '\tflag bool', '\tidentifier int64', '\tname string', '\tcount int32',
      '\tratio float64', '\tsmall uint8', '\twidth uint16', '\tdescription string', `\tnext *Record${(i + 1) % count}`, '\tlabels []string', '}');
  }
  return out.join('\n') + '\n';
}

/** The process's CPU time so far (user + system), in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function measure(structs, typeStructs) {
  const text = generateFile(structs);
  const { server, conn } = startServer();
  const uri = `file:///tmp/go-arch-lens-bench-huge/huge${structs}.go`;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: {} });
  conn.sendNotification('initialized', {});
  // The viewport: a screenful in the middle of the file, where the edits happen.
  const middle = 2 + STRUCT_LINES * Math.floor(structs / 2);
  const viewport = { start: { line: middle - VIEWPORT / 2, character: 0 }, end: { line: middle + VIEWPORT / 2, character: 0 } };
  const cpuAtOpen = cpuMs(server.pid);
  const opened = process.hrtime.bigint();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  const first = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
  const firstHintsMs = Number(process.hrtime.bigint() - opened) / 1e6;
  const firstHintsCpuMs = cpuMs(server.pid) - cpuAtOpen;
  let cpuAtEdits = 0;
  let version = 1;
  const samples = [];
  let hints = 0;
  for (let i = 0; i < EDITS + WARMUP; i++) {
    // Typing then deleting a letter in a field name of one of the structs on screen.
    const line = middle - 20 + STRUCT_LINES * (i % 4) + 2;
    const change = i % 2 === 0
      ? { range: { start: { line, character: 4 }, end: { line, character: 4 } }, text: 'x' }
      : { range: { start: { line, character: 4 }, end: { line, character: 5 } }, text: '' };
    if (i === WARMUP) cpuAtEdits = cpuMs(server.pid);
    const t0 = process.hrtime.bigint();
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
    const result = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    hints = (result || []).length;
  }
  const cpuPerEditMs = (cpuMs(server.pid) - cpuAtEdits) / EDITS;
  // Typing with pauses: the analyzers run in the gaps (after ANALYSIS_DELAY_MS), and must not hold up the next key.
  const paused = [];
  for (let i = 0; i < PAUSED_EDITS; i++) {
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const line = middle - 20 + 2;
    const change = i % 2 === 0
      ? { range: { start: { line, character: 4 }, end: { line, character: 4 } }, text: 'y' }
      : { range: { start: { line, character: 4 }, end: { line, character: 5 } }, text: '' };
    const t0 = process.hrtime.bigint();
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
    await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
    paused.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  paused.sort((a, b) => a - b);
  samples.sort((a, b) => a - b);
  const typing = typeStructs ? await typeStruct(conn, server.pid, uri, viewport, middle, () => ++version) : undefined;
  const rss = peakRssMb(server.pid);
  const totalCpuMs = cpuMs(server.pid);
  conn.dispose();
  server.kill();
  return {
    structs, mb: Buffer.byteLength(text) / 1e6, firstHintsMs, firstHints: (first || []).length, hints,
    p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples[samples.length - 1], peakRssMb: rss,
    firstHintsCpuMs, cpuPerEditMs, pausedP50: percentile(paused, 50), pausedMax: paused[paused.length - 1], totalCpuMs, typing,
  };
}

/** A struct as typed into the editor, a character at a time: its closing bracket comes last. */
const TYPED_STRUCT = 'type Typed struct {\n\tflag bool\n\tcount int64\n\tname string\n}\n\n';
/** One-character edits after the typed struct is complete, as the first phase's. */
const EDITS_AFTER = 20;

/**
 * Types TYPED_STRUCT above the struct at `middle` (on screen), each keystroke followed by the viewport's hints; then
 * edits a field name below it. A half-typed struct is a syntax error, which once made the server parse the whole
 * buffer and re-parse it on every later keystroke.
 */
async function typeStruct(conn, pid, uri, viewport, middle, nextVersion) {
  const keystrokes = [];
  let line = middle;
  let character = 0;
  const cpuAtTyping = cpuMs(pid);
  for (const key of TYPED_STRUCT) {
    const t0 = process.hrtime.bigint();
    const change = { range: { start: { line, character }, end: { line, character } }, text: key };
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: nextVersion() }, contentChanges: [change] });
    await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
    keystrokes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (key === '\n') {
      line++;
      character = 0;
    } else character++;
  }
  const typingCpuMs = (cpuMs(pid) - cpuAtTyping) / keystrokes.length;
  const hints = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
  const typedHints = (hints || []).filter((h) => h.position.line >= middle && h.position.line < line).length;
  const after = [];
  const cpuAtAfter = cpuMs(pid);
  for (let i = 0; i < EDITS_AFTER; i++) {
    const fieldLine = line + 2 + STRUCT_LINES * (i % 3);
    const change = i % 2 === 0
      ? { range: { start: { line: fieldLine, character: 4 }, end: { line: fieldLine, character: 4 } }, text: 'z' }
      : { range: { start: { line: fieldLine, character: 4 }, end: { line: fieldLine, character: 5 } }, text: '' };
    const t0 = process.hrtime.bigint();
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: nextVersion() }, contentChanges: [change] });
    await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: viewport });
    after.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const afterCpuMs = (cpuMs(pid) - cpuAtAfter) / EDITS_AFTER;
  keystrokes.sort((a, b) => a - b);
  after.sort((a, b) => a - b);
  return {
    keystrokes: keystrokes.length, p50: percentile(keystrokes, 50), p95: percentile(keystrokes, 95), max: keystrokes[keystrokes.length - 1],
    cpuPerKeystrokeMs: typingCpuMs, typedHints,
    afterP50: percentile(after, 50), afterP95: percentile(after, 95), afterCpuMs,
  };
}

async function main() {
  const huge = await measure(40000, true);
  // 9 MB: over the 8 MiB cap, kept as text only; each keystroke should cost next to nothing.
  const overCap = await measure(50000, false);
  console.log(JSON.stringify({ huge, overCap, loadAverage: require('os').loadavg()[0] }));
}

main().catch((err) => { console.error(err); process.exit(1); });

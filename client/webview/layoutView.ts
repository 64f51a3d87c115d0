// The Memory Layout webview: draws the plan of the model the extension sends, and reports clicks, keys and what it
// rendered back. Runs in the webview's browser context; everything it shows comes from messages (no remote content).
import './layoutView.css';
import type { ReorderGoal } from '../../core/src/analysis/finding';
import type { Control, EpochMs, FromWebview, PageModel, RenderedRow, RenderedSegment, RenderedView, ToWebview } from '../src/layoutView/messages';
import {
  colourClass, drawnSpans, FIELD_COLOURS, GOAL_LABELS, groupBytes, type Cluster, planOf, rowSummary, scaleFor, type PlannedRow, type RenderPlan, type Scale, type Segment,
} from '../src/layoutView/renderPlan';
import { svgOf, type SvgColours } from '../src/layoutView/svgExport';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface ViewState {
  showReorder: boolean;
  showTable: boolean;
}

const vscode = acquireVsCodeApi();
const state: ViewState = { showReorder: false, showTable: false, ...vscode.getState() };
let model: PageModel | undefined;
let plan: RenderPlan | undefined;
let scale: Scale | undefined;
let note = '';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const rowsEl = $('rows');
const tooltip = $('tooltip');
const tableEl = $<HTMLTableElement>('table');

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'show': {
      const receivedAt = epochNow();
      model = JSON.parse(message.modelJson) as PageModel;
      note = message.note ?? '';
      const started = performance.now();
      render();
      const renderMs = performance.now() - started;
      afterPaint((frameAt) => {
        post({ type: 'drawn', token: message.token, receivedAt, renderMs, frameAt, paintedAt: epochNow() });
        scheduleTable();
      });
      break;
    }
    case 'note':
      note = message.note;
      $('note').textContent = note;
      break;
    case 'describe':
      post({ type: 'description', id: message.id, view: describe() });
      break;
    case 'press': {
      const control = document.querySelector<HTMLElement>(`[data-control="${message.control}"]`);
      control?.click();
      post({ type: 'pressed', id: message.id, found: control !== null });
      break;
    }
  }
});

function epochNow(): EpochMs {
  return performance.timeOrigin + performance.now();
}

/**
 * Runs once the browser's main thread has painted the current DOM: a frame callback runs just before the frame's
 * style, layout and paint, and a message posted from it is handled right after them. `frameAt`: when that frame
 * began.
 */
function afterPaint(callback: (frameAt: EpochMs) => void): void {
  requestAnimationFrame(() => {
    const frameAt = epochNow();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      callback(frameAt);
    };
    channel.port2.postMessage(undefined);
  });
}

// ---- drawing ----

function render(): void {
  if (!model) return;
  plan = planOf(model, state.showReorder);
  scale = scaleFor(plan.maxSize, rowsEl.clientWidth - 8);
  $('title').textContent = model.struct.name;
  $('note').textContent = note;
  $('legend').textContent = legendText(scale);
  updateControls();
  drawn = plan.rows.map((row) => drawnSpans(row, scale!.pxPerByte));
  rowsEl.innerHTML = plan.rows.map((row, index) => rowMarkup(row, index, drawn[index], scale!)).join('');
  plan.rows.forEach((row, index) => placeRow(rowsEl.children[index] as HTMLElement, row, drawn[index], scale!));
  const first = rowsEl.querySelector<HTMLElement>('.seg');
  if (first) first.tabIndex = 0;
  tableFor = undefined;
}

/** The plan the table shows; the table is built after the picture is painted (it is as large as the picture). */
let tableFor: RenderPlan | undefined;
let tableTimer: number | undefined;
/**
 * While the table is hidden (read by screen readers only) it is built once draws pause this long: while the cursor
 * runs through structs or the struct is typed in, draws come faster, and on a 200-field struct on 14 targets each
 * table (3,400 cells) costs the page about as much as the picture's own elements. Shown, it follows every draw.
 */
const HIDDEN_TABLE_DELAY_MS = 400;

function scheduleTable(): void {
  clearTimeout(tableTimer);
  tableTimer = window.setTimeout(flushTable, state.showTable ? 0 : HIDDEN_TABLE_DELAY_MS);
}

/** Brings the table up to date with the picture now. */
function flushTable(): void {
  clearTimeout(tableTimer);
  if (!plan || tableFor === plan) return;
  tableFor = plan;
  renderTable(plan);
}

function legendText(s: Scale): string {
  const cell = s.bytesPerCell === 1 ? 'one cell per byte' : `one cell = ${s.bytesPerCell} B`;
  return `${cell}; cells grouped by the target's word; dashed lines: cache-line boundaries; hatched: padding`;
}

function updateControls(): void {
  const reorders = model?.reorders ?? [];
  const toggle = document.querySelector<HTMLInputElement>('[data-control="toggle-reorder"]')!;
  toggle.checked = state.showReorder;
  toggle.disabled = reorders.length === 0;
  const stateEl = $('reorder-state');
  if (reorders.length === 0) stateEl.textContent = 'No field order is smaller or scans fewer pointer bytes on these targets.';
  else stateEl.textContent = `Reordered layouts: ${reorders.map(goalSummary).join('; ')}.`;
  // One Apply button per goal, shown with the reordered rows.
  const buttons = $('apply-buttons');
  buttons.replaceChildren(...(state.showReorder ? reorders.map((r) => applyButton(r.goal, r.title)) : []));
  const tableToggle = document.querySelector<HTMLButtonElement>('[data-control="toggle-table"]')!;
  tableToggle.textContent = state.showTable ? 'Hide table' : 'Show table';
  tableToggle.setAttribute('aria-pressed', String(state.showTable));
  $('table-box').classList.toggle('sr-only', !state.showTable);
}

/** `smallest, then fewest pointer bytes: saves up to 280 B, scans up to 768 B less`, over the targets. */
function goalSummary(reorder: PageModel['reorders'][number]): string {
  let saved = 0;
  let scanned = 0;
  for (const target of model?.targets ?? []) {
    const layout = reorder.layouts[target.target];
    if (!layout || layout.size === null || target.layout.size === null) continue;
    saved = Math.max(saved, target.layout.size - layout.size);
    if (layout.ptrBytes !== null && target.layout.ptrBytes !== null) scanned = Math.max(scanned, target.layout.ptrBytes - layout.ptrBytes);
  }
  const parts = [saved > 0 ? `saves up to ${saved} B` : '', scanned > 0 ? `scans up to ${scanned} B less` : ''].filter(Boolean);
  return `${GOAL_LABELS[reorder.goal]}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function applyButton(goal: ReorderGoal, title: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.dataset.control = `apply-reorder:${goal}`;
  button.textContent = `Apply reorder: ${GOAL_LABELS[goal]}`;
  button.title = title;
  return button;
}

/**
 * Pixel position of byte `bytes` at `s`, on Chromium's layout grid (1/64 px). Each span and cache-line mark is a
 * grid track as wide as the distance between its edges' positions, so the tracks add up exactly: every box starts
 * where its bytes do, however many come before it.
 */
function edgePx(bytes: number, s: Scale): number {
  return Math.round(bytes * s.pxPerByte * 64) / 64;
}

/** What a row draws at the current scale, per row of the plan (clusters are looked up here by their index). */
let drawn: (Segment | Cluster)[][] = [];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/**
 * A row as markup: its label, and a bar of spans laid side by side as the columns of a grid. The whole picture is
 * parsed from one string (one call instead of a dozen per element for some 1,400 elements), and no span is
 * positioned, so the browser keeps no paint layer per span. Geometry is set afterwards (`placeRow`): the page's
 * Content-Security-Policy allows no inline style attributes.
 */
function rowMarkup(row: PlannedRow, index: number, spans: (Segment | Cluster)[], s: Scale): string {
  const summary = escapeHtml(rowSummary(row));
  const goal = row.goal ? ` ${row.goal}` : '';
  const unknown = row.excluded || row.size === null ? ' unknown' : '';
  const marks = row.lineStarts.length === 0 ? ''
    : `<div class="line-marks">${row.lineStarts.map((start) => `<div class="line-mark" data-offset="${start}"></div>`).join('')}</div>`;
  return `<div class="row ${row.kind}${goal}" data-target="${escapeHtml(row.target)}" data-kind="${row.kind}"${row.goal ? ` data-goal="${row.goal}"` : ''} data-row="${index}">`
    + `<div class="label">${summary}</div>`
    + `<div class="bar${unknown}" role="group" aria-label="${summary}" data-group-bytes="${groupBytes(row, s)}">`
    + spans.map((span, i) => (span.kind === 'cluster' ? clusterMarkup(row, span, i) : segmentMarkup(row, span, s))).join('')
    + `<div class="grid"></div>${marks}</div></div>`;
}

/** Sets a row's geometry: the bar's width and grid (span widths), and the cache-line marks' columns after a lead-in of one line. */
function placeRow(el: HTMLElement, row: PlannedRow, spans: (Segment | Cluster)[], s: Scale): void {
  const bar = el.lastElementChild as HTMLElement;
  const extent = row.size ?? (row.segments.length ? row.segments[row.segments.length - 1].offset + row.segments[row.segments.length - 1].size : 0);
  bar.style.width = `${Math.max(edgePx(extent, s), 2)}px`;
  bar.style.setProperty('--cell', `${s.cellWidth}px`);
  bar.style.setProperty('--group', `${groupBytes(row, s) * s.pxPerByte}px`);
  bar.style.gridTemplateColumns = spans.map((span) => `${edgePx(span.offset + span.size, s) - edgePx(span.offset, s)}px`).join(' ');
  if (row.lineStarts.length === 0) return;
  const marks = bar.lastElementChild as HTMLElement;
  marks.style.paddingLeft = `${edgePx(row.lineStarts[0], s)}px`;
  const end = Math.max(extent, row.lineStarts[row.lineStarts.length - 1]);
  marks.style.gridTemplateColumns = row.lineStarts.map((start, i) => `${edgePx(row.lineStarts[i + 1] ?? end, s) - edgePx(start, s)}px`).join(' ');
}

function segmentMarkup(row: PlannedRow, segment: Segment, s: Scale): string {
  const field = segment.kind === 'field';
  const name = field ? model!.struct.fields[segment.fieldIndex!]?.name ?? '?' : 'padding';
  const width = segment.size * s.pxPerByte;
  const label = field && width >= 28 ? (width >= 140 ? `${name} ${typeOf(segment)} @${segment.offset}` : name) : '';
  const classes = `seg ${field ? `field c${colourClass(segment.fieldIndex!)}` : 'padding'}${segment.straddles ? ' straddles' : ''}${segment.size === 0 ? ' zero' : ''}${label ? ' labelled' : ''}`;
  return `<div class="${classes}" data-offset="${segment.offset}" data-size="${segment.size}"${field ? ` data-field="${segment.fieldIndex}"` : ''}`
    + ` tabindex="-1" role="${field ? 'button' : 'note'}" aria-label="${escapeHtml(describeSegment(row, segment, name))}">${escapeHtml(label)}</div>`;
}

/** Neighbours too narrow to draw apart: one element, `data-span` its index among the row's drawn spans. */
function clusterMarkup(row: PlannedRow, cluster: Cluster, index: number): string {
  const fields = cluster.members.filter((m) => m.kind === 'field').map((m) => model!.struct.fields[m.fieldIndex!]?.name ?? '?');
  const names = fields.length > 6 ? `${fields.slice(0, 3).join(', ')} … ${fields[fields.length - 1]}` : fields.join(', ');
  const label = `${fields.length} fields drawn together, offset ${cluster.offset} to ${cluster.offset + cluster.size} on ${row.target}: ${names}`;
  return `<div class="seg cluster${cluster.straddles ? ' straddles' : ''}" data-offset="${cluster.offset}" data-size="${cluster.size}" data-span="${index}"`
    + ` tabindex="-1" role="button" aria-label="${escapeHtml(label)}"></div>`;
}

/** The cluster an element draws, if it is one. */
function clusterOf(seg: Element): Cluster | undefined {
  const index = (seg as HTMLElement).dataset.span;
  const row = Number(seg.closest<HTMLElement>('.row')?.dataset.row);
  const span = index === undefined ? undefined : drawn[row]?.[Number(index)];
  return span?.kind === 'cluster' ? span : undefined;
}

/** The segment a pointer or key means: the element's own, or in a cluster the member holding `byte` (else its first field). */
function segmentAt(seg: Element, byte?: number): Segment | undefined {
  const cluster = clusterOf(seg);
  if (!cluster) {
    const fieldIndex = (seg as HTMLElement).dataset.field;
    return { kind: fieldIndex === undefined ? 'padding' : 'field', fieldIndex: fieldIndex === undefined ? undefined : Number(fieldIndex),
      offset: Number((seg as HTMLElement).dataset.offset), size: Number((seg as HTMLElement).dataset.size), straddles: seg.classList.contains('straddles') };
  }
  const holding = byte === undefined ? undefined : cluster.members.find((m) => byte >= m.offset && byte < m.offset + Math.max(1, m.size));
  return holding ?? cluster.members.find((m) => m.kind === 'field') ?? cluster.members[0];
}

function typeOf(segment: Segment): string {
  return segment.fieldIndex === undefined ? '' : model!.struct.fields[segment.fieldIndex]?.typeText ?? '';
}

function describeSegment(row: PlannedRow, segment: Segment, name: string): string {
  const where = `offset ${segment.offset}, size ${segment.size} B on ${row.target}${row.goal ? ` (reordered: ${GOAL_LABELS[row.goal]})` : ''}`;
  if (segment.kind === 'padding') return `padding, ${where}`;
  return `${name} ${typeOf(segment)}, ${where}${segment.straddles ? `, across a ${row.cacheLine} B cache-line boundary` : ''}`;
}

/**
 * The text table screen readers read (and Show table reveals): one row per field with its offset and size in each
 * row of the picture, then each row's size, padding and cache lines. Per field rather than per byte or per segment,
 * so a 200-field struct on 14 targets stays a table of 200 rows.
 */
function renderTable(p: RenderPlan): void {
  const columns = ['field', 'type', ...p.rows.map((r) => (r.goal ? `${r.target} reordered (${GOAL_LABELS[r.goal]})` : r.target))];
  tableEl.tHead!.innerHTML = `<tr>${columns.map((text) => `<th scope="col">${escapeHtml(text)}</th>`).join('')}</tr>`;
  const byField = p.rows.map((row) => new Map(row.segments.filter((s) => s.kind === 'field').map((s) => [s.fieldIndex!, s])));
  const rows = model!.struct.fields.map((field, index) => `<tr><th scope="row">${escapeHtml(field.name)}</th><td>${escapeHtml(field.typeText)}</td>${byField.map((segments) => {
    const s = segments.get(index);
    return `<td>${s ? `@${s.offset}, ${s.size} B${s.straddles ? ', crosses a cache line' : ''}` : 'unknown'}</td>`;
  }).join('')}</tr>`);
  const totals = `<tr><th scope="row">whole struct</th><td></td>${p.rows.map((row) => `<td>${escapeHtml(rowSummary(row).slice(row.target.length + 2))}</td>`).join('')}</tr>`;
  tableEl.tBodies[0]?.remove();
  // One string for the parser, as the picture: the table has a cell per field and row of the picture.
  tableEl.createTBody().innerHTML = rows.join('') + totals;
  tableEl.caption!.textContent = `Memory layout of ${p.structName}: offset and size of each field per target`;
}

// ---- hover, click, keys ----

function segmentOf(target: EventTarget | null): HTMLElement | undefined {
  return (target instanceof HTMLElement ? target.closest<HTMLElement>('.seg') : null) ?? undefined;
}

function rowPlanOf(seg: HTMLElement): PlannedRow | undefined {
  const index = Number(seg.closest<HTMLElement>('.row')?.dataset.row);
  return plan?.rows[index];
}

function showTooltip(seg: HTMLElement, x: number, y: number, byte?: number): void {
  const row = rowPlanOf(seg);
  const segment = segmentAt(seg, byte);
  if (!row || !segment) return;
  const fieldIndex = segment.fieldIndex;
  const name = fieldIndex === undefined ? 'padding' : model!.struct.fields[fieldIndex]?.name ?? '?';
  const lines = [
    fieldIndex === undefined ? 'padding' : `${name} ${model!.struct.fields[fieldIndex]?.typeText ?? ''}`,
    `offset ${segment.offset}, size ${segment.size} B`,
    `${row.target}${row.goal ? `, reordered (${GOAL_LABELS[row.goal]})` : ''}`,
  ];
  if (byte !== undefined) lines.push(`byte ${byte}`);
  const cluster = clusterOf(seg);
  if (cluster) lines.push(`one of ${cluster.members.length} spans drawn together at this scale`);
  if (segment.straddles) lines.push(`crosses a ${row.cacheLine} B cache-line boundary`);
  tooltip.textContent = lines.join('\n');
  tooltip.hidden = false;
  tooltip.style.left = `${Math.min(x + 12, window.innerWidth - 240)}px`;
  tooltip.style.top = `${y + 16}px`;
}

rowsEl.addEventListener('mousemove', (event) => {
  const seg = segmentOf(event.target);
  if (!seg || !scale) {
    tooltip.hidden = true;
    return;
  }
  showTooltip(seg, event.clientX, event.clientY, byteUnder(seg, event.clientX));
});
rowsEl.addEventListener('mouseleave', () => (tooltip.hidden = true));

rowsEl.addEventListener('click', (event) => {
  const seg = segmentOf(event.target);
  if (seg) activate(seg, byteUnder(seg, event.clientX));
});

/** The byte of `seg` under a pointer at `clientX`. */
function byteUnder(seg: HTMLElement, clientX: number): number | undefined {
  if (!scale) return undefined;
  const size = Number(seg.dataset.size);
  if (size === 0) return undefined;
  const within = Math.floor((clientX - seg.getBoundingClientRect().left) / scale.pxPerByte);
  return Number(seg.dataset.offset) + Math.min(Math.max(0, within), size - 1);
}

function activate(seg: HTMLElement, byte?: number): void {
  const segment = segmentAt(seg, byte);
  if (segment?.fieldIndex !== undefined) post({ type: 'reveal', fieldIndex: segment.fieldIndex });
}

rowsEl.addEventListener('focusin', (event) => {
  const seg = segmentOf(event.target);
  if (!seg) return;
  const box = seg.getBoundingClientRect();
  showTooltip(seg, box.left, box.bottom - 12);
});
rowsEl.addEventListener('focusout', () => (tooltip.hidden = true));

rowsEl.addEventListener('keydown', (event) => {
  const seg = segmentOf(event.target);
  if (!seg) return;
  const next = neighbour(seg, event.key);
  if (next) {
    event.preventDefault();
    moveFocus(seg, next);
  } else if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    activate(seg);
  }
});

/** Arrow keys move along a row (Left/Right, Home/End) and to the same field in the row above or below. */
function neighbour(seg: HTMLElement, key: string): HTMLElement | undefined {
  const rowEl = seg.closest<HTMLElement>('.row')!;
  const inRow = [...rowEl.querySelectorAll<HTMLElement>('.seg')];
  const at = inRow.indexOf(seg);
  switch (key) {
    case 'ArrowRight': return inRow[at + 1];
    case 'ArrowLeft': return inRow[at - 1];
    case 'Home': return inRow[0];
    case 'End': return inRow[inRow.length - 1];
    case 'ArrowDown': case 'ArrowUp': {
      const other = key === 'ArrowDown' ? rowEl.nextElementSibling : rowEl.previousElementSibling;
      if (!(other instanceof HTMLElement)) return undefined;
      const candidates = [...other.querySelectorAll<HTMLElement>('.seg')];
      const same = seg.dataset.field === undefined ? undefined : candidates.find((c) => c.dataset.field === seg.dataset.field);
      return same ?? candidates.find((c) => Number(c.dataset.offset) + Number(c.dataset.size) > Number(seg.dataset.offset)) ?? candidates[candidates.length - 1];
    }
  }
  return undefined;
}

function moveFocus(from: HTMLElement, to: HTMLElement): void {
  from.tabIndex = -1;
  to.tabIndex = 0;
  to.focus();
}

// ---- controls ----

document.addEventListener('click', (event) => {
  const control = (event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('[data-control]') : null)?.dataset.control as Control | undefined;
  if (control?.startsWith('apply-reorder:')) {
    const goal = control.slice('apply-reorder:'.length) as ReorderGoal;
    if (model) post({ type: 'applyReorder', version: model.version, goal });
    return;
  }
  switch (control) {
    case 'export-svg':
      if (plan && scale && model) post({ type: 'exportSvg', svg: svgOf(plan, model.struct.fields.map((f) => f.name), themeColours(), scale.pxPerByte) });
      break;
    case 'toggle-table':
      state.showTable = !state.showTable;
      vscode.setState(state);
      updateControls();
      if (state.showTable) flushTable();
      break;
  }
});

document.querySelector('[data-control="toggle-reorder"]')!.addEventListener('change', (event) => {
  state.showReorder = (event.target as HTMLInputElement).checked;
  vscode.setState(state);
  render();
  scheduleTable();
});

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    render();
    scheduleTable();
  }, 100);
});

/** The theme's colours as values, read from the elements that use them, for a standalone SVG. */
function themeColours(): SvgColours {
  const probe = document.createElement('div');
  probe.className = 'seg field';
  probe.hidden = true;
  document.body.appendChild(probe);
  const fields: string[] = [];
  for (let i = 0; i < FIELD_COLOURS; i++) {
    probe.className = `seg field c${i}`;
    fields.push(getComputedStyle(probe).backgroundColor);
  }
  probe.remove();
  const css = getComputedStyle(document.body);
  const variable = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: variable('--vscode-editor-background', '#ffffff'),
    foreground: variable('--vscode-editor-foreground', '#000000'),
    fields,
    padding: variable('--vscode-editorWidget-border', '#888888'),
    cacheLine: variable('--vscode-charts-red', '#d00000'),
    straddle: variable('--vscode-editorWarning-foreground', '#b08000'),
  };
}

// ---- what is on screen, for the extension's tests ----

function describe(): RenderedView {
  const px = scale?.pxPerByte ?? 1;
  const rows: RenderedRow[] = [...rowsEl.querySelectorAll<HTMLElement>('.row')].map((rowEl) => {
    const bar = rowEl.querySelector<HTMLElement>('.bar')!;
    // Spans are placed inside the bar's border.
    const left = bar.getBoundingClientRect().left + bar.clientLeft;
    const segments: RenderedSegment[] = [...bar.querySelectorAll<HTMLElement>('.seg')].map((seg) => {
      const box = seg.getBoundingClientRect();
      const fieldIndex = seg.dataset.field === undefined ? undefined : Number(seg.dataset.field);
      const cluster = clusterOf(seg);
      if (cluster) {
        const members = cluster.members.map((m) => ({ kind: m.kind, fieldIndex: m.fieldIndex, name: m.fieldIndex === undefined ? undefined : model?.struct.fields[m.fieldIndex]?.name, offset: m.offset, size: m.size, straddles: m.straddles }));
        return { kind: 'cluster', offset: cluster.offset, size: cluster.size, left: box.left - left, width: box.width, straddles: cluster.straddles, members };
      }
      return {
        kind: seg.classList.contains('field') ? 'field' : 'padding',
        ...(fieldIndex === undefined ? {} : { fieldIndex, name: model?.struct.fields[fieldIndex]?.name, colour: [...seg.classList].find((c) => /^c\d+$/.test(c)) }),
        offset: Number(seg.dataset.offset),
        size: Number(seg.dataset.size),
        left: box.left - left,
        width: box.width,
        straddles: seg.classList.contains('straddles'),
      };
    });
    return {
      target: rowEl.dataset.target!,
      kind: rowEl.dataset.kind as RenderedRow['kind'],
      ...(rowEl.dataset.goal ? { goal: rowEl.dataset.goal as ReorderGoal } : {}),
      label: rowEl.querySelector('.label')?.textContent ?? '',
      width: bar.clientWidth,
      groupBytes: Number(bar.dataset.groupBytes),
      segments,
      lineMarks: [...bar.querySelectorAll<HTMLElement>('.line-mark')].map((m) => ({ offset: Number(m.dataset.offset), left: m.getBoundingClientRect().left - left })),
    };
  });
  flushTable();
  const applyGoals = [...document.querySelectorAll<HTMLButtonElement>('[data-control^="apply-reorder:"]')]
    .filter((b) => !b.hidden && !b.disabled).map((b) => b.dataset.control!.slice('apply-reorder:'.length) as ReorderGoal);
  return {
    structName: $('title').textContent ?? '',
    note: $('note').textContent ?? '',
    bytesPerCell: scale?.bytesPerCell ?? 0,
    pxPerByte: px,
    rows,
    tableRows: tableEl.tBodies[0]?.rows.length ?? 0,
    reorderShown: state.showReorder,
    applyGoals,
    focusable: document.querySelectorAll('.seg').length,
  };
}

post({ type: 'ready' });

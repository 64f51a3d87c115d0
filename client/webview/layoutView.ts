// The Memory Layout webview: draws the plan of the model the extension sends, and reports clicks, keys and what it
// rendered back. Runs in the webview's browser context; everything it shows comes from messages (no remote content).
import './layoutView.css';
import type { MemoryLayoutModel } from '../../server/src/layoutViewProtocol';
import type { Control, FromWebview, RenderedRow, RenderedSegment, RenderedView, ToWebview } from '../src/layoutView/messages';
import {
  colourClass, FIELD_COLOURS, groupBytes, planOf, rowSummary, scaleFor, type PlannedRow, type RenderPlan, type Scale, type Segment,
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
let model: MemoryLayoutModel | undefined;
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
    case 'show':
      model = message.model;
      note = message.note ?? '';
      render();
      afterPaint(() => post({ type: 'drawn', token: message.token }));
      break;
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

/** Runs after the browser has painted the current DOM (two frames: the first runs before the paint). */
function afterPaint(callback: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(callback));
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
  const fragment = document.createDocumentFragment();
  plan.rows.forEach((row, index) => fragment.appendChild(rowElement(row, index, scale!)));
  rowsEl.replaceChildren(fragment);
  const first = rowsEl.querySelector<HTMLElement>('.seg');
  if (first) first.tabIndex = 0;
  renderTable(plan);
}

function legendText(s: Scale): string {
  const cell = s.bytesPerCell === 1 ? 'one cell per byte' : `one cell = ${s.bytesPerCell} B`;
  return `${cell}; cells grouped by the target's word; dashed lines: cache-line boundaries; hatched: padding`;
}

function updateControls(): void {
  const toggle = document.querySelector<HTMLInputElement>('[data-control="toggle-reorder"]')!;
  toggle.checked = state.showReorder;
  toggle.disabled = !plan?.reorderAvailable;
  $('reorder-state').textContent = plan?.reorderAvailable ? (model?.reorder?.title ?? '') : 'No field order is smaller on these targets.';
  const apply = document.querySelector<HTMLButtonElement>('[data-control="apply-reorder"]')!;
  apply.hidden = !(state.showReorder && plan?.reorderAvailable);
  const tableToggle = document.querySelector<HTMLButtonElement>('[data-control="toggle-table"]')!;
  tableToggle.textContent = state.showTable ? 'Hide table' : 'Show table';
  tableToggle.setAttribute('aria-pressed', String(state.showTable));
  tableEl.classList.toggle('sr-only', !state.showTable);
}

function rowElement(row: PlannedRow, index: number, s: Scale): HTMLElement {
  const el = document.createElement('div');
  el.className = `row ${row.kind}`;
  el.dataset.target = row.target;
  el.dataset.kind = row.kind;
  el.dataset.row = String(index);
  const label = document.createElement('div');
  label.className = 'label';
  label.textContent = rowSummary(row);
  el.appendChild(label);
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', rowSummary(row));
  const extent = row.size ?? (row.segments.length ? row.segments[row.segments.length - 1].offset + row.segments[row.segments.length - 1].size : 0);
  bar.style.width = `${Math.max(extent * s.pxPerByte, 2)}px`;
  bar.dataset.groupBytes = String(groupBytes(row, s));
  bar.style.setProperty('--cell', `${s.cellWidth}px`);
  bar.style.setProperty('--group', `${groupBytes(row, s) * s.pxPerByte}px`);
  for (const segment of row.segments) bar.appendChild(segmentElement(row, segment, s));
  for (const start of row.lineStarts) {
    const mark = document.createElement('div');
    mark.className = 'line-mark';
    mark.dataset.offset = String(start);
    mark.style.left = `${start * s.pxPerByte}px`;
    mark.title = `cache line ${start / row.cacheLine! + 1} starts at byte ${start} (${row.cacheLine} B lines on ${row.target})`;
    bar.appendChild(mark);
  }
  const grid = document.createElement('div');
  grid.className = 'grid';
  bar.appendChild(grid);
  if (row.excluded || row.size === null) bar.classList.add('unknown');
  el.appendChild(bar);
  return el;
}

function segmentElement(row: PlannedRow, segment: Segment, s: Scale): HTMLElement {
  const el = document.createElement('div');
  const name = segment.kind === 'field' ? model!.struct.fields[segment.fieldIndex!]?.name ?? '?' : 'padding';
  el.className = segment.kind === 'field' ? `seg field c${colourClass(segment.fieldIndex!)}` : 'seg padding';
  if (segment.straddles) el.classList.add('straddles');
  if (segment.size === 0) el.classList.add('zero');
  el.dataset.offset = String(segment.offset);
  el.dataset.size = String(segment.size);
  if (segment.fieldIndex !== undefined) el.dataset.field = String(segment.fieldIndex);
  el.style.left = `${segment.offset * s.pxPerByte}px`;
  el.style.width = `${segment.size * s.pxPerByte}px`;
  el.tabIndex = -1;
  el.setAttribute('role', segment.kind === 'field' ? 'button' : 'note');
  el.setAttribute('aria-label', `${describeSegment(row, segment, name)}`);
  const width = segment.size * s.pxPerByte;
  if (width >= 28) el.textContent = segment.kind === 'field' && width >= 140 ? `${name} ${typeOf(segment)} @${segment.offset}` : segment.kind === 'field' ? name : '';
  return el;
}

function typeOf(segment: Segment): string {
  return segment.fieldIndex === undefined ? '' : model!.struct.fields[segment.fieldIndex]?.typeText ?? '';
}

function describeSegment(row: PlannedRow, segment: Segment, name: string): string {
  const where = `offset ${segment.offset}, size ${segment.size} B on ${row.target}${row.kind === 'reordered' ? ' (reordered)' : ''}`;
  if (segment.kind === 'padding') return `padding, ${where}`;
  return `${name} ${typeOf(segment)}, ${where}${segment.straddles ? `, across a ${row.cacheLine} B cache-line boundary` : ''}`;
}

function renderTable(p: RenderPlan): void {
  const body = document.createElement('tbody');
  for (const row of p.rows) {
    for (const segment of row.segments) {
      const tr = document.createElement('tr');
      const name = segment.kind === 'field' ? model!.struct.fields[segment.fieldIndex!]?.name ?? '?' : '(padding)';
      const target = row.kind === 'reordered' ? `${row.target} (reordered)` : row.target;
      for (const text of [target, name, typeOf(segment), String(segment.offset), `${segment.size} B`, segment.straddles ? 'yes' : 'no']) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    if (row.size === null || row.excluded) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 6;
      td.textContent = rowSummary(row);
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }
  tableEl.tBodies[0]?.remove();
  tableEl.appendChild(body);
  tableEl.caption!.textContent = `Memory layout of ${p.structName}, per target`;
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
  if (!row) return;
  const offset = Number(seg.dataset.offset);
  const size = Number(seg.dataset.size);
  const fieldIndex = seg.dataset.field === undefined ? undefined : Number(seg.dataset.field);
  const name = fieldIndex === undefined ? 'padding' : model!.struct.fields[fieldIndex]?.name ?? '?';
  const lines = [
    fieldIndex === undefined ? 'padding' : `${name} ${model!.struct.fields[fieldIndex]?.typeText ?? ''}`,
    `offset ${offset}, size ${size} B`,
    `${row.target}${row.kind === 'reordered' ? ', reordered' : ''}`,
  ];
  if (byte !== undefined) lines.push(`byte ${byte}`);
  if (seg.classList.contains('straddles')) lines.push(`crosses a ${row.cacheLine} B cache-line boundary`);
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
  const box = seg.getBoundingClientRect();
  const size = Number(seg.dataset.size);
  const within = Math.min(Math.max(0, size - 1), Math.floor((event.clientX - box.left) / scale.pxPerByte));
  showTooltip(seg, event.clientX, event.clientY, size > 0 ? Number(seg.dataset.offset) + within : undefined);
});
rowsEl.addEventListener('mouseleave', () => (tooltip.hidden = true));

rowsEl.addEventListener('click', (event) => {
  const seg = segmentOf(event.target);
  if (seg) activate(seg);
});

function activate(seg: HTMLElement): void {
  if (seg.dataset.field !== undefined) post({ type: 'reveal', fieldIndex: Number(seg.dataset.field) });
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
  switch (control) {
    case 'apply-reorder':
      if (model) post({ type: 'applyReorder', version: model.version });
      break;
    case 'export-svg':
      if (plan && scale && model) post({ type: 'exportSvg', svg: svgOf(plan, model.struct.fields.map((f) => f.name), themeColours(), scale.pxPerByte) });
      break;
    case 'toggle-table':
      state.showTable = !state.showTable;
      vscode.setState(state);
      updateControls();
      break;
  }
});

document.querySelector('[data-control="toggle-reorder"]')!.addEventListener('change', (event) => {
  state.showReorder = (event.target as HTMLInputElement).checked;
  vscode.setState(state);
  render();
});

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(render, 100);
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
    const left = bar.getBoundingClientRect().left;
    const bytes = (pixels: number) => Math.round(pixels / px);
    const segments: RenderedSegment[] = [...bar.querySelectorAll<HTMLElement>('.seg')].map((seg) => {
      const box = seg.getBoundingClientRect();
      const fieldIndex = seg.dataset.field === undefined ? undefined : Number(seg.dataset.field);
      return {
        kind: seg.classList.contains('field') ? 'field' : 'padding',
        ...(fieldIndex === undefined ? {} : { fieldIndex, name: model?.struct.fields[fieldIndex]?.name, colour: [...seg.classList].find((c) => /^c\d+$/.test(c)) }),
        offset: bytes(box.left - left),
        size: bytes(box.width),
        straddles: seg.classList.contains('straddles'),
      };
    });
    return {
      target: rowEl.dataset.target!,
      kind: rowEl.dataset.kind as RenderedRow['kind'],
      label: rowEl.querySelector('.label')?.textContent ?? '',
      width: bytes(bar.getBoundingClientRect().width),
      groupBytes: Number(bar.dataset.groupBytes),
      segments,
      lineMarks: [...bar.querySelectorAll<HTMLElement>('.line-mark')].map((m) => bytes(m.getBoundingClientRect().left - left)),
    };
  });
  const apply = document.querySelector<HTMLButtonElement>('[data-control="apply-reorder"]')!;
  return {
    structName: $('title').textContent ?? '',
    note: $('note').textContent ?? '',
    bytesPerCell: scale?.bytesPerCell ?? 0,
    rows,
    tableRows: tableEl.tBodies[0]?.rows.length ?? 0,
    reorderShown: state.showReorder,
    applyEnabled: !apply.hidden && !apply.disabled,
    focusable: document.querySelectorAll('.seg').length,
  };
}

post({ type: 'ready' });

// What only the screen shows, checked in headless Chromium against a real VS Code (code-server) with the extension
// installed: hint text drawn in the editor, the hover table, the command in the palette, the race CodeLens, and a
// real `go test -race` run filling the Data Races view whose frames open the source. Screenshots go to
// test-artifacts/ (only there: `npm run screenshots` copies the README's pictures into media/). Run by
// scripts/test-all.mjs after `npm run build` and `tsc -p .`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { launchChromium, startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { ensureCodeServer, repoRoot } from '../../scripts/setup-tools.mjs';

const require = createRequire(import.meta.url);
// Compiled by tsc; the same compiler-checked numbers the integration suite uses.
const { ARCHES, SIZES, VIEW_LAYOUTS, distinctSizes, layoutViewFile, shapesFile, workspaceDir } = require('../../out/test/integration/fixtureLayouts.js');

const artifactsDir = path.join(repoRoot, 'test-artifacts');
/** Go's runtime cache-line size per GOARCH of ARCHES, as the hover names it. */
const CACHE_LINE = { amd64: 64, arm64: 128, '386': 64, arm: 32 };
const EDITOR = '.editor-group-container .monaco-editor';
const racyDir = path.join(workspaceDir, 'racy');
const racyFile = path.join(racyDir, 'racy.go');
const racyTestFile = path.join(racyDir, 'racy_test.go');

/** 1-based line of the `// race: <marker>` comment in `file`: the fixture marks the lines the detector reports. */
function markerLine(file, marker) {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.endsWith(`// race: ${marker}`));
  if (index < 0) throw new Error(`no "// race: ${marker}" in ${file}`);
  return index + 1;
}

/** `racy.go:N` as shown in the Data Races view, not matching a longer number (racy.go:1 in racy.go:15). */
const racyAt = (line) => new RegExp(`racy\\.go:${line}(?!\\d)`);

/** The fixture's two races, as the racy.go lines of their two accesses. */
const expectedRaces = [
  { name: 'counter', lines: [markerLine(racyFile, 'counter write'), markerLine(racyFile, 'counter read')] },
  { name: 'hits', lines: [markerLine(racyFile, 'hits record'), markerLine(racyFile, 'hits reset')] },
];

/** Waits until a rendered editor line starting with `start` contains every one of `texts`; returns its text. */
async function waitForLine(page, start, texts, timeout = 30_000) {
  const handle = await page.waitForFunction(
    ({ selector, start, texts }) => {
      const lines = [...document.querySelectorAll(`${selector} .view-line`)].map((l) => l.textContent.replace(/\u00a0/g, ' '));
      return lines.find((line) => line.trimStart().startsWith(start) && texts.every((t) => line.includes(t)));
    },
    { selector: EDITOR, start, texts },
    { timeout },
  );
  return handle.jsonValue();
}

/** Opens the quick input with `text` (`>` for commands) and waits for a row showing `rowText`; Enter picks it. */
async function quickInput(page, text, rowText) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText });
  await row.first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Moves the cursor to a 1-based line of the active editor (Go to Line), which scrolls it into view. */
async function goToLine(page, line) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ({ selector, line }) => document.querySelector(`${selector} .line-numbers.active-line-number`)?.textContent.trim() === String(line),
    { selector: EDITOR, line },
    { timeout: 10_000 },
  );
}

async function runCommand(page, title) {
  await quickInput(page, `>${title}`, title);
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open and waits until its tab is the active one. */
async function openFile(page, file) {
  const name = path.basename(file);
  await quickInput(page, path.relative(workspaceDir, file), name);
  await page.keyboard.press('Enter');
  await page.locator('.editor-group-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

/**
 * The CodeLens texts drawn directly above the rendered line starting with `start` (a CodeLens is a view zone just
 * before its line), or null while the line or its lens is not drawn.
 */
async function codeLensAbove(page, start) {
  return page.evaluate(({ selector, start }) => {
    const editor = document.querySelector(selector);
    if (!editor) return null;
    const line = [...editor.querySelectorAll('.view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').startsWith(start));
    if (!line) return null;
    const lineTop = line.getBoundingClientRect().top;
    const lens = [...editor.querySelectorAll('.codelens-decoration')].find((d) => {
      const box = d.getBoundingClientRect();
      return box.height > 0 && box.top < lineTop && lineTop - box.bottom < line.getBoundingClientRect().height;
    });
    return lens ? [...lens.querySelectorAll('a')].map((a) => a.textContent.trim()) : null;
  }, { selector: EDITOR, start });
}

/** Polls `probe` until it returns a value other than null/undefined; fails with `describe()` on timeout. */
async function pollFor(page, probe, describe, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${describe()} within ${timeout / 1000} s`);
    await page.waitForTimeout(250);
  }
}

/** Drags the sash between the side bar and the editor `pixels` to the right. */
async function widenSideBar(page, pixels) {
  const box = await page.locator('.part.sidebar').boundingBox();
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + pixels, y, { steps: 5 });
  await page.mouse.up();
  // Off the sash (highlighted while hovered) onto the side bar's empty bottom: over the editor it would open a hover.
  await page.mouse.move(box.x + 20, box.y + box.height - 20);
}

async function screenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `ui-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

describe('UI in a real VS Code (code-server + Chromium)', function () {
  this.timeout(60_000);
  let server;
  let browser;
  let page;

  before(async function () {
    this.timeout(10 * 60_000); // the first run installs code-server
    assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'client.js')), 'dist/client.js is missing: run npm run build');
    await ensureCodeServer();
    server = await startCodeServer({ withThisExtension: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(workbenchUrl(server, workspaceDir));
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: path.basename(shapesFile) }).click({ timeout: 30_000 });
    await page.locator(`${EDITOR} .view-line`).first().waitFor({ timeout: 30_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws each struct size as an inlay hint after the struct name', async () => {
    for (const name of ['Mixed', 'Words']) {
      const sizes = distinctSizes(SIZES[name]).map((n) => `${n} B`);
      // The source line has no sizes: any found on it were drawn by the extension's hints.
      const line = await waitForLine(page, `type ${name}`, sizes);
      assert.match(line, new RegExp(`^\\s*type ${name}\\b.*struct \\{`), `unexpected line: ${line}`);
    }
    await screenshot(page, 'inlay-hints');
  });

  it('shows the per-target layout table when hovering a struct name', async () => {
    const name = page.locator(`${EDITOR} .view-line span`, { hasText: /^Mixed$/ }).first();
    await name.hover();
    const table = page.locator('.monaco-hover table').filter({ hasText: 'linux/386' });
    await table.waitFor({ state: 'visible', timeout: 15_000 });
    const rows = await table.locator('tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    // The columns the README's picture shows: each target's own cache lines and what a value costs.
    assert.deepEqual(rows[0], ['target', 'size', 'align', 'padding', 'trailing padding', 'cache lines', 'pointer bytes', 'new(T) on the heap']);
    for (const arch of ARCHES) {
      const row = rows.find((cells) => cells[0] === `linux/${arch}`);
      assert.ok(row, `no row for linux/${arch} in ${JSON.stringify(rows)}`);
      assert.equal(row[1], `${SIZES.Mixed[arch]} B`, `Mixed on linux/${arch}`);
      // internal/cpu.CacheLinePadSize: 128 B on arm64, 32 B on arm, 64 B on amd64 and 386; Mixed fits one line.
      assert.equal(row[5], `1 (${CACHE_LINE[arch]} B lines)`, `cache lines of Mixed on linux/${arch}`);
      assert.equal(row[6], '0 B', `pointer bytes of Mixed (two integers) on linux/${arch}`);
    }
    await page.waitForTimeout(300); // the hover fades in; let the screenshot catch it fully drawn
    // The README's first picture (npm run screenshots copies it to media/screenshot.png): hints and the hover table.
    await screenshot(page, 'hover');
    await page.keyboard.press('Escape');
  });

  it('runs "Go Arch Lens: Show Output" from the command palette', async () => {
    const title = 'Go Arch Lens: Show Output';
    await page.locator(`${EDITOR} .view-lines`).click();
    await quickInput(page, `>${title}`, title);
    await screenshot(page, 'command-palette');
    await page.keyboard.press('Enter');
    // The output panel opens with the extension's channel selected.
    await page.waitForFunction(
      (channel) => [...document.querySelectorAll('.part.panel select')].some((s) => s.selectedOptions[0]?.textContent === channel),
      'Go Arch Lens',
      { timeout: 15_000 },
    );
    await screenshot(page, 'output-channel');
  });

  it('shows the compiler\'s verdict in the status bar; its quick pick shows the targets checked and writes goArchLens.targets', async function () {
    // A fresh machine compiles the standard library for each target first (a cold build cache): minutes on 2 cores.
    this.timeout(10 * 60_000);
    // shapes.go's package builds on the 4 default targets. Nothing is saved: the check that opening shapes.go
    // started (in before()) must reach the status bar, and the Output panel of the previous test still has the
    // focus (VS Code's activeTextEditor is then the output channel), so the item must keep the Go file's verdict.
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.part.panel') !== null), true, 'the Output panel should have the focus');
    const item = page.locator('.statusbar-item', { hasText: '✓ 4/4 targets' });
    await item.waitFor({ state: 'visible', timeout: 240_000 });
    // The struct hover of an earlier test stays in the DOM, hidden, and also names linux/arm64: match visible ones only.
    const tooltip = page.locator('.monaco-hover:visible, .hover-contents:visible').filter({ hasText: 'linux/arm64' });
    // The status bar shows its tooltip after a delay and only for a fresh mouse entry: leave and re-enter until it shows.
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(0, 0);
      await item.hover();
      try {
        await tooltip.first().waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (err) {
        if (attempt === 6) throw err;
      }
    }
    assert.match(await tooltip.first().innerText(), /linux\/386.*builds/s);
    await screenshot(page, 'build-status');
    await item.click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'linux/riscv64' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const checked = await rows.evaluateAll((els) => els.map((el) => [el.textContent.trim(), el.getAttribute('aria-checked')]));
    for (const target of ['linux/amd64', 'linux/arm64', 'linux/386', 'linux/arm']) {
      assert.ok(checked.some(([text, state]) => text.startsWith(target) && state === 'true'), `${target} not checked: ${JSON.stringify(checked)}`);
    }
    assert.ok(checked.some(([text, state]) => text.startsWith('linux/riscv64') && state === 'false'), JSON.stringify(checked));
    await screenshot(page, 'build-targets-pick');
    // Unchecking linux/arm and accepting writes the workspace's goArchLens.targets; the verdict follows.
    const settingsFile = path.join(workspaceDir, '.vscode', 'settings.json');
    try {
      await rows.filter({ hasText: /^linux\/arm$/ }).first().click();
      await page.keyboard.press('Enter');
      await page.locator('.statusbar-item', { hasText: '✓ 3/3 targets' }).waitFor({ state: 'visible', timeout: 120_000 });
      const written = JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['goArchLens.targets'];
      assert.deepEqual(written, ['linux/amd64', 'linux/arm64', 'linux/386']);
    } finally {
      // The fixture folder is the repository's: leave no settings behind.
      fs.rmSync(path.join(workspaceDir, '.vscode'), { recursive: true, force: true });
    }
    await page.locator('.statusbar-item', { hasText: '✓ 4/4 targets' }).waitFor({ state: 'visible', timeout: 120_000 });
  });

  describe('race runs', () => {
    const RUN_PACKAGE_TITLE = 'Go Arch Lens: Run Package Tests with -race';
    const dataRacesPane = () => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Data Races' }) });

    /** Texts of the rendered rows of the Data Races view (label and description). */
    const dataRaceRows = () => dataRacesPane().locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => r.textContent));

    it('draws "run -race" and "debug -race" above the test functions of a _test.go file', async () => {
      await openFile(page, racyTestFile);
      const lines = fs.readFileSync(racyTestFile, 'utf8').split('\n');
      const tests = lines.flatMap((text, i) => (/^func Test\w+\(/.test(text) ? [{ text, line: i + 1 }] : [])).slice(0, 2);
      assert.equal(tests.length, 2, 'the fixture has fewer test functions than expected');
      for (const { text, line } of tests) {
        await goToLine(page, line);
        const start = text.slice(0, text.indexOf('('));
        const lens = await pollFor(page, () => codeLensAbove(page, start), () => `no CodeLens drawn above "${start}"`, 30_000);
        assert.deepEqual(lens, ['run -race', 'debug -race'], `CodeLens above "${start}"`);
      }
      // Only functions get lenses: the import block right above the first test has none.
      await goToLine(page, lines.findIndex((l) => l.startsWith('import (')) + 1);
      assert.equal(await codeLensAbove(page, 'import ('), null, 'a CodeLens above the import block');
      await screenshot(page, 'race-codelens');
    });

    it('runs "Run Package Tests with -race" from the palette and lists each race in the Data Races view', async function () {
      // The first -race build of the fixture compiles the race runtime unless Go's build cache has it.
      this.timeout(300_000);
      await openFile(page, racyTestFile);
      await runCommand(page, RUN_PACKAGE_TITLE);
      const done = page.locator('.notifications-toasts .notification-toast', { hasText: 'data race(s)' });
      await done.waitFor({ state: 'visible', timeout: 240_000 });
      await done.locator('.monaco-button', { hasText: 'Show Data Races' }).click();
      for (const race of expectedRaces) {
        await pollFor(
          page,
          async () => (await dataRaceRows()).find((text) => race.lines.every((n) => racyAt(n).test(text))),
          () => `no Data Races row naming racy.go:${race.lines.join(' and racy.go:')} (the ${race.name} race)`,
          30_000,
        ).catch(async (err) => {
          throw new Error(`${err.message}; rows: ${JSON.stringify(await dataRaceRows())}`);
        });
      }
    });

    it('opens racy.go at the racing line when a frame of the Data Races view is clicked', async () => {
      const [race] = expectedRaces;
      const [line] = race.lines;
      const group = dataRacesPane().locator('.monaco-list-row', { hasText: racyAt(race.lines[0]) })
        .filter({ hasText: racyAt(race.lines[1]) });
      await group.click({ timeout: 15_000 });
      // A frame row (not a stack row, which shows the same location) of the program's own code.
      const frame = dataRacesPane().locator('.monaco-list-row', { has: page.locator('.codicon-debug-stackframe'), hasText: racyAt(line) });
      await frame.first().click({ timeout: 15_000 });
      await page.locator('.editor-group-container .tab.active', { hasText: path.basename(racyFile) }).waitFor({ timeout: 15_000 });
      await page.waitForFunction(
        ({ selector, line }) => document.querySelector(`${selector} .line-numbers.active-line-number`)?.textContent.trim() === String(line),
        { selector: EDITOR, line },
        { timeout: 15_000 },
      );
      const source = fs.readFileSync(racyFile, 'utf8').split('\n')[line - 1].trim();
      await waitForLine(page, source, []);
      await widenSideBar(page, 140); // the README's picture reads better with the race labels untruncated
      await page.waitForTimeout(1000); // notifications slide; let the picture settle
      await screenshot(page, 'race-view'); // the README's picture of race runs (npm run screenshots)
    });
  });
  describe('Memory Layout view', () => {
    const SHOW_TITLE = 'Go Arch Lens: Show Memory Layout';
    /** The view's page: VS Code nests it in an iframe (the webview host) holding another (the page itself). */
    const view = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const sourceLines = () => fs.readFileSync(layoutViewFile, 'utf8').split('\n');
    const lineOf = (text) => sourceLines().findIndex((l) => l.startsWith(text)) + 1;

    /** Offsets of the drawn field cells of one target's row, by field name. */
    const drawnOffsets = (target) => view().locator(`.row.current[data-target="${target}"] .seg.field`).evaluateAll(
      (segs) => Object.fromEntries(segs.map((s) => [s.getAttribute('aria-label').split(' ')[0], Number(s.dataset.offset)])),
    );

    /**
     * Picks a colour theme by its name in Preferences: Color Theme; returns the name of the theme it replaced (the
     * row the picker focuses when it opens).
     */
    async function pickColorTheme(name) {
      // Clicked rather than Enter: the palette may rank "Browse Color Themes in Marketplace" first.
      await quickInput(page, '>Preferences: Color Theme', 'Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) }).first().click();
      const focused = page.locator('.quick-input-list .monaco-list-row.focused .label-name');
      await focused.waitFor({ state: 'visible', timeout: 10_000 });
      const previous = (await focused.textContent()).trim();
      await page.locator('.quick-input-widget input').fill(name);
      // The theme's row, not "Browse Additional Color Themes…" nor a longer name ("Default High Contrast Light").
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name })
        .filter({ hasNotText: 'Browse Additional' }).filter({ hasNotText: `${name} Light` });
      await row.first().waitFor({ state: 'visible', timeout: 10_000 });
      await row.first().click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
      return previous;
    }

    /** Switches between the preferred light and dark themes (VS Code's own command). */
    async function toggleTheme() {
      await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    }

    /** Go to Line, waiting for the picker to offer the line before Enter and to close after it. */
    async function cursorToLine(line) {
      // The editor, not the view, has focus: a click inside the editor's own box (its lines may be scrolled away).
      await page.locator(EDITOR).first().click({ position: { x: 120, y: 10 } });
      await quickInput(page, `:${line}`, `line ${line}`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
      await page.locator('.statusbar-item', { hasText: new RegExp(`^Ln ${line}, Col`) }).waitFor({ timeout: 10_000 });
    }

    const viewBackground = () => view().locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);

    it('opens beside the editor from the palette and draws each target\'s fields at the compiler\'s offsets', async () => {
      await openFile(page, layoutViewFile);
      await cursorToLine(lineOf('\tcount int64'));
      await runCommand(page, SHOW_TITLE);
      await view().locator('.row.current').nth(ARCHES.length - 1).waitFor({ timeout: 30_000 });
      for (const arch of ARCHES) {
        assert.deepEqual(await drawnOffsets(`linux/${arch}`), VIEW_LAYOUTS.Loose[arch].offsets, `Loose on linux/${arch}`);
      }
      // The screen-reader table follows by itself once draws pause (nothing here asks for it): a row per field and the
      // totals, a column per target after the field's name and type.
      const fields = Object.keys(VIEW_LAYOUTS.Loose[ARCHES[0]].offsets).length;
      await pollFor(page, async () => ((await view().locator('#table tbody tr').count()) === fields + 1 ? true : null),
        () => `the hidden table did not get ${fields + 1} rows`, 15_000);
      assert.equal(await view().locator('#table thead th').count(), 2 + ARCHES.length, 'a table column per target');
      // The layout is beside the editor: both visible at once.
      await page.locator(`${EDITOR} .view-line`).first().waitFor({ state: 'visible' });
    });

    it('shows field, offset and size when a cell is hovered', async () => {
      await view().locator('.row[data-target="linux/amd64"] .seg.field[data-field="1"]').hover();
      const tooltip = view().locator('#tooltip');
      await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
      const text = await tooltip.textContent();
      assert.match(text, /count int64/);
      assert.match(text, new RegExp(`offset ${VIEW_LAYOUTS.Loose.amd64.offsets.count}, size 8 B`));
    });

    it('moves between fields and targets with the arrow keys', async () => {
      await view().locator('.row[data-target="linux/amd64"] .seg.field[data-field="0"]').focus();
      const focused = () => view().locator(':focus').evaluate((el) => [el.closest('.row').dataset.target, el.getAttribute('aria-label')]);
      await page.keyboard.press('ArrowRight');
      assert.match((await focused())[1], /^padding, offset 1, size 7 B on linux\/amd64/);
      await page.keyboard.press('ArrowRight');
      assert.match((await focused())[1], /^count int64, offset 8/);
      await page.keyboard.press('ArrowDown');
      assert.deepEqual((await focused())[0], 'linux/arm64');
      assert.match((await focused())[1], /^count int64/);
    });

    it('jumps to the field in the editor when its cell is clicked', async () => {
      await view().locator('.row[data-target="linux/386"] .seg.field[data-field="2"]').click();
      const line = lineOf('\ttag ');
      await page.waitForFunction(
        ({ selector, line }) => document.querySelector(`${selector} .line-numbers.active-line-number`)?.textContent.trim() === String(line),
        { selector: EDITOR, line },
        { timeout: 15_000 },
      );
    });

    it('is drawn in the light, the dark and the high-contrast theme (screenshots)', async () => {
      await cursorToLine(lineOf('\tcount int64'));
      await view().locator('[data-control="toggle-reorder"]').check();
      await view().locator('.row.reordered').first().waitFor({ timeout: 15_000 });
      await page.locator(`${EDITOR} .view-lines`).hover({ position: { x: 5, y: 5 } }); // no tooltip in the picture
      const light = await viewBackground();
      await screenshot(page, 'layout-view-light');
      await toggleTheme();
      await pollFor(page, async () => ((await viewBackground()) !== light ? true : null), () => `the view kept ${light} after the theme changed`, 15_000);
      await cursorToLine(lineOf('\ttail '));
      // Lines on linux/arm: 72 B over 32 B lines, so boundaries at 32 and 64.
      await view().locator('.row.current[data-target="linux/arm"] .line-mark').nth(1).waitFor({ timeout: 15_000 });
      await screenshot(page, 'layout-view-dark'); // the README's picture of the view (npm run screenshots)
      await toggleTheme();
      // High contrast (VS Code's "Default High Contrast"): the page gets VS Code's high-contrast body class and
      // outlines every field; shown on Scanned, whose two reorder goals are drawn under each target.
      const before = await viewBackground();
      const previousTheme = await pickColorTheme('Default High Contrast');
      let failure;
      try {
        await pollFor(page, async () => ((await viewBackground()) !== before ? true : null), () => 'the view kept its colours in high contrast', 15_000);
        await cursorToLine(lineOf('\tlabel string'));
        await view().locator('.row.reordered.smallest-then-pointers').first().waitFor({ timeout: 15_000 });
        assert.ok(await view().locator('body.vscode-high-contrast').count() === 1, 'no high-contrast class on the page');
        const outline = await view().locator('.row.current .seg.field').first().evaluate((el) => getComputedStyle(el).borderTopWidth);
        assert.equal(outline, '1px', 'fields are not outlined in high contrast');
        await page.mouse.move(150, 400); // over the side bar: no tooltip or hover in the picture
        await screenshot(page, 'layout-view-high-contrast');
      } catch (err) {
        failure = err;
      }
      await pickColorTheme(previousTheme);
      if (failure) throw failure;
      await cursorToLine(lineOf('\ttail '));
      await pollFor(page, async () => ((await view().locator('#title').textContent()) === 'Lines' ? true : null), () => 'the view did not return to Lines', 15_000);
    });

    it('opens from the "Show memory layout" link of a struct\'s hover', async () => {
      assert.equal(await view().locator('#title').textContent(), 'Lines', 'the view should show Lines before the link is used');
      // Earlier tests leave the editor scrolled and may leave a hover open over the first lines: close it and
      // scroll to the top (the wheel, not the cursor, which the view would follow) so Loose can be hovered.
      await page.keyboard.press('Escape');
      await page.locator(`${EDITOR} .view-lines`).hover({ position: { x: 200, y: 150 } });
      await page.mouse.wheel(0, -2000);
      await page.keyboard.press('Escape');
      await page.locator(`${EDITOR} .view-line span`, { hasText: /^Loose$/ }).first().hover();
      const link = page.locator('.monaco-hover a', { hasText: 'Show memory layout' });
      await link.waitFor({ state: 'visible', timeout: 15_000 });
      await link.click();
      await pollFor(page, async () => ((await view().locator('#title').textContent()) === 'Loose' ? true : null), () => 'the view did not switch to Loose', 15_000);
    });
  });
});

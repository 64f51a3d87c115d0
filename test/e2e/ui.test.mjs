// What only the screen shows, checked in headless Chromium against a real VS Code (code-server) with the extension
// installed: hint text drawn in the editor, the hover table, the command in the palette. Screenshots go to
// test-artifacts/. Run by scripts/test-all.mjs after `npm run build` and `tsc -p .`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { launchChromium, startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { ensureCodeServer, repoRoot } from '../../scripts/setup-tools.mjs';

const require = createRequire(import.meta.url);
// Compiled by tsc; the same compiler-checked numbers the integration suite uses.
const { ARCHES, SIZES, distinctSizes, shapesFile, workspaceDir } = require('../../out/test/integration/fixtureLayouts.js');

const artifactsDir = path.join(repoRoot, 'test-artifacts');
const EDITOR = '.editor-group-container .monaco-editor';

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
    for (const arch of ARCHES) {
      const row = rows.find((cells) => cells[0] === `linux/${arch}`);
      assert.ok(row, `no row for linux/${arch} in ${JSON.stringify(rows)}`);
      assert.equal(row[1], `${SIZES.Mixed[arch]} B`, `Mixed on linux/${arch}`);
    }
    await page.waitForTimeout(300); // the hover fades in; let the screenshot catch it fully drawn
    const shot = await screenshot(page, 'hover');
    // The README's picture: hints and the hover table together.
    fs.copyFileSync(shot, path.join(artifactsDir, 'screenshot.png'));
    await page.keyboard.press('Escape');
  });

  it('runs "Go Arch Lens: Show Output" from the command palette', async () => {
    const title = 'Go Arch Lens: Show Output';
    await page.locator(`${EDITOR} .view-lines`).click();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title });
    await row.first().waitFor({ state: 'visible', timeout: 10_000 });
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
});

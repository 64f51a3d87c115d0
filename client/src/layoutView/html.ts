import { randomBytes } from 'crypto';

/** What the page needs from the webview: its resource URIs and CSP source (`vscode.Webview` provides them). */
export interface PageResources {
  scriptUri: string;
  styleUri: string;
  /** The webview's `cspSource`: the only origin scripts and styles may come from. */
  cspSource: string;
}

/**
 * The Memory Layout page. The Content-Security-Policy allows nothing by default: the one script only with this
 * page's nonce, styles only from the extension's own files, no remote content of any kind.
 */
export function layoutViewHtml(resources: PageResources, nonce = randomBytes(16).toString('base64')): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${resources.cspSource}`,
    `img-src ${resources.cspSource}`,
    `font-src ${resources.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resources.styleUri}">
<title>Memory Layout</title>
</head>
<body>
<header>
  <h1 id="title">Memory Layout</h1>
  <p id="note" aria-live="polite">Put the cursor in a Go struct.</p>
  <div class="toolbar">
    <label><input type="checkbox" data-control="toggle-reorder" disabled> Show reordered layouts</label>
    <span id="apply-buttons" class="toolbar"></span>
    <button class="secondary" data-control="export-svg">Export SVG…</button>
    <button class="secondary" data-control="toggle-table" aria-pressed="false">Show table</button>
  </div>
  <div id="reorder-state"></div>
  <p id="legend"></p>
</header>
<main>
  <div id="rows" aria-label="Struct layout per target; arrow keys move between fields and targets, Enter jumps to the field"></div>
  <div id="tooltip" role="tooltip" hidden></div>
  <div id="table-box" class="sr-only">
    <table id="table">
      <caption>Memory layout</caption>
      <thead></thead>
    </table>
  </div>
</main>
<script nonce="${nonce}" src="${resources.scriptUri}"></script>
</body>
</html>`;
}

// The Memory Layout picture as a standalone SVG: the same plan the webview draws, with the theme's colours resolved
// to values (an exported file has no VS Code CSS variables to read).
import { rowSummary, type RenderPlan } from './renderPlan';

export interface SvgColours {
  background: string;
  foreground: string;
  /** Indexed by colour class (`colourClass`). */
  fields: string[];
  padding: string;
  cacheLine: string;
  straddle: string;
}

const LABEL_WIDTH = 360;
const ROW_HEIGHT = 26;
const ROW_GAP = 22;
const MARGIN = 12;

export function svgOf(plan: RenderPlan, fieldNames: string[], colours: SvgColours, pxPerByte: number): string {
  const barWidth = Math.max(1, plan.maxSize * pxPerByte);
  const width = Math.ceil(MARGIN * 2 + LABEL_WIDTH + barWidth);
  const height = MARGIN * 2 + 24 + plan.rows.length * (ROW_HEIGHT + ROW_GAP);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>Memory layout of ${escapeXml(plan.structName)}</title>`,
    '<defs><pattern id="pad" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
    `<rect width="6" height="6" fill="${colours.background}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${colours.padding}" stroke-width="2"/></pattern></defs>`,
    `<rect width="100%" height="100%" fill="${colours.background}"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 12}" fill="${colours.foreground}" font-size="13" font-weight="bold">${escapeXml(plan.structName)}</text>`,
  ];
  plan.rows.forEach((row, r) => {
    const y = MARGIN + 24 + r * (ROW_HEIGHT + ROW_GAP);
    const x0 = MARGIN + LABEL_WIDTH;
    out.push(`<text x="${MARGIN}" y="${y + 17}" fill="${colours.foreground}">${escapeXml(rowSummary(row))}</text>`);
    for (const segment of row.segments) {
      const x = x0 + segment.offset * pxPerByte;
      const w = Math.max(segment.size * pxPerByte, segment.size === 0 ? 2 : 1);
      if (segment.kind === 'padding') {
        out.push(`<rect x="${x}" y="${y}" width="${w}" height="${ROW_HEIGHT}" fill="url(#pad)"><title>padding @${segment.offset}, ${segment.size} B</title></rect>`);
        continue;
      }
      const index = segment.fieldIndex ?? 0;
      const name = fieldNames[index] ?? '?';
      const fill = colours.fields[index % colours.fields.length];
      const stroke = segment.straddles ? ` stroke="${colours.straddle}" stroke-width="2"` : ` stroke="${colours.background}"`;
      out.push(`<rect x="${x}" y="${y}" width="${w}" height="${ROW_HEIGHT}" fill="${fill}"${stroke}><title>${escapeXml(name)} @${segment.offset}, ${segment.size} B</title></rect>`);
      if (w >= name.length * 7 + 4) out.push(`<text x="${x + 3}" y="${y + 17}" fill="${colours.foreground}">${escapeXml(name)}</text>`);
    }
    for (const start of row.lineStarts) {
      const x = x0 + start * pxPerByte;
      out.push(`<line x1="${x}" y1="${y - 4}" x2="${x}" y2="${y + ROW_HEIGHT + 4}" stroke="${colours.cacheLine}" stroke-width="2" stroke-dasharray="4 2"/>`);
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

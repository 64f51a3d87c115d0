import type { Command, Position } from 'vscode-languageserver/node';

/** The client's command that opens the Memory Layout view; arguments: a document URI and a position in it. */
export const SHOW_MEMORY_LAYOUT = 'goArchLens.showMemoryLayout';

export function showMemoryLayoutCommand(uri: string, position: Position): Command {
  return { title: 'Show Memory Layout', command: SHOW_MEMORY_LAYOUT, arguments: [uri, position] };
}

/** A markdown command link to the view (the client trusts this one command in hovers). */
export function showMemoryLayoutLink(uri: string, position: Position): string {
  const args = encodeURIComponent(JSON.stringify([uri, position]));
  return `[Show memory layout](command:${SHOW_MEMORY_LAYOUT}?${args} "Open the Memory Layout view for this struct")`;
}

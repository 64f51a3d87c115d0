// Reads the go command's error texts (`# pkg` headers, `file:line:col: message` lines, tab-indented continuation
// lines) into positioned errors. Paths are resolved against the folder the go command ran in.
import * as path from 'path';

/** One error the compiler (or the go command) reported at a position. Line and column are 1-based; column in bytes. */
export interface PositionedError {
  file: string;
  line: number;
  column: number;
  message: string;
}

const POSITIONED = /^(.+?\.(?:go|s|mod)):(\d+)(?::(\d+))?: (.*)$/;

/** What a text of errors holds: positioned errors, and lines that name no position (kept for the message). */
export interface ParsedErrors {
  errors: PositionedError[];
  unpositioned: string[];
}

export function parseErrorText(text: string, cwd: string): ParsedErrors {
  const errors: PositionedError[] = [];
  const unpositioned: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('# ')) continue;
    if (line.startsWith('\t') && errors.length > 0) {
      // `have (…)` / `want (…)` and the like continue the error above.
      errors[errors.length - 1].message += `\n${line.trim()}`;
      continue;
    }
    const m = POSITIONED.exec(line);
    if (m) {
      errors.push({ file: path.resolve(cwd, m[1]), line: Number(m[2]), column: m[3] ? Number(m[3]) : 0, message: m[4] });
    } else if (line.trim() !== 'too many errors') {
      unpositioned.push(line.trim());
    }
  }
  return { errors, unpositioned };
}

/** `file.go:3:8` (a go list `Pos`) as a position, resolved against `cwd`. */
export function parsePos(pos: string, cwd: string): { file: string; line: number; column: number } | undefined {
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(pos);
  if (!m) return undefined;
  return { file: path.resolve(cwd, m[1]), line: Number(m[2]), column: m[3] ? Number(m[3]) : 0 };
}

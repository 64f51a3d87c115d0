import { GoParser } from '../../core/src/parse/goParser';

/**
 * Counts the whole-text parses (GoParser.reparse, which every parse of a whole file or buffer goes through) until
 * restored; parses of chosen declarations (parseRanges) are not counted.
 */
export function parseCounter(): { count: number; restore: () => void } {
  const original = GoParser.prototype.reparse;
  const counter = {
    count: 0,
    restore: () => { GoParser.prototype.reparse = original; },
  };
  GoParser.prototype.reparse = function (...args) {
    counter.count++;
    return original.apply(this, args);
  };
  return counter;
}

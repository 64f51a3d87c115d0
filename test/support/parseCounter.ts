import { GoParser } from '../../core/src/parse/goParser';

/**
 * Counts the whole-text parses (GoParser.reparse, which every parse of a whole file or buffer goes through) of texts
 * at least `minLength` long until restored; parses of chosen declarations (parseRanges) are not counted.
 */
export function parseCounter(minLength = 0): { count: number; restore: () => void } {
  const original = GoParser.prototype.reparse;
  const counter = {
    count: 0,
    restore: () => { GoParser.prototype.reparse = original; },
  };
  GoParser.prototype.reparse = function (...args) {
    if (args[0].length >= minLength) counter.count++;
    return original.apply(this, args);
  };
  return counter;
}

import type { Analyzer } from './pass';
import { archSizes } from './analyzers/archSizes';
import { constOverflow } from './analyzers/constOverflow';
import { atomicAlign } from './analyzers/atomicAlign';
import { cacheLinePad } from './analyzers/cacheLinePad';
import { fieldOrder } from './analyzers/fieldOrder';
import { fieldTypesAnalyzer } from './analyzers/fieldTypes';
import { syscallNames } from './analyzers/syscallNames';
import { syscallNumbers } from './analyzers/syscallNumbers';

/** Every analyzer, in rule-id order (GAL1001…GAL1008), which is the order findings are listed. */
export const ALL_ANALYZERS: Analyzer[] = [syscallNumbers, syscallNames, archSizes, atomicAlign, fieldTypesAnalyzer, fieldOrder, cacheLinePad, constOverflow];

/** Analyzers that report suggestions rather than problems: on only when asked for. */
export const SUGGESTION_ANALYZERS = new Set(['fieldorder']);

export const DEFAULT_ANALYZERS = ALL_ANALYZERS.filter((a) => !SUGGESTION_ANALYZERS.has(a.name));

export function analyzersNamed(names: string[]): Analyzer[] | string {
  const unknown = names.filter((n) => !ALL_ANALYZERS.some((a) => a.name === n));
  if (unknown.length > 0) return `unknown analyzer(s) ${unknown.join(', ')}; known: ${ALL_ANALYZERS.map((a) => a.name).join(', ')}`;
  return ALL_ANALYZERS.filter((a) => names.includes(a.name));
}

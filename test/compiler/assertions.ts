// Turns the engine's layouts into Go compile-time assertions, builds them with the real toolchain for a target,
// and maps every compiler error back to the struct, field and number it refutes.
//
// An assertion is `var _ = [1]struct{}{}[unsafe.Offsetof(v.f)-N]`: if the real value is larger the index is
// out of range ("index D out of bounds", real = N + D); if smaller the constant is negative ("constant -D …
// overflows", real = N - D). Only the exact value compiles, and the error tells the real one.

import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Position, StructInfo, StructLayout, Target } from '../../core/src/api';
import type { Corpus, CorpusPackage } from './corpus';

export type Quantity = 'size' | 'align' | 'offset' | 'field size' | 'field align' | 'declared';

/** One number the engine claims, at the source line that asserts it. */
export interface Claim {
  target: string;
  /** `pkg.Type` or `pkg.Type.field`. */
  subject: string;
  quantity: Quantity;
  engine: number | null;
  /** Where the struct is declared, and the field's type text, for reproducing a mismatch. */
  declaredAt: string;
  typeText?: string;
}

/** A struct as the engine reported it, with the facts the planner needs. */
export interface ReportedStruct {
  pkg: CorpusPackage;
  info: StructInfo;
  /** Declared inside a function: asserted in place against want_ constants. */
  local: boolean;
}

export interface AssertionPlan {
  target: Target;
  /** Files to write before building: assertion files and want_ constant files. */
  files: Map<string, string>;
  /** Keyed by `absolute file:line`. */
  claims: Map<string, Claim>;
}

export function targetKey(t: Target): string {
  return `${t.goos}/${t.goarch}`;
}

/** File name whose _GOOS_GOARCH suffix makes the go command build it for exactly this target. */
export function checkFileName(t: Target): string {
  return `zz_layout_check_${t.goos}_${t.goarch}.go`;
}

const ASSERT = (expr: string, value: number | string) => `var _ = [1]struct{}{}[${expr}-${value}]`;

/** Plans the assertions of every reported struct for one target. */
export function planAssertions(corpus: Corpus, structs: ReportedStruct[], target: Target): AssertionPlan {
  const key = targetKey(target);
  const plan: AssertionPlan = { target, files: new Map(), claims: new Map() };
  const writers = new Map<string, CheckFileWriter>();
  const writerFor = (dir: string): CheckFileWriter => {
    let w = writers.get(dir);
    if (!w) {
      const pkg = corpus.packages.find((p) => p.dir === dir)!;
      w = new CheckFileWriter(path.join(dir, checkFileName(target)), pkg.name);
      writers.set(dir, w);
    }
    return w;
  };
  const localWants = new Map<string, { value: number | null; claim: Claim }>();

  structs.forEach(({ pkg, info, local }, index) => {
    const layout = info.layouts[key];
    if (!layout || layout.excluded || info.generic) return;
    const subject = `${pkg.name}.${info.name}`;
    const declaredAt = `${path.relative(corpus.root, info.file)}:${info.nameRange.start.line + 1}`;
    if (local) {
      collectLocalWants(localWants, info, layout, { target: key, subject, declaredAt });
      return;
    }
    // A struct the engine could not lay out has nothing to assert (the "without an unknown" test reports it).
    if (layout.size === null) return;
    const w = writerFor(pkg.assertIn);
    const typeName = pkg.qualifier ? `${pkg.qualifier}.${info.name}` : info.name;
    if (pkg.qualifier) w.imports.add(pkg.importPath);
    const v = `chk${index}`;
    const claim = (quantity: Quantity, engine: number | null, field?: { name: string; typeText: string }): Claim => ({
      target: key, subject: field ? `${subject}.${field.name}` : subject, quantity, engine, declaredAt, typeText: field?.typeText,
    });
    w.line(`var ${v} ${typeName}`, claim('declared', null));
    w.line(ASSERT(`unsafe.Sizeof(${v})`, layout.size), claim('size', layout.size));
    w.line(ASSERT(`unsafe.Alignof(${v})`, layout.align!), claim('align', layout.align));
    // An alias or defined type of another package's struct cannot name that struct's unexported fields.
    const foreign = info.form !== undefined && info.form.of.includes('.');
    layout.fields.forEach((f, i) => {
      if (f.name === '_' || f.offset === null || (foreign && !/^\p{Lu}/u.test(f.name))) return;
      const field = { name: f.name, typeText: info.fields[i]?.typeText ?? '?' };
      w.line(ASSERT(`unsafe.Offsetof(${v}.${f.name})`, f.offset), claim('offset', f.offset, field));
      w.line(ASSERT(`unsafe.Sizeof(${v}.${f.name})`, f.size!), claim('field size', f.size, field));
      w.line(ASSERT(`unsafe.Alignof(${v}.${f.name})`, f.align!), claim('field align', f.align, field));
    });
  });

  addLocalAssertions(corpus, structs, localWants, writerFor, plan);
  for (const w of writers.values()) {
    plan.files.set(w.file, w.render());
    for (const [line, claim] of w.claims) plan.claims.set(`${w.file}:${line}`, claim);
  }
  return plan;
}

function collectLocalWants(into: Map<string, { value: number | null; claim: Claim }>, info: StructInfo, layout: StructLayout,
  base: { target: string; subject: string; declaredAt: string }): void {
  const want = (name: string, quantity: Quantity, value: number | null, field?: string, typeText?: string): void => {
    into.set(name, { value, claim: { ...base, subject: field ? `${base.subject}.${field}` : base.subject, quantity, engine: value, typeText } });
  };
  want(`want_${info.name}__size`, 'size', layout.size);
  want(`want_${info.name}__align`, 'align', layout.align);
  layout.fields.forEach((f, i) => {
    if (f.name === '_') return;
    const typeText = info.fields[i]?.typeText;
    want(`want_${info.name}__${f.name}__off`, 'offset', f.offset, f.name, typeText);
    want(`want_${info.name}__${f.name}__size`, 'field size', f.size, f.name, typeText);
    want(`want_${info.name}__${f.name}__align`, 'field align', f.align, f.name, typeText);
  });
}

const WANT_REF = /\bwant_\w+?__(?:size|align|off)\b/g;

/**
 * Local structs are asserted by lines in their own function; this defines the want_ constants those lines use
 * (an unknown engine value is left undefined, so its lines fail) and maps the lines to claims.
 */
function addLocalAssertions(corpus: Corpus, structs: ReportedStruct[], wants: Map<string, { value: number | null; claim: Claim }>,
  writerFor: (dir: string) => CheckFileWriter, plan: AssertionPlan): void {
  for (const pkg of corpus.packages) {
    const locals = structs.filter((s) => s.local && s.pkg === pkg);
    if (!locals.length) continue;
    const w = writerFor(pkg.dir);
    // Local types of one name in different blocks (shadowing) share their want_ constants: define them once.
    const defined = new Set<string>();
    for (const s of locals) {
      for (const [name, { value }] of wants) {
        if (name.startsWith(`want_${s.info.name}__`) && value !== null && !defined.has(name)) {
          defined.add(name);
          w.constant(name, value);
        }
      }
    }
    for (const file of new Set(locals.map((s) => s.info.file))) {
      fs.readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
        const ref = text.match(WANT_REF)?.[0];
        const want = ref && wants.get(ref);
        if (want) plan.claims.set(`${file}:${i + 1}`, want.claim);
      });
    }
  }
}

/** Accumulates one package's assertion file, remembering which line asserts what. */
class CheckFileWriter {
  readonly imports = new Set<string>(['unsafe']);
  readonly claims = new Map<number, Claim>();
  private readonly body: string[] = [];
  private readonly constants: string[] = [];

  constructor(readonly file: string, private readonly packageName: string) {}

  line(text: string, claim: Claim): void {
    this.body.push(text);
    this.claims.set(this.body.length, claim); // renumbered in render()
  }

  constant(name: string, value: number): void {
    this.constants.push(`const ${name} = ${value}`);
  }

  render(): string {
    const head = [
      '// Code generated by test/compiler for the layout check; DO NOT EDIT.',
      '',
      `package ${this.packageName}`,
      '',
      'import (',
      ...[...this.imports].sort().map((i) => `\t"${i}"`),
      ')',
      '',
      'var _ unsafe.Pointer',
      '',
      ...this.constants,
      '',
    ];
    const renumbered = new Map<number, Claim>();
    for (const [n, claim] of this.claims) renumbered.set(head.length + n, claim);
    this.claims.clear();
    for (const [n, claim] of renumbered) this.claims.set(n, claim);
    return [...head, ...this.body, ''].join('\n');
  }
}

export interface BuildResult {
  target: string;
  ms: number;
  assertions: number;
  /** Claims the compiler refuted, with its own value. */
  mismatches: { claim: Claim; compiler: number | null; message: string }[];
  /** Errors that do not belong to any claim (a broken corpus, or a type the compiler lacks). */
  unexpected: string[];
}

/** The go command's environment for a target: no cgo (cross builds), no workspace or flags from the user. */
export function goEnv(t: Target): NodeJS.ProcessEnv {
  return { ...process.env, GOOS: t.goos, GOARCH: t.goarch, CGO_ENABLED: '0', GOFLAGS: '', GOWORK: 'off' };
}

export function runGo(args: string[], cwd: string, t: Target): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('go', args, { cwd, env: goEnv(t), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && !stderr ? String(err.message) : '') });
    });
  });
}

const ERROR_LINE = /^(.+?\.go):(\d+):(\d+): (.*)$/;
const TOO_BIG = /index (\d+) out of bounds/;
const TOO_SMALL = /\(constant (-\d+) of type \w+\) overflows/;

/** Builds the whole corpus for the plan's target (the plan's files must be written) and judges every claim. */
export async function buildAndJudge(root: string, plan: AssertionPlan): Promise<BuildResult> {
  const start = Date.now();
  // -e: report every error, not the first ten. -N -l: skip optimisation, which cannot change a layout and
  // makes a successful build of the corpus about a third faster.
  const { code, stderr } = await runGo(['build', '-gcflags=-e -N -l', './...'], root, plan.target);
  const result: BuildResult = {
    target: targetKey(plan.target), ms: Date.now() - start, mismatches: [], unexpected: [],
    assertions: [...plan.claims.values()].filter((c) => c.quantity !== 'declared').length,
  };
  for (const text of stderr.split('\n')) {
    if (!text || text.startsWith('# ')) continue;
    const m = ERROR_LINE.exec(text);
    const claim = m && plan.claims.get(`${path.resolve(root, m[1])}:${m[2]}`);
    if (!m || !claim) {
      if (!text.startsWith('\t')) result.unexpected.push(text); // tab lines continue the previous error
      continue;
    }
    result.mismatches.push({ claim, compiler: compilerValue(claim, m[4]), message: m[4] });
  }
  if (code !== 0 && result.mismatches.length === 0 && result.unexpected.length === 0) {
    result.unexpected.push(`go build failed without an error line: ${stderr.trim() || `exit ${code}`}`);
  }
  return result;
}

/** The real value, read from the error an assertion of `claim.engine` produced. */
function compilerValue(claim: Claim, message: string): number | null {
  if (claim.engine === null) return null;
  const big = TOO_BIG.exec(message);
  if (big) return claim.engine + Number(big[1]);
  const small = TOO_SMALL.exec(message);
  if (small) return claim.engine + Number(small[1]);
  return null;
}

export function describeMismatch(m: BuildResult['mismatches'][number]): string {
  const { claim } = m;
  const where = `${claim.declaredAt}${claim.typeText ? ` (field type ${claim.typeText.replace(/\s+/g, ' ')})` : ''}`;
  if (claim.quantity === 'declared') return `${claim.target} ${claim.subject}: the engine laid it out but the compiler says: ${m.message} [${where}]`;
  const real = m.compiler === null ? `compiler error: ${m.message}` : `compiler ${m.compiler}`;
  return `${claim.target} ${claim.subject} ${claim.quantity}: engine ${claim.engine}, ${real} [${where}]`;
}

/** Whether a position lies inside braces (a function body), i.e. the type declared there is local. */
export function insideBraces(source: string, pos: Position): boolean {
  const lines = source.split('\n');
  let end = pos.character;
  for (let i = 0; i < pos.line; i++) end += lines[i].length + 1;
  let depth = 0;
  for (let i = 0; i < end; i++) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') i = skipTo(source, i, '\n') - 1;
    else if (c === '/' && next === '*') i = source.indexOf('*/', i + 2) + 1;
    else if (c === '"' || c === "'") i = skipQuoted(source, i, c);
    else if (c === '`') i = source.indexOf('`', i + 1);
    else if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return depth > 0;
}

function skipTo(s: string, from: number, ch: string): number {
  const at = s.indexOf(ch, from);
  return at < 0 ? s.length : at;
}

function skipQuoted(s: string, from: number, quote: string): number {
  for (let i = from + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === quote || s[i] === '\n') return i;
  }
  return s.length;
}

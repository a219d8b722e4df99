// The rule register: for every rule the domain reference (DOMAIN.md) defines, which source files and
// which tests name it. Everything here is pure (text in, text out) so it can be tested with inline
// fixtures; scripts/rules-register.ts reads the files and writes docs/rules.md.
//
// Decisions:
// - A rule is *defined* where DOMAIN.md gives it a table row of its own (`| T-1 | … |`) or puts its ID
//   in bold (`**R-2 Explanatory statement**`, `**Quoracy Q-1**`, `**D-1**: …`); an ID mentioned in
//   passing (`(see A-9)`) is a reference, not a definition. Defining an ID twice is an error.
// - An ID is matched whole: `T-1` does not match inside `T-10`, `ST-1` or `SHA-1`. A range of one
//   family (`A-1 … A-10`, as module header comments write it) names every rule in it.
// - A source file "names" a rule when the ID appears anywhere in its text (comments and strings: an
//   identifier cannot hold a hyphen). A rule no source file names is "not built yet".
// - Test names are read from the syntax tree (`describe`, `it`, `test` and their `.each`, `.skip`,
//   `.only`, `.skipIf(…)` forms), so a name inside `describe.each(…)('…', …)` keeps its enclosing
//   names. For `.each([...])` tables the rule may be named in a row rather than in the title: such a
//   row is listed as a case of that test.
// - Output is sorted (rules by family in DOMAIN.md's order then number; paths and names by code point)
//   so the file only changes when the rules, the sources or the tests do.
import ts from 'typescript';

/** A rule ID: one to three capital letters, a hyphen and a number (`T-1`, `A-10`). */
const ID_SOURCE = '(?<![A-Za-z0-9_-])([A-Z]{1,3})-(\\d+)(?![0-9])';

export interface Rule {
  id: string;
  family: string;
  number: number;
  title: string;
  /** The `## ` heading of DOMAIN.md the rule sits under. */
  section: string;
  /** 1-based line of DOMAIN.md where it is defined. */
  line: number;
}

export interface SourceFile {
  /** Path relative to the repository, with forward slashes. */
  path: string;
  text: string;
}

/** A test (or describe block) with the names of the blocks around it, outermost first. */
export interface TestName {
  path: string[];
  /** For `.each([...])` tests: the string values of each row of the table. */
  cases: string[][];
}

export interface TestFileEntry {
  file: string;
  /** Test names that name the rule; empty when the file names it only outside test names. */
  names: string[];
}

export interface RegisterEntry {
  rule: Rule;
  sources: string[];
  tests: TestFileEntry[];
}

export interface Register {
  entries: RegisterEntry[];
  /** IDs of a defined family that source files name but DOMAIN.md does not define (a typo or a missing rule). */
  undefinedInSource: { id: string; files: string[] }[];
}

export class DomainReferenceError extends Error {}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A range of one family's rules: `A-1 … A-10` (or `...`, `..`, an en dash, `to`). */
const RANGE_SOURCE = `${ID_SOURCE}\\s*(?:…|\\.{2,3}|–|to)\\s*${ID_SOURCE}`;
/** Longer ranges are taken for something other than rules. */
const MAX_RANGE = 50;

/** The IDs in `text`, whole IDs only, in order of first appearance, then those inside ranges. */
export function idsIn(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(new RegExp(ID_SOURCE, 'g'))) seen.add(`${m[1]}-${m[2]}`);
  for (const m of text.matchAll(new RegExp(RANGE_SOURCE, 'g'))) {
    const [from, to] = [Number(m[2]), Number(m[4])];
    if (m[1] !== m[3] || to <= from || to - from > MAX_RANGE) continue;
    for (let n = from + 1; n < to; n++) seen.add(`${m[1]}-${n}`);
  }
  return [...seen];
}

function cleanInline(text: string): string {
  return text.replace(/[*`]/g, '').replace(/\s+/g, ' ').trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const MAX_TITLE_WORDS = 30;

/** A short title from a rule's text: its first clause without asides in brackets, cut when very long. */
export function shortTitle(text: string): string {
  let clause = cleanInline(text)
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/^[\s:;,.—–-]+/, '');
  const stop = clause.search(/;|:|\. |—/);
  if (stop > 0) clause = clause.slice(0, stop);
  // A clause cut before a list ("…, copying the social worker, with: the children's names") ends there.
  clause = clause.replace(/[\s.,]+$/, '').replace(/,?\s+(?:with|and|or|of|to)$/, '');
  const words = clause.split(' ');
  if (words.length > MAX_TITLE_WORDS) clause = `${words.slice(0, MAX_TITLE_WORDS - 2).join(' ')}…`;
  return capitalise(clause);
}

/** The rules DOMAIN.md defines, in the order it defines them. */
export function parseDomainRules(markdown: string): Rule[] {
  const lines = markdown.split(/\r?\n/);
  // Blocks: a line that does not start with white space, with the indented lines that continue it
  // (a wrapped list item).
  const blocks: { text: string; line: number; section: string }[] = [];
  let section = '';
  for (const [index, line] of lines.entries()) {
    const heading = /^##\s+(.*)$/.exec(line);
    if (heading) {
      section = cleanInline(heading[1]!);
      continue;
    }
    if (line.trim() === '') continue;
    const last = blocks.at(-1);
    if (/^\s/.test(line) && last && last.line + last.text.split('\n').length - 1 === index) {
      last.text += `\n${line.trim()}`;
    } else {
      blocks.push({ text: line, line: index + 1, section });
    }
  }

  const rules: Rule[] = [];
  const definedAt = new Map<string, number>();
  const define = (family: string, num: string, title: string, block: { line: number; section: string }): void => {
    const id = `${family}-${num}`;
    const earlier = definedAt.get(id);
    if (earlier !== undefined) {
      throw new DomainReferenceError(`DOMAIN.md defines ${id} twice (lines ${earlier} and ${block.line})`);
    }
    definedAt.set(id, block.line);
    rules.push({ id, family, number: Number(num), title, section: block.section, line: block.line });
  };

  for (const block of blocks) {
    const text = block.text.replace(/\n/g, ' ');
    const row = new RegExp(`^\\|\\s*${ID_SOURCE}\\s*\\|([^|]*)\\|`).exec(text);
    if (row) {
      define(row[1]!, row[2]!, shortTitle(row[3]!), block);
      continue;
    }
    for (const bold of text.matchAll(/\*\*(.+?)\*\*/g)) {
      const inside = new RegExp(ID_SOURCE).exec(bold[1]!);
      if (!inside) continue;
      const named = cleanInline(bold[1]!.replace(inside[0], ' ')).replace(/[\s:;,.]+$/, '');
      const title = named !== '' ? capitalise(named) : shortTitle(text.slice(bold.index + bold[0].length));
      define(inside[1]!, inside[2]!, title, block);
    }
  }
  if (rules.length === 0) {
    throw new DomainReferenceError(
      'DOMAIN.md defines no rules (no `| T-1 | … |` rows and no bold IDs such as `**R-1**`)',
    );
  }

  const familyOrder = new Map<string, number>();
  for (const rule of rules) if (!familyOrder.has(rule.family)) familyOrder.set(rule.family, familyOrder.size);
  return rules.sort((a, b) => familyOrder.get(a.family)! - familyOrder.get(b.family)! || a.number - b.number);
}

const TEST_FUNCTIONS = new Set(['describe', 'suite', 'it', 'test']);

/** The function a call is rooted at (`describe` in `describe.skip.each(t)(…)`) and its `.each`/`.for` table. */
function testCallee(expression: ts.Expression): { root: string | undefined; table: ts.Expression | undefined } {
  let table: ts.Expression | undefined;
  let e = expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      e = e.expression;
    } else if (ts.isCallExpression(e)) {
      const inner = e.expression;
      if (ts.isPropertyAccessExpression(inner) && (inner.name.text === 'each' || inner.name.text === 'for')) {
        table = e.arguments[0];
      }
      e = inner;
    } else {
      break;
    }
  }
  return { root: ts.isIdentifier(e) ? e.text : undefined, table };
}

function isTitle(node: ts.Node): node is ts.Expression {
  return (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node) ||
    (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) ||
    ts.isIdentifier(node) ||
    ts.isPropertyAccessExpression(node)
  );
}

function titleText(node: ts.Expression, file: ts.SourceFile): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return (
      node.head.text + node.templateSpans.map((s) => `\${${s.expression.getText(file)}}${s.literal.text}`).join('')
    );
  }
  return node.getText(file);
}

function rowStrings(row: ts.Node): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else ts.forEachChild(node, visit);
  };
  visit(row);
  return found;
}

/** The names of the tests and describe blocks in a test file. */
export function testNames(fileName: string, source: string): TestName[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names: TestName[] = [];
  const visit = (node: ts.Node, enclosing: string[]): void => {
    // `describe.each(table)` is itself a call; only the outer call (…)('title', fn) is the test.
    const isCalleeOfCall =
      node.parent !== undefined && ts.isCallExpression(node.parent) && node.parent.expression === node;
    if (ts.isCallExpression(node) && !isCalleeOfCall) {
      const { root, table } = testCallee(node.expression);
      const first = node.arguments[0];
      if (root !== undefined && TEST_FUNCTIONS.has(root) && first && isTitle(first)) {
        const path = [...enclosing, titleText(first, file)];
        const cases = table && ts.isArrayLiteralExpression(table) ? table.elements.map(rowStrings) : [];
        names.push({ path, cases });
        for (const arg of node.arguments.slice(1)) visit(arg, path);
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, enclosing));
  };
  visit(file, []);
  return names;
}

/** Test files: `*.test.ts` and `*test-support.ts` anywhere, and everything under test/. */
export function isTestFile(path: string): boolean {
  return path.startsWith('test/') || /\.test\.[cm]?[jt]s$/.test(path) || /test-support\.[cm]?[jt]s$/.test(path);
}

/** Which test names (each with its enclosing names) name each rule ID. */
function namesById(file: SourceFile): Map<string, Set<string>> {
  const byId = new Map<string, Set<string>>();
  const add = (id: string, name: string): void => {
    const set = byId.get(id) ?? new Set<string>();
    set.add(name);
    byId.set(id, set);
  };
  if (!/\.[cm]?[jt]s$/.test(file.path)) return byId;
  for (const test of testNames(file.path, file.text)) {
    const shown = test.path.join(' › ');
    const own = new Set(idsIn(test.path.at(-1)!));
    for (const id of own) add(id, shown);
    for (const row of test.cases) {
      for (const id of idsIn(row.join('\n'))) {
        if (own.has(id)) continue;
        const naming = row.filter((s) => idsIn(s).includes(id));
        add(id, `${shown} — case: ${naming.join(' / ')}`);
      }
    }
  }
  return byId;
}

/** The register: for every rule, the source files and tests that name it. */
export function buildRegister(rules: Rule[], files: SourceFile[]): Register {
  const defined = new Set(rules.map((r) => r.id));
  const families = new Set(rules.map((r) => r.family));
  const sources = new Map<string, string[]>();
  const tests = new Map<string, TestFileEntry[]>();
  const undefinedInSource = new Map<string, string[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    map.set(key, [...(map.get(key) ?? []), value]);
  };

  for (const file of [...files].sort((a, b) => compareText(a.path, b.path))) {
    const ids = idsIn(file.text);
    if (ids.length === 0) continue;
    if (isTestFile(file.path)) {
      const named = namesById(file);
      for (const id of ids.filter((i) => defined.has(i))) {
        push(tests, id, { file: file.path, names: [...(named.get(id) ?? [])].sort(compareText) });
      }
    } else {
      for (const id of ids) {
        if (defined.has(id)) push(sources, id, file.path);
        else if (families.has(id.split('-')[0]!)) push(undefinedInSource, id, file.path);
      }
    }
  }

  return {
    entries: rules.map((rule) => ({ rule, sources: sources.get(rule.id) ?? [], tests: tests.get(rule.id) ?? [] })),
    undefinedInSource: [...undefinedInSource]
      .map(([id, inFiles]) => ({ id, files: inFiles }))
      .sort(
        (a, b) =>
          compareText(a.id.split('-')[0]!, b.id.split('-')[0]!) ||
          Number(a.id.split('-')[1]) - Number(b.id.split('-')[1]),
      ),
  };
}

/** Escapes text so Markdown shows it as written. */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

export const NOT_BUILT = 'not built yet';

/** docs/rules.md. */
export function renderRegister(register: Register): string {
  const { entries } = register;
  const built = entries.filter((e) => e.sources.length > 0).length;
  const out: string[] = [
    '# Rule register',
    '',
    '<!-- Generated by scripts/rules-register.ts. Do not edit by hand: run `npm run rules` to regenerate it. -->',
    '',
    'Generated from the rules defined in the domain reference (`../shared/DOMAIN.md` beside this repository,',
    'or the file `DOMAIN_MD` names), the files under `src/` and the names of the tests. Do not edit it by hand:',
    '`npm run rules` regenerates it, and `npm run rules:check` (part of CI) fails when it is out of date.',
    '',
    'For each rule: its title in the domain reference; the source files (under `src/`, not tests) that name',
    'its ID, or a range holding it such as `A-1 … A-10`, in a comment or string, or "not built yet" when none',
    'does; and the test files and the names of the tests (with the names of the blocks around them, joined',
    'by ›) that name it. A test file that names the rule only outside a test name is listed without names.',
    '',
    `${entries.length} rules: ${built} named in source, ${entries.length - built} ${NOT_BUILT}.`,
    '',
    '| rule | title | source files | test names |',
    '|---|---|---|---|',
  ];
  for (const { rule, sources, tests } of entries) {
    const names = tests.reduce((n, t) => n + t.names.length, 0);
    const anchor = rule.id.toLowerCase();
    out.push(
      `| [${rule.id}](#${anchor}) | ${md(rule.title)} | ${sources.length === 0 ? NOT_BUILT : sources.length} | ${names} |`,
    );
  }

  let section: string | undefined;
  for (const { rule, sources, tests } of entries) {
    if (rule.section !== section) {
      section = rule.section;
      out.push('', `## ${md(section || 'Rules')}`);
    }
    out.push('', `### ${rule.id}`, '', md(rule.title), '');
    if (sources.length === 0) {
      out.push(`Source: ${NOT_BUILT}.`);
    } else {
      out.push('Source:', '', ...sources.map((s) => `- \`${s}\``));
    }
    out.push('');
    if (tests.length === 0) {
      out.push('Tests: none name it.');
    } else {
      out.push('Tests:', '');
      for (const t of tests) {
        out.push(t.names.length === 0 ? `- \`${t.file}\` (named in the file, not in a test name)` : `- \`${t.file}\``);
        for (const name of t.names) out.push(`  - ${md(name)}`);
      }
    }
  }

  if (register.undefinedInSource.length > 0) {
    out.push('', '## Named in source but not defined in the domain reference', '');
    for (const { id, files } of register.undefinedInSource) {
      out.push(`- ${id}: ${files.map((f) => `\`${f}\``).join(', ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * How `expected` differs from `actual`, line by line (a longest-common-subsequence diff), each change
 * under the nearest rule heading above it; at most `limit` changed lines. Empty when they are equal.
 */
export function describeDifference(actual: string, expected: string, limit = 40): string[] {
  if (actual === expected) return [];
  const a = actual.split('\n');
  const b = expected.split('\n');
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const lines: string[] = [];
  let heading = '(top of the file)';
  let shownHeading: string | undefined;
  let changes = 0;
  const note = (line: string): void => {
    changes++;
    if (changes > limit) return;
    if (shownHeading !== heading) {
      lines.push(`under ${heading}:`);
      shownHeading = heading;
    }
    lines.push(`  ${line}`);
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      if (/^#{2,3} /.test(b[j]!)) heading = `"${b[j]}"`;
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      note(`- ${a[i]}`);
      i++;
    } else {
      if (/^#{2,3} /.test(b[j]!)) heading = `"${b[j]}"`;
      note(`+ ${b[j]}`);
      j++;
    }
  }
  if (changes > limit) lines.push(`… and ${changes - limit} more changed lines`);
  return lines;
}

// The rule register (docs/rules.md): which rules DOMAIN.md defines, and which sources and test names
// name each of them.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DomainReferenceError,
  buildRegister,
  describeDifference,
  idsIn,
  parseDomainRules,
  renderRegister,
  testNames,
} from '../../scripts/rules-register/register.ts';

const DOMAIN = `# Domain reference
Issues and tests name a rule (\`T-1\`, \`A-7\`).

## Conferences (002)
- **Quoracy Q-1**: children's social care plus at least two other agencies.
- **Decision per child**: whether a plan is needed; **D-1**: when more than one agency dissents, the
  chair refers the case to a senior manager; a reconvened conference is due within 20 working days.

## Timescales
| ID | rule | source |
|---|---|---|
| T-10 | a copy of a recording sent within one calendar month of the request (see A-9) | 000 |
| T-1 | initial conference within 15 working days of the strategy discussion; later needs agreement | 002 |

## The audio record
- **R-2 Explanatory statement** held with every recording.
- **R-3 Never edited.** The original is kept bit for bit.
- **R-1** Everyone invited is told in advance that the conference will be recorded; at the start the
  chair tells those present.
`;

describe('reading the rules from the domain reference', () => {
  it('finds rules in table rows and in bold, with their short titles and sections, ordered by family then number', () => {
    const rules = parseDomainRules(DOMAIN);
    expect(rules.map((r) => [r.id, r.title, r.section])).toEqual([
      ['Q-1', 'Quoracy', 'Conferences (002)'],
      ['D-1', 'When more than one agency dissents, the chair refers the case to a senior manager', 'Conferences (002)'],
      ['T-1', 'Initial conference within 15 working days of the strategy discussion', 'Timescales'],
      ['T-10', 'A copy of a recording sent within one calendar month of the request', 'Timescales'],
      ['R-1', 'Everyone invited is told in advance that the conference will be recorded', 'The audio record'],
      ['R-2', 'Explanatory statement', 'The audio record'],
      ['R-3', 'Never edited', 'The audio record'],
    ]);
  });

  it('does not take an ID mentioned in passing (in backticks or "see A-9") for a definition', () => {
    const ids = parseDomainRules(DOMAIN).map((r) => r.id);
    expect(ids).not.toContain('A-9');
    expect(ids).not.toContain('A-7');
  });

  it('refuses a rule defined twice, and a file that defines none', () => {
    expect(() => parseDomainRules(`${DOMAIN}\n- **T-1 Again** twice.\n`)).toThrow(
      /defines T-1 twice \(lines 13 and 21\)/,
    );
    expect(() => parseDomainRules('# Nothing here\n\nJust text about T-1.\n')).toThrow(DomainReferenceError);
  });
});

describe('matching rule IDs', () => {
  it('T-10 does not name T-1, and IDs inside longer words are not IDs', () => {
    expect(idsIn('T-10 and T-11, not T-1')).toEqual(['T-10', 'T-11', 'T-1']);
    expect(idsIn('see T-10 (one calendar month)')).toEqual(['T-10']);
    const inLongerWords = idsIn('SHA-1, ST-1x, X-T-1, T-48213');
    expect(inLongerWords).not.toContain('A-1');
    expect(inLongerWords).not.toContain('T-1');
    expect(inLongerWords).toContain('T-48213');
    expect(idsIn('// A-9: same date next month; (Q-1, D-1)')).toEqual(['A-9', 'Q-1', 'D-1']);
  });

  it('a range of one family (A-1 … A-4) names every rule in it; a range across families does not', () => {
    expect(idsIn('Requests for copies (A-1 … A-4): the use cases')).toEqual(['A-1', 'A-4', 'A-2', 'A-3']);
    expect(idsIn('T-1 to T-3, R-1...R-2')).toEqual(['T-1', 'T-3', 'R-1', 'R-2', 'T-2']);
    expect(idsIn('from T-1 … A-3')).toEqual(['T-1', 'A-3']);
    expect(idsIn('T-3 … T-1')).toEqual(['T-3', 'T-1']);
  });
});

describe('test names', () => {
  it('reads describe, it and test names with the names around them, including inside describe.each', () => {
    const source = `
      import { describe, expect, it, test } from 'vitest';
      describe.each(testDatabases())('the conference meeting (%s)', (kind) => {
        describe('quoracy', () => {
          it('Q-1: two agencies with direct contact are quorate', async () => {
            expect(kind).toBeTruthy();
          });
          it.skipIf(kind === 'pglite')(\`D-1 on \${kind}\`, () => {});
        });
      });
      test('T-10 deadline', () => {});
      describe.each(kinds)('R-3 on %s', () => {});
    `;
    expect(testNames('x.test.ts', source).map((t) => t.path)).toEqual([
      ['the conference meeting (%s)'],
      ['the conference meeting (%s)', 'quoracy'],
      ['the conference meeting (%s)', 'quoracy', 'Q-1: two agencies with direct contact are quorate'],
      ['the conference meeting (%s)', 'quoracy', 'D-1 on ${kind}'],
      ['T-10 deadline'],
      ['R-3 on %s'],
    ]);
  });

  it('keeps the rows of an it.each table, where a rule may be named instead of in the title', () => {
    const source = `
      it.each([
        ['2025-03-03', 1, 'A-9: same date next month'],
        ['2025-01-31', 1, 'last day of the month'],
      ])('%s + %i month → (%s)', () => {});
    `;
    expect(testNames('x.test.ts', source)).toEqual([
      {
        path: ['%s + %i month → (%s)'],
        cases: [
          ['2025-03-03', 'A-9: same date next month'],
          ['2025-01-31', 'last day of the month'],
        ],
      },
    ]);
  });
});

describe('the register', () => {
  const rules = parseDomainRules(DOMAIN);
  const files = [
    {
      path: 'src/domain/conferences/quoracy.ts',
      text: '// Q-1: children’s social care plus two other agencies with direct contact\nexport const q = 1;\n',
    },
    {
      path: 'src/web/features/conferences/meeting.test.ts',
      text: `
        describe.each(testDatabases())('the conference meeting (%s)', (kind) => {
          it('Q-1: an inquorate conference records no decision until the chair says why', () => {});
          it('opens the meeting', () => {});
        });`,
    },
    // T-1 is named only in source: built, with no test naming it.
    { path: 'src/domain/calendar/deadlines.ts', text: "export const initial = { rule: 'T-1', workingDays: 15 };\n" },
    // T-10 is named only in a test's comment and an undefined R-7 in source.
    {
      path: 'src/domain/calendar/deadlines.test.ts',
      text: "// T-10 comes later\nit('adds working days', () => {});\n",
    },
    { path: 'src/app/recordings/store.ts', text: '// R-7 does not exist; R-3 kept bit for bit\n' },
    { path: 'test/support/fixtures.ts', text: '// Q-1 fixtures\n' },
  ];
  const register = buildRegister(rules, files);
  const entry = (id: string) => register.entries.find((e) => e.rule.id === id)!;

  it('a rule named in a test title inside describe.each lists that test with its enclosing names', () => {
    expect(entry('Q-1').tests).toEqual([
      {
        file: 'src/web/features/conferences/meeting.test.ts',
        names: [
          'the conference meeting (%s) › Q-1: an inquorate conference records no decision until the chair says why',
        ],
      },
      { file: 'test/support/fixtures.ts', names: [] },
    ]);
    expect(entry('Q-1').sources).toEqual(['src/domain/conferences/quoracy.ts']);
  });

  it('a rule named only in source is built, with no tests; T-10 in a file does not name T-1', () => {
    expect(entry('T-1')).toMatchObject({ sources: ['src/domain/calendar/deadlines.ts'], tests: [] });
    expect(entry('T-10')).toMatchObject({
      sources: [],
      tests: [{ file: 'src/domain/calendar/deadlines.test.ts', names: [] }],
    });
  });

  it('a rule named nowhere is "not built yet", in the summary and in its own section', () => {
    expect(entry('D-1')).toMatchObject({ sources: [], tests: [] });
    const markdown = renderRegister(register);
    expect(markdown).toContain(
      '| [D-1](#d-1) | When more than one agency dissents, the chair refers the case to a senior manager | not built yet | 0 |',
    );
    expect(markdown).toContain(
      '### D-1\n\nWhen more than one agency dissents, the chair refers the case to a senior manager\n\nSource: not built yet.\n\nTests: none name it.',
    );
    expect(markdown).toContain('7 rules: 3 named in source, 4 not built yet.');
    expect(markdown).toContain('Generated by scripts/rules-register.ts');
    expect(markdown).toContain('npm run rules');
  });

  it('names the rows of an it.each table that name a rule as cases of that test', () => {
    const withTable = buildRegister(rules, [
      {
        path: 'src/domain/calendar/months.test.ts',
        text: `describe('calendar month', () => {
          it.each([
            ['2025-03-03', 'T-10: same date next month'],
            ['2025-01-31', 'last day of the month'],
          ])('%s → (%s)', () => {});
        });`,
      },
    ]);
    expect(withTable.entries.find((e) => e.rule.id === 'T-10')!.tests).toEqual([
      {
        file: 'src/domain/calendar/months.test.ts',
        names: ['calendar month › %s → (%s) — case: T-10: same date next month'],
      },
    ]);
  });

  it('lists an ID of a defined family that source names but the domain reference does not define', () => {
    expect(register.undefinedInSource).toEqual([{ id: 'R-7', files: ['src/app/recordings/store.ts'] }]);
    expect(renderRegister(register)).toContain('- R-7: `src/app/recordings/store.ts`');
  });

  it('is the same whatever order the files are read in', () => {
    expect(renderRegister(buildRegister(rules, [...files].reverse()))).toBe(renderRegister(register));
  });
});

describe('checking the committed register', () => {
  it('is silent when equal and names the changed lines under their rule when not', () => {
    const committed = '# Rule register\n\n### Q-1\n\nSource:\n\n- `a.ts`\n\n### D-1\n\nSource: not built yet.\n';
    const now = '# Rule register\n\n### Q-1\n\nSource:\n\n- `a.ts`\n- `b.ts`\n\n### D-1\n\nSource: not built yet.\n';
    expect(describeDifference(committed, committed)).toEqual([]);
    expect(describeDifference(committed, now)).toEqual(['under "### Q-1":', '  + - `b.ts`']);
    expect(describeDifference(now, committed)).toEqual(['under "### Q-1":', '  - - `b.ts`']);
  });
});

describe('the command', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const run = (args: string[], domain: string) =>
    spawnSync(process.execPath, ['scripts/rules-register.ts', ...args], {
      cwd: root,
      env: { ...process.env, DOMAIN_MD: domain },
      encoding: 'utf8',
    });

  it('fails with a clear message, writing nothing, when the domain reference is missing', () => {
    const result = run(['--check'], path.join(os.tmpdir(), 'no-such-folder', 'DOMAIN.md'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The rule register needs the domain reference, and there is none at');
    expect(result.stderr).toContain('set DOMAIN_MD');
  });

  it('--check exits 1 naming the difference when the rules have changed, and leaves docs/rules.md alone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rules-register-'));
    try {
      const domain = path.join(dir, 'DOMAIN.md');
      await writeFile(domain, DOMAIN);
      const before = await readFile(path.join(root, 'docs/rules.md'), 'utf8');
      const result = run(['--check'], domain);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('docs/rules.md is out of date');
      expect(result.stderr).toMatch(/- \d+ rules: /);
      expect(result.stderr).toContain('+ 7 rules:');
      expect(result.stderr).toContain('Run `npm run rules` and commit docs/rules.md.');
      expect(await readFile(path.join(root, 'docs/rules.md'), 'utf8')).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  CHILD,
  CONFIDENTIAL_WORDS,
  FATHER,
  MOTHER,
  POLICE_WORDS,
  conferenceRecord,
} from '../../../test/support/documents.ts';
import {
  type Block,
  CHILDS_COPY_MARKING,
  DOCUMENT_KINDS,
  DOCUMENT_KIND_LABELS,
  FULL_RECORD,
  PARENTS_COPY_MARKING,
  PROTECTIVE_MARKING,
  type Recipient,
  WITHHOLDING_REASONS,
  WITHHOLDING_REASON_LABELS,
  type WrittenDocument,
  deriveVariant,
  documentProblems,
  markingFor,
  markingLines,
  paragraphsOf,
  readingOrderText,
} from './index.ts';

const fathersCopy: Recipient = { kind: 'parent', person: FATHER };
const mothersCopy: Recipient = { kind: 'parent', person: MOTHER };
const childsCopy: Recipient = { kind: 'child', person: CHILD };

function withBlocks(blocks: Block[]): WrittenDocument {
  return { ...conferenceRecord(), blocks };
}

function text(document: WrittenDocument): string {
  return readingOrderText(document).join('\n');
}

describe('W-3 the parent’s copy', () => {
  it('W-3: a section withheld from the family (police information) is left out of a parent’s copy and logged with its reason', () => {
    const copy = deriveVariant(conferenceRecord(), mothersCopy);
    expect(text(copy.document)).not.toContain(POLICE_WORDS);
    expect(text(copy.document)).not.toContain('Information from the police');
    expect(copy.leftOut).toEqual([
      {
        blockId: 'police-information',
        type: 'section',
        location: 'Section “Information from the police”',
        excerpt: 'Information from the police',
        recipient: "Jane Smith (parent's copy)",
        reasons: [
          {
            reason: 'police-or-marac',
            label: 'Police or MARAC information',
            explanation: 'An investigation is under way and sharing it could prejudice it',
          },
        ],
      },
    ]);
  });

  it('W-3: information confidential to one parent is left out of the other parent’s copy only', () => {
    const father = deriveVariant(conferenceRecord(), fathersCopy);
    const mother = deriveVariant(conferenceRecord(), mothersCopy);
    expect(text(father.document)).not.toContain(CONFIDENTIAL_WORDS);
    expect(text(mother.document)).toContain(CONFIDENTIAL_WORDS);
    const logged = father.leftOut.find((l) => l.blockId === 'mothers-address');
    expect(logged).toMatchObject({
      type: 'paragraph',
      location: 'Section “Summary of discussion” › paragraph 13',
      recipient: "Tom Smith (parent's copy)",
      reasons: [
        { reason: 'confidential-to-parent', label: 'Information confidential to one parent', explanation: null },
      ],
    });
    expect(logged!.excerpt).toMatch(/^Ms Smith has moved to a new address in Hastings .*…$/);
    expect(logged!.excerpt.length).toBeLessThanOrEqual(80);
  });

  it('W-3: a parent’s copy is marked OFFICIAL-SENSITIVE and PARENT’S COPY; the full record OFFICIAL-SENSITIVE alone', () => {
    expect(markingLines(deriveVariant(conferenceRecord(), fathersCopy).marking)).toEqual([
      'OFFICIAL-SENSITIVE',
      "PARENT'S COPY",
    ]);
    expect(markingLines(deriveVariant(conferenceRecord(), FULL_RECORD).marking)).toEqual(['OFFICIAL-SENSITIVE']);
    expect(markingFor(mothersCopy)).toEqual({ protective: PROTECTIVE_MARKING, copy: PARENTS_COPY_MARKING });
  });

  it('W-3: the full record keeps every block, notes which family copies leave each out and why, and logs nothing', () => {
    const full = deriveVariant(conferenceRecord(), FULL_RECORD);
    expect(full.leftOut).toEqual([]);
    expect(text(full.document)).toContain(POLICE_WORDS);
    expect(text(full.document)).toContain(CONFIDENTIAL_WORDS);
    const police = full.document.blocks.find((b) => b.id === 'police-information')!;
    expect(police.notice).toBe("Not in every family member's copy (police or MARAC information).");
    expect(police.withheld).toBeUndefined();
    const discussion = full.document.blocks.find((b) => b.type === 'section' && b.heading === 'Summary of discussion');
    const address = discussion?.type === 'section' ? discussion.blocks.find((b) => b.id === 'mothers-address') : null;
    expect(address?.notice).toBe("Not in Tom Smith's copy (information confidential to one parent).");
  });

  it('W-3: a family member’s copy carries no trace of what was withheld, nor the chair’s reasons', () => {
    const copy = deriveVariant(conferenceRecord(), fathersCopy);
    const json = JSON.stringify(copy.document);
    expect(json).not.toContain('"withheld"');
    expect(json).not.toContain('"notice"');
    expect(json).not.toContain('investigation is under way');
  });

  it('W-3: a section whose every block is withheld is left out with them, so no empty heading is left', () => {
    const document = withBlocks([
      { type: 'paragraph', text: 'Kept' },
      {
        type: 'section',
        heading: 'MARAC',
        blocks: [
          {
            type: 'paragraph',
            text: 'Discussed at MARAC on 1 November',
            withheld: [{ from: { kind: 'family' }, reason: 'police-or-marac' }],
          },
        ],
      },
    ]);
    const copy = deriveVariant(document, mothersCopy);
    expect(copy.document.blocks).toEqual([{ type: 'paragraph', text: 'Kept' }]);
    expect(copy.leftOut.map((l) => l.location)).toEqual(['Section “MARAC” › paragraph 1']);
  });

  it('W-3: a block withheld from one parent for two reasons logs both; another recipient’s withholding is not logged', () => {
    const document = withBlocks([
      {
        type: 'list',
        items: ['One', 'Two'],
        withheld: [
          { from: { kind: 'people', people: [MOTHER] }, reason: 'excluded-parent', explanation: '  ' },
          {
            from: { kind: 'people', people: [MOTHER, FATHER] },
            reason: 'third-party',
            explanation: 'About a neighbour',
          },
          { from: { kind: 'children' }, reason: 'police-or-marac' },
        ],
      },
    ]);
    const copy = deriveVariant(document, mothersCopy);
    expect(copy.document.blocks).toEqual([]);
    expect(copy.leftOut).toHaveLength(1);
    expect(copy.leftOut[0]!.excerpt).toBe('One; Two');
    expect(copy.leftOut[0]!.reasons).toEqual([
      { reason: 'excluded-parent', label: WITHHOLDING_REASON_LABELS['excluded-parent'], explanation: null },
      { reason: 'third-party', label: WITHHOLDING_REASON_LABELS['third-party'], explanation: 'About a neighbour' },
    ]);
    const full = deriveVariant(document, FULL_RECORD);
    expect(full.document.blocks[0]!.notice).toBe(
      "Not in Jane Smith's copy (information a parent excluded from the conference may not receive); " +
        "not in Jane Smith's copy and Tom Smith's copy (information about another person (third-party information)); " +
        "not in every child's copy (police or MARAC information).",
    );
  });
});

describe('W-4 a child’s copy, when the chair decides', () => {
  it('W-3: a child’s copy is marked CHILD’S COPY and leaves out what is withheld from children, which parents keep', () => {
    const document = withBlocks([
      {
        type: 'paragraph',
        text: 'Details of the allegation',
        id: 'allegation',
        withheld: [{ from: { kind: 'children' }, reason: 'third-party' }],
      },
      { type: 'paragraph', text: 'What happens next' },
    ]);
    const child = deriveVariant(document, childsCopy);
    expect(child.marking.copy).toBe(CHILDS_COPY_MARKING);
    expect(text(child.document)).not.toContain('Details of the allegation');
    expect(child.leftOut.map((l) => [l.blockId, l.recipient])).toEqual([['allegation', "Amy Smith (child's copy)"]]);
    expect(text(deriveVariant(document, fathersCopy).document)).toContain('Details of the allegation');
  });
});

describe('documents', () => {
  it('names every kind of document and every reason for withholding in words', () => {
    expect(DOCUMENT_KINDS.map((k) => DOCUMENT_KIND_LABELS[k])).toEqual([
      'Decision letter',
      'Child protection plan and core group letter',
      "Chair's summary",
      'Conference record',
      'Notes of an inquorate conference',
      'Reasons for exclusion from the conference',
      'Decision on a request to amend the record',
    ]);
    expect(WITHHOLDING_REASONS.map((r) => WITHHOLDING_REASON_LABELS[r])).toEqual([
      'Information about another person (third-party information)',
      'Police or MARAC information',
      'Information confidential to one parent',
      'Information a parent excluded from the conference may not receive',
    ]);
  });

  it('finds no problem with a well-formed record', () => {
    expect(documentProblems(conferenceRecord())).toEqual([]);
  });

  it('refuses a heading that skips a level, a row that does not match its header and a withholding from nobody', () => {
    const problems = documentProblems(
      withBlocks([
        { type: 'heading', level: 4, text: 'Too deep' },
        { type: 'table', caption: 'People', head: ['Name', 'Role'], rows: [['Only a name']] },
        {
          type: 'paragraph',
          text: 'Secret',
          withheld: [{ from: { kind: 'people', people: [] }, reason: 'third-party' }],
        },
        { type: 'list', items: [] },
        { type: 'paragraph', text: '  ' },
      ]),
    );
    expect(problems).toEqual([
      { path: 'blocks[0].level', message: 'A level 4 heading must not follow a level 1 heading' },
      { path: 'blocks[1].rows[0]', message: 'Each row must have 2 cells, as the header has' },
      { path: 'blocks[2].withheld[0]', message: 'Name who the information is withheld from' },
      { path: 'blocks[3].items', message: 'A list must have an item' },
      { path: 'blocks[4].text', message: 'A paragraph must not be empty' },
    ]);
  });

  it('gives nested sections the next heading level and refuses nesting beyond H6', () => {
    const nest = (depth: number): Block =>
      depth === 0
        ? { type: 'paragraph', text: 'Deep' }
        : { type: 'section', heading: `Level ${depth}`, blocks: [nest(depth - 1)] };
    expect(documentProblems(withBlocks([nest(5)]))).toEqual([]);
    expect(documentProblems(withBlocks([nest(6)]))).toEqual([
      {
        path: 'blocks[0].blocks[0].blocks[0].blocks[0].blocks[0].blocks[0]',
        message: 'Sections must not be nested more than 5 deep',
      },
    ]);
  });

  it('checks the metadata: a version from 1 and at least one child', () => {
    const document = conferenceRecord();
    expect(
      documentProblems({ ...document, metadata: { ...document.metadata, version: 0, children: [] } }).map(
        (p) => p.path,
      ),
    ).toEqual(['metadata.version', 'metadata.children']);
  });

  it('reads the text in reading order and splits typed text into paragraphs at blank lines', () => {
    expect(
      readingOrderText(
        withBlocks([
          { type: 'summary', rows: [{ key: 'Chair', value: 'Priya Patel' }] },
          { type: 'section', heading: 'Plan', blocks: [{ type: 'list', items: ['Visit weekly'] }] },
        ]),
      ),
    ).toEqual([
      'Record of the initial child protection conference for Amy Smith',
      'Chair',
      'Priya Patel',
      'Plan',
      'Visit weekly',
    ]);
    expect(paragraphsOf('First line\r\nsame paragraph\r\n\r\n\r\nSecond\n \nThird  ')).toEqual([
      { type: 'paragraph', text: 'First line\nsame paragraph' },
      { type: 'paragraph', text: 'Second' },
      { type: 'paragraph', text: 'Third' },
    ]);
  });
});

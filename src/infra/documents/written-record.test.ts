import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESSENTIAL_FACTS_WORDS,
  MOTHER_INVITEE,
  SMALL_CONFERENCE,
  TWENTY_PAGE_CONFERENCE,
  type ConferenceSize,
  sizedRecordInput,
} from '../../../test/support/document-facts.ts';
import { type PdfFile, occurrences, openPdf } from '../../../test/support/pdf.ts';
import {
  FULL_RECORD,
  type FamilyMember,
  buildDocument,
  deriveVariant,
  documentProblems,
} from '../../domain/documents/index.ts';
import { renderPdf } from './pdf-renderer.ts';

const MOTHER: FamilyMember = { id: MOTHER_INVITEE, name: 'Jane Smith' };

/** The conference record built from the conference's facts, its essential facts withheld from the mother. */
async function renderedRecord(size: ConferenceSize) {
  const document = buildDocument(
    sizedRecordInput(size, {
      withholdings: { 'essential-facts': [{ from: { kind: 'people', people: [MOTHER] }, reason: 'police-or-marac' }] },
    }),
  );
  expect(documentProblems(document)).toEqual([]);
  const full = deriveVariant(document, FULL_RECORD);
  const mothers = deriveVariant(document, { kind: 'parent', person: MOTHER });
  expect(mothers.leftOut.map((l) => l.blockId)).toEqual(['essential-facts']);
  return {
    title: document.title,
    full: await openPdf(await renderPdf(full.document, full.marking)),
    mothers: await openPdf(await renderPdf(mothers.document, mothers.marking)),
  };
}

describe.each([
  { label: 'a small conference', size: SMALL_CONFERENCE, pages: [3, 5] },
  { label: 'a large conference', size: TWENTY_PAGE_CONFERENCE, pages: [18, 22] },
])('W-2, W-3: the conference record of $label as a tagged PDF', ({ size, pages: [fewest, most] }) => {
  let title: string;
  let full: PdfFile;
  let mothers: PdfFile;
  let fullPages: string[];
  let mothersPages: string[];
  beforeAll(async () => {
    ({ title, full, mothers } = await renderedRecord(size));
    [fullPages, mothersPages] = await Promise.all([full.pagesText(), mothers.pagesText()]);
  });
  afterAll(async () => {
    await Promise.all([full?.dispose(), mothers?.dispose()]);
  });

  it(`W-2: is tagged, titled with the record's title, and about ${fewest} to ${most} pages long`, async () => {
    for (const pdf of [full, mothers]) {
      const info = await pdf.info();
      expect(info['Tagged']).toBe('yes');
      expect(info['Title']).toBe(title);
      const pages = Number(info['Pages']);
      expect(pages).toBeGreaterThanOrEqual(fewest!);
      expect(pages).toBeLessThanOrEqual(most!);
    }
    expect(title).toBe(
      'Conference record: Sam' +
        (size.children === 2 ? ' and Amy Smith' : ' Smith') +
        ', initial child protection conference on 4 December 2026',
    );
  });

  it("W-3: every page of the parent's copy is marked PARENT'S COPY and OFFICIAL-SENSITIVE in its header and footer", () => {
    const pages = mothersPages;
    expect(pages.length).toBeGreaterThanOrEqual(fewest!);
    pages.forEach((text, i) => {
      expect(occurrences(text, "PARENT'S COPY"), `page ${i + 1}`).toBe(2);
      expect(occurrences(text, 'OFFICIAL-SENSITIVE'), `page ${i + 1}`).toBe(2);
      expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
    });
  });

  it("W-3: the withheld essential facts are absent from the parent's copy and present in the full record", () => {
    const mothersText = mothersPages.join('\n');
    const fullText = fullPages.join('\n');
    expect(fullText).toContain(ESSENTIAL_FACTS_WORDS);
    expect(fullText).toContain('Essential facts');
    expect(fullText).not.toContain("PARENT'S COPY");
    expect(mothersText).not.toContain(ESSENTIAL_FACTS_WORDS);
    expect(mothersText).not.toContain('Essential facts');
    // The rest of the record is in her copy: the discussion, the decisions and the plan.
    for (const heading of ['Summary of discussion', 'Decisions and reasons', 'The child protection plan']) {
      expect(mothersText).toContain(heading);
    }
  });
});

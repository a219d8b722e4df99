import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHILD,
  CONFIDENTIAL_WORDS,
  FATHER,
  MOTHER,
  POLICE_WORDS,
  conferenceRecord,
} from '../../../test/support/documents.ts';
import { type PdfFile, occurrences, openPdf, structureTexts } from '../../../test/support/pdf.ts';
import { FULL_RECORD, deriveVariant, readingOrderText } from '../../domain/documents/index.ts';
import { pdfDocumentRenderer, renderPdf } from './pdf-renderer.ts';

/** Discussion lengths that give a conference record of three and of twenty A4 pages. */
const THREE_PAGES = 14;
const TWENTY_PAGES = 205;

const opened: PdfFile[] = [];
async function rendered(...args: Parameters<typeof renderPdf>): Promise<PdfFile> {
  const pdf = await openPdf(await renderPdf(...args));
  opened.push(pdf);
  return pdf;
}

afterAll(async () => {
  await Promise.all(opened.map((pdf) => pdf.dispose()));
});

describe('the tagged PDF of a written record', () => {
  let full: PdfFile;
  let fathers: PdfFile;
  beforeAll(async () => {
    const record = conferenceRecord(THREE_PAGES);
    const fullRecord = deriveVariant(record, FULL_RECORD);
    const fathersCopy = deriveVariant(record, { kind: 'parent', person: FATHER });
    full = await rendered(fullRecord.document, fullRecord.marking);
    fathers = await rendered(fathersCopy.document, fathersCopy.marking);
  });

  it('W-2: the record is a tagged PDF 1.7 of three pages with its title, shown as the window title, in British English', async () => {
    const info = await full.info();
    expect(info['Tagged']).toBe('yes');
    expect(info['Title']).toBe('Record of the initial child protection conference for Amy Smith');
    expect(info['Subject']).toBe('Conference record, OFFICIAL-SENSITIVE');
    expect(info['PDF version']).toBe('1.7');
    expect(info['Pages']).toBe('3');
    const bytes = await import('node:fs/promises').then((fs) => fs.readFile(full.path, 'latin1'));
    expect(bytes).toContain('/Lang (en-GB)');
    expect(bytes).toMatch(/\/DisplayDocTitle true/);
    expect(bytes).toContain('<pdfuaid:part>1</pdfuaid:part>');
  });

  it('W-2: headings, paragraphs, lists and tables are real structure, in reading order', async () => {
    const structure = await full.structure();
    const elements = [...structure.matchAll(/^\s*(\w+)(?: <[^>]*>)?(?: \(block\))?:?$/gm)].map((m) => m[1]);
    expect(elements[0]).toBe('Document');
    for (const tag of ['H1', 'H2', 'H3', 'P', 'Sect', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD']) {
      expect(elements, tag).toContain(tag);
    }
    expect(elements.filter((e) => e === 'H1')).toHaveLength(1);
    expect(structure).toMatch(/TH <table-1-0-0>:[^"]*\/Scope \/Column/);
    expect(structure).toMatch(/TH <table-0-0-0>:[^"]*\/Scope \/Row/);
    // Everything the document says, in its order; the notice of what the family's copies leave out is a
    // paragraph of its own, the bullets and numbers are list labels and an empty cell has no text.
    const texts = structureTexts(structure).filter((t) => t !== '' && !/^(•|\d+\.)$/.test(t));
    const fullRecord = deriveVariant(conferenceRecord(THREE_PAGES), FULL_RECORD).document;
    expect(texts.map((t) => t.replace(/^Not shared with everyone: /, ''))).toEqual(readingOrderText(fullRecord));
  });

  it('W-3: the running header and footer are pagination artifacts, not read between paragraphs', async () => {
    const structure = await fathers.structure();
    expect(structure).not.toContain('OFFICIAL-SENSITIVE');
    expect(structure).not.toContain("PARENT'S COPY");
    expect(structure).not.toContain('Page 1 of');
    expect(await fathers.pageText(1)).toContain('Page 1 of 3');
  });

  it('W-3: a parent’s copy is marked PARENT’S COPY and OFFICIAL-SENSITIVE in the header and footer of every page', async () => {
    const pages = await fathers.pagesText();
    expect(pages).toHaveLength(3);
    pages.forEach((text, i) => {
      expect(occurrences(text, "PARENT'S COPY"), `page ${i + 1}`).toBe(2);
      expect(occurrences(text, 'OFFICIAL-SENSITIVE'), `page ${i + 1}`).toBe(2);
      expect(text.trimStart().startsWith("OFFICIAL-SENSITIVE\nPARENT'S COPY"), `page ${i + 1} header`).toBe(true);
      expect(text.trimEnd().endsWith(`OFFICIAL-SENSITIVE\nPARENT'S COPY\nPage ${i + 1} of 3`), `footer ${i + 1}`).toBe(
        true,
      );
    });
  });

  it('W-3: the withheld paragraph and section are absent from the parent’s copy and present in the full record', async () => {
    const fathersText = (await fathers.pagesText()).join('\n');
    const fullText = (await full.pagesText()).join('\n');
    expect(fathersText).not.toContain(CONFIDENTIAL_WORDS);
    expect(fathersText).not.toContain(POLICE_WORDS);
    expect(fathersText).not.toContain('Information from the police');
    expect(fullText).toContain(CONFIDENTIAL_WORDS);
    expect(fullText).toContain(POLICE_WORDS);
    expect(fullText).not.toContain("PARENT'S COPY");
    expect(fullText).toContain("Not shared with everyone: Not in Tom Smith's copy");
  });

  it('embeds its fonts (DejaVu Sans, subset, with Unicode maps), never a standard font the reader substitutes', async () => {
    const fonts = await fathers.fonts();
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true, unicode: true });
  });
});

describe('W-3 a twenty-page parent’s copy', () => {
  let pdf: PdfFile;
  let fullPdf: PdfFile;
  beforeAll(async () => {
    const record = conferenceRecord(TWENTY_PAGES);
    const copy = deriveVariant(record, { kind: 'parent', person: MOTHER });
    const fullRecord = deriveVariant(record, FULL_RECORD);
    pdf = await rendered(copy.document, copy.marking);
    fullPdf = await rendered(fullRecord.document, fullRecord.marking);
  });

  it('W-3: every one of the twenty pages is marked in its header and footer and numbered "Page N of 20"', async () => {
    expect(await pdf.pages()).toBe(20);
    expect(await fullPdf.pages()).toBe(20);
    const pages = await pdf.pagesText();
    expect(pages).toHaveLength(20);
    pages.forEach((text, i) => {
      expect(occurrences(text, "PARENT'S COPY"), `page ${i + 1}`).toBe(2);
      expect(occurrences(text, 'OFFICIAL-SENSITIVE'), `page ${i + 1}`).toBe(2);
      expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of 20`);
    });
  });

  it('W-3: the mother keeps what is confidential to her, but not the police information', async () => {
    const text = (await pdf.pagesText()).join('\n');
    expect(text).toContain(CONFIDENTIAL_WORDS);
    expect(text).not.toContain(POLICE_WORDS);
  });
});

describe('W-4 a child’s copy, when the chair decides', () => {
  it('W-3: a child’s copy is marked CHILD’S COPY and OFFICIAL-SENSITIVE in the header and footer of every page', async () => {
    const copy = deriveVariant(conferenceRecord(THREE_PAGES), { kind: 'child', person: CHILD });
    const pages = await (await rendered(copy.document, copy.marking)).pagesText();
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) {
      expect(occurrences(text, "CHILD'S COPY")).toBe(2);
      expect(occurrences(text, 'OFFICIAL-SENSITIVE')).toBe(2);
      expect(text).not.toContain("PARENT'S COPY");
    }
  });
});

describe('the large-print variant', () => {
  it('sets the text at 18 pt, so the same record takes more pages, each still marked and numbered', async () => {
    const copy = deriveVariant(conferenceRecord(THREE_PAGES), { kind: 'parent', person: FATHER });
    const normal = await rendered(copy.document, copy.marking);
    const large = await rendered(copy.document, copy.marking, { largePrint: true });
    const largePages = await large.pages();
    expect(largePages).toBeGreaterThan(await normal.pages());
    const last = await large.pageText(largePages);
    expect(occurrences(last, "PARENT'S COPY")).toBe(2);
    expect(last).toContain(`Page ${largePages} of ${largePages}`);
    expect((await large.info())['Tagged']).toBe('yes');
  });
});

describe('a document with problems', () => {
  it('is refused before anything is drawn: a heading that skips a level would mislead a screen reader', async () => {
    const record = conferenceRecord(THREE_PAGES);
    const skipping = { ...record, blocks: [{ type: 'heading' as const, level: 3 as const, text: 'Plan' }] };
    await expect(renderPdf(skipping, deriveVariant(record, FULL_RECORD).marking)).rejects.toMatchObject({
      code: 'INVALID_DETAILS',
      problems: [{ field: 'blocks[0].level', message: 'A level 3 heading must not follow a level 1 heading' }],
    });
  });
});

describe('an issued version', () => {
  it('renders to the same bytes again for the same moment, so its SHA-256 can be checked', async () => {
    const copy = deriveVariant(conferenceRecord(THREE_PAGES), FULL_RECORD);
    const at = new Date('2026-11-24T09:30:00Z');
    const first = await pdfDocumentRenderer.render(copy.document, copy.marking, { createdAt: at });
    const second = await pdfDocumentRenderer.render(copy.document, copy.marking, { createdAt: at });
    expect(Buffer.from(first).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(Buffer.compare(first, second)).toBe(0);
    expect(pdfDocumentRenderer.mediaType).toBe('application/pdf');
  });
});

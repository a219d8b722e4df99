import { describe, expect, it } from 'vitest';
import { CONFIDENTIAL_WORDS, FATHER, POLICE_WORDS, conferenceRecord } from '../../../test/support/documents.ts';
import { FULL_RECORD, type WrittenDocument, deriveVariant, readingOrderText } from '../../domain/documents/index.ts';
import { documentHtml, htmlDocumentRenderer, standaloneDocumentHtml } from './html.ts';

/** The page's text in order: tags dropped, entities decoded, whitespace collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<br>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const fathersCopy = deriveVariant(conferenceRecord(), { kind: 'parent', person: FATHER });
const fullRecord = deriveVariant(conferenceRecord(), FULL_RECORD);

describe('the HTML rendering of a written record', () => {
  it('W-3: a parent’s copy shows PARENT’S COPY and OFFICIAL-SENSITIVE above and below, and leaves the withheld parts out', () => {
    const html = documentHtml(fathersCopy.document, fathersCopy.marking);
    expect(html).toMatch(
      /^<article class="app-document" lang="en-GB">\n<header class="app-document-marking[^"]*">OFFICIAL-SENSITIVE<br>PARENT&#39;S COPY<\/header>/,
    );
    expect(html).toMatch(
      /<footer class="app-document-marking[^"]*">OFFICIAL-SENSITIVE<br>PARENT&#39;S COPY<\/footer>\n<\/article>$/,
    );
    expect(html).not.toContain(CONFIDENTIAL_WORDS);
    expect(html).not.toContain(POLICE_WORDS);
    const full = documentHtml(fullRecord.document, fullRecord.marking);
    expect(full).toContain(CONFIDENTIAL_WORDS);
    expect(full).toContain(
      '<p class="govuk-body-s app-document-notice"><strong>Not shared with everyone:</strong> Not in Tom Smith&#39;s copy (information confidential to one parent).</p>',
    );
    expect(full).not.toContain('PARENT');
  });

  it('says what the PDF says, in the same order: the title, then every block', () => {
    const text = textOf(documentHtml(fullRecord.document, fullRecord.marking));
    let from = 0;
    for (const line of readingOrderText(fullRecord.document)) {
      const at = text.indexOf(line.replace(/\s+/g, ' '), from);
      expect(at, line).toBeGreaterThanOrEqual(from);
      from = at + line.length;
    }
  });

  it('uses real headings, lists, summary lists and tables with GOV.UK classes', () => {
    const html = documentHtml(fathersCopy.document, fathersCopy.marking);
    expect(html.match(/<h1 /g)).toHaveLength(1);
    expect(html).toContain(
      '<h1 class="govuk-heading-l">Record of the initial child protection conference for Amy Smith</h1>',
    );
    expect(html).toContain(
      '<section class="app-document-section"><h2 class="govuk-heading-m">Present and apologies</h2>',
    );
    expect(html).toContain('<h3 class="govuk-heading-s">Apologies</h3>');
    expect(html).toContain(
      '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Chair</dt><dd class="govuk-summary-list__value">Priya Patel, independent chair</dd></div>',
    );
    expect(html).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--s">People at the conference</caption>',
    );
    expect(html).toContain('<th scope="col" class="govuk-table__header">Agency</th>');
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet"><li>DC Alan White, police (report sent)</li>');
    expect(html).toContain('<ol class="govuk-list govuk-list--number"><li>Ms Smith will attend');
  });

  it('escapes what was typed and keeps its line breaks', () => {
    const document: WrittenDocument = {
      ...conferenceRecord(),
      blocks: [{ type: 'paragraph', text: 'Mum said "<b>no</b>" & left\nat 3pm' }],
    };
    expect(documentHtml(document, fullRecord.marking)).toContain(
      '<p class="govuk-body">Mum said &quot;&lt;b&gt;no&lt;/b&gt;&quot; &amp; left<br>at 3pm</p>',
    );
  });

  it('refuses a document with problems, as the PDF does', () => {
    const document: WrittenDocument = { ...conferenceRecord(), title: ' ' };
    expect(() => documentHtml(document, fullRecord.marking)).toThrow('The title must not be empty');
  });

  it('issues a standalone page with its language, a title naming the copy, and 18 pt text in large print', async () => {
    const page = standaloneDocumentHtml(fathersCopy.document, fathersCopy.marking, { largePrint: true });
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(page).toContain(
      '<title>Record of the initial child protection conference for Amy Smith – OFFICIAL-SENSITIVE – PARENT&#39;S COPY</title>',
    );
    expect(page).toContain('font-size:18pt');
    expect(standaloneDocumentHtml(fathersCopy.document, fathersCopy.marking)).not.toContain('18pt');
    const bytes = await htmlDocumentRenderer.render(fathersCopy.document, fathersCopy.marking);
    expect(new TextDecoder().decode(bytes)).toBe(standaloneDocumentHtml(fathersCopy.document, fathersCopy.marking));
    expect(htmlDocumentRenderer.mediaType).toBe('text/html; charset=utf-8');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInput, factsSinceConvening } from '../../../test/support/document-facts.ts';
import { type PdfFile, openPdf } from '../../../test/support/pdf.ts';
import { FULL_RECORD, buildDocument, deriveVariant } from '../../domain/documents/index.ts';
import { renderPdf } from './pdf-renderer.ts';

const MOTHER = { kind: 'parent' as const, person: { id: 'mother', name: 'Jane Smith' } };

/** The PDF text with its line breaks and spaces as one space, so wrapped sentences read whole. */
async function flatText(pdf: PdfFile): Promise<string> {
  return (await pdf.pagesText()).join(' ').replace(/\s+/g, ' ');
}

describe('002 §2.2, §3.2, §3.9: the conference record as a PDF shows the facts recorded since convening', () => {
  let full: PdfFile;
  let mothers: PdfFile;
  beforeAll(async () => {
    const document = buildDocument(
      buildInput('conference-record', {
        facts: factsSinceConvening(),
        withholdings: { 'reports-received': [{ from: { kind: 'family' }, reason: 'third-party' }] },
      }),
    );
    const render = async (copy: ReturnType<typeof deriveVariant>) =>
      openPdf(await renderPdf(copy.document, copy.marking));
    full = await render(deriveVariant(document, FULL_RECORD));
    mothers = await render(deriveVariant(document, MOTHER));
  });
  afterAll(async () => {
    await Promise.all([full?.dispose(), mothers?.dispose()]);
  });

  it('002 §2.2, §3.2, §3.9: the full record reads the review’s reason, the step-down, the child’s views route, the telling and the reports', async () => {
    const text = await flatText(full);
    for (const words of [
      'Why the review was brought forward',
      'A new incident at the school gate',
      'Child in need or team around the child plan',
      'Team around the child plan',
      'The lead social worker will meet the child and family on 11 December 2026',
      'How their views reached the conference',
      'He drew a picture of home.',
      'Reasons given orally',
      'On 4 December 2026, by Helen Ward',
      'Hillside Primary report',
    ])
      expect(text, words).toContain(words);
    expect(text).not.toMatch(/\b[WTAPRQD]-\d+\b|§/);
  });

  it('W-3: the mother’s copy leaves out what the chair withheld from the family, with no trace of it', async () => {
    const text = await flatText(mothers);
    expect(text).not.toContain('Reports received');
    expect(text).not.toContain('Hillside Primary report');
    expect(text).toContain('Team around the child plan');
    expect(text).toContain("PARENT'S COPY");
  });
});

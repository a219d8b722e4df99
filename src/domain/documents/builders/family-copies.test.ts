import { describe, expect, it } from 'vitest';
import { AMY, buildInput, documentFacts, factsSinceConvening } from '../../../../test/support/document-facts.ts';
import { buildDocument, withholdableBlocks } from '../build.ts';
import { DOCUMENT_KINDS, documentProblems, readingOrderText } from '../model.ts';
import { deriveVariant } from '../variants.ts';
import type { Withholding } from '../withholding.ts';

/** Words only the facts recorded since convening (002 §1.3, §2.2, §3.2, §3.8, §3.9) bring into a document. */
const NEW_WORDS = [
  'A new incident at the school gate',
  'The health visitor continues fortnightly.',
  'Ruth Green, health visitor',
  'He drew a picture of home.',
  'Hillside Primary report',
  'On 4 December 2026, by Helen Ward',
];

const FROM_FAMILY: readonly Withholding[] = [{ from: { kind: 'family' }, reason: 'third-party' }];
const MOTHER = { kind: 'parent' as const, person: { id: 'mother', name: 'Jane Smith' } };

describe('the facts recorded since convening, in every document', () => {
  it.each(DOCUMENT_KINDS)('W-1, W-2: %s with every new fact: renders, with no rule numbers in it', (kind) => {
    const document = buildDocument(buildInput(kind, { facts: factsSinceConvening(), version: 2 }));
    expect(documentProblems(document)).toEqual([]);
    expect(readingOrderText(document).join('\n')).not.toMatch(/\b[WTAPRQD]-\d+\b|§/);
  });

  it('002 §1.3: a pre-birth conference’s record with its grounds has no rule numbers in it', () => {
    const base = documentFacts();
    const facts = {
      ...base,
      conference: { ...base.conference, type: 'pre-birth' as const, preBirthGrounds: ['The grounds, in words'] },
    };
    const text = readingOrderText(buildDocument(buildInput('conference-record', { facts }))).join('\n');
    expect(text).toContain('The grounds, in words');
    expect(text).not.toMatch(/\b[WTAPRQD]-\d+\b|§/);
  });

  it('W-3, 002 §3.2, §3.8, §3.9: the chair can withhold each new section; the parent’s copy then shows none of it and the full record keeps it', () => {
    const facts = factsSinceConvening();
    const document = buildDocument(buildInput('conference-record', { facts }));
    const ids = withholdableBlocks(document).map((b) => b.id);
    expect(ids).toEqual(
      expect.arrayContaining(['brought-forward', 'reports-received', 'children-views', 'step-down', 'exclusions']),
    );
    const withholdings = Object.fromEntries(
      ['brought-forward', 'reports-received', 'children-views', 'step-down', 'exclusions'].map((id) => [
        id,
        FROM_FAMILY,
      ]),
    );
    const marked = buildDocument(buildInput('conference-record', { facts, withholdings }));
    const parents = readingOrderText(deriveVariant(marked, MOTHER).document).join('\n');
    const full = readingOrderText(deriveVariant(marked, { kind: 'full' }).document).join('\n');
    for (const words of NEW_WORDS) {
      expect(parents, words).not.toContain(words);
      expect(full, words).toContain(words);
    }
  });

  it('002 §3.8: the decision letter’s step-down section can be withheld from the family like any other', () => {
    const facts = factsSinceConvening();
    const marked = buildDocument(buildInput('decision-letter', { facts, withholdings: { 'step-down': FROM_FAMILY } }));
    const parents = readingOrderText(deriveVariant(marked, MOTHER).document);
    expect(parents).not.toContain('The support that continues');
    expect(parents).not.toContain('The health visitor continues fortnightly.');
    expect(readingOrderText(buildDocument(buildInput('decision-letter', { facts })))).toContain(
      'The health visitor continues fortnightly.',
    );
    // Amy's plan is not withheld with Sam's step-down.
    expect(parents.join('\n')).toContain(AMY.name);
  });
});

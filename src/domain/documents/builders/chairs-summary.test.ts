import { describe, expect, it } from 'vitest';
import { buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { BuildInput } from '../build-input.ts';
import { documentProblems, readingOrderText } from '../model.ts';

function lines(overrides: Partial<BuildInput> = {}): string[] {
  const document = buildDocument(buildInput('chairs-summary', overrides));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

describe("003 the chair's summary", () => {
  it('003: gives the Worries, Positives and Changes the chair recorded, then the decisions', () => {
    const text = lines();
    expect(text[0]).toBe("Chair's summary: Sam and Amy Smith, initial child protection conference on 4 December 2026");
    const worries = text.indexOf('Worries');
    expect(text.slice(worries, worries + 6)).toEqual([
      'Worries',
      'The children are often hungry at school.',
      'Positives',
      'Ms Smith has engaged with the health visitor.',
      'Changes needed',
      'Regular meals and supervision after school.',
    ]);
    expect(text.indexOf('Decisions')).toBeGreaterThan(worries);
    const decisions = text.indexOf('Decisions');
    expect(text.slice(decisions, decisions + 3)).toEqual(['Decisions', 'Sam and Amy Smith', 'Decision']);
    expect(text.filter((t) => t === 'Child protection plan needed')).toHaveLength(1);
    expect(text).toContain('Helen Ward');
    // The children are named; their dates of birth are for the minutes.
    expect(text.slice(1, 3)).toEqual(['Children', 'Sam Smith\nAmy Smith']);
    expect(text.join('\n')).not.toContain('born');
  });

  it("003: the chair's further comments appear when written and are left out when not", () => {
    expect(lines()).toContain('The family were open with the conference.');
    const without = lines({ sections: {} });
    expect(without).not.toContain("The chair's further comments");
    expect(without).not.toContain('Not yet written.');
  });

  it('003: says when the chair recorded no summary at the meeting rather than leaving empty headings', () => {
    const text = lines({ facts: { ...documentFacts(), summary: null } });
    expect(text.filter((t) => t === 'Not recorded at the conference.')).toHaveLength(3);
  });
});

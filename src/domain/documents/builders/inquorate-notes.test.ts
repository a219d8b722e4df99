import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../calendar/index.ts';
import { buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { DocumentFacts } from '../facts.ts';
import { documentProblems, readingOrderText } from '../model.ts';

function lines(conference: Partial<DocumentFacts['conference']>, sections?: Record<string, string>): string[] {
  const facts = documentFacts();
  const document = buildDocument(
    buildInput('inquorate-notes', {
      facts: { ...facts, conference: { ...facts.conference, status: 'adjourned-inquorate', ...conference } },
      ...(sections ? { sections } : {}),
    }),
  );
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

describe('002 §3.5 the notes of an inquorate conference', () => {
  const adjourned = {
    adjournmentSafetySteps: 'The social worker will visit daily.\n\nThe school will check on Sam each morning.',
    reconveneDate: parseIsoDate('2026-12-11'),
  };

  it('002 §3.5: gives who was present and sent apologies, the safety steps, the new date and the discussion', () => {
    const text = lines(adjourned);
    expect(text[0]).toBe(
      'Notes of an inquorate conference: Sam and Amy Smith, initial child protection conference on 4 December 2026',
    );
    expect(text).toContain('Present');
    expect(text).toContain('Apologies');
    expect(text).toContain('DC Alan White');
    const steps = text.indexOf('Keeping the children safe until the conference meets again');
    expect(text.slice(steps + 1, steps + 3)).toEqual([
      'The social worker will visit daily.',
      'The school will check on Sam each morning.',
    ]);
    expect(text).toContain('The conference will meet again on 11 December 2026.');
    const discussed = text.indexOf('What was discussed before the conference was adjourned');
    expect(text[discussed + 1]).toBe('Health and police were missing, so the conference was adjourned.');
  });

  it('002 §3.5: says when no new date has been set, and the discussion is not yet written in an empty draft', () => {
    const text = lines({ reconveneDate: null }, {});
    expect(text).toContain('The new date has not been set yet. Everyone invited will be told when it is.');
    const discussed = text.indexOf('What was discussed before the conference was adjourned');
    expect(text[discussed + 1]).toBe('Not yet written.');
  });
});

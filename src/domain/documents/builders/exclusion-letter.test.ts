import { describe, expect, it } from 'vitest';
import { MOTHER_INVITEE, buildInput } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { BuildInput } from '../build-input.ts';
import { documentProblems, readingOrderText } from '../model.ts';

function lines(overrides: Partial<BuildInput> = {}): string[] {
  const document = buildDocument(buildInput('exclusion-letter', overrides));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

describe('002 §3.2 the exclusion letter', () => {
  it('002 §3.2: is addressed to the excluded person and gives the extent, the reasons and how their views were heard', () => {
    const text = lines();
    expect(text.filter((t) => t.startsWith('Dear '))).toEqual(['Dear Tom Smith']);
    expect(text.indexOf('Dear Tom Smith')).toBeLessThan(text.indexOf('Why you were excluded'));
    expect(text).toContain(
      'The chair decided that you could not be present for part of the initial child protection conference on 4 December 2026.',
    );
    const why = text.indexOf('Why you were excluded');
    expect(text[why + 1]).toBe(
      'You were asked to leave while the police shared information they cannot yet share with you.',
    );
    const heard = text.indexOf('How your views were heard');
    expect(text[heard + 1]).toBe(
      'The chair met Mr Smith before the conference and read his written views to the conference.',
    );
    expect(text).toContain('What you will receive');
  });

  it('002 §3.2: until the plain-English reasons are written, gives the reason recorded in the register', () => {
    const text = lines({ sections: {} });
    const why = text.indexOf('Why you were excluded');
    expect(text[why + 1]).toBe(
      'Mr Smith was excluded while the police shared information about an ongoing investigation.',
    );
  });

  it('W-7 and W-6: says how to complain and that the letter is confidential', () => {
    const text = lines();
    expect(text).toContain('If you want to complain');
    expect(text).toContain('If you are unhappy with the decision, write to the complaints team within 28 days.');
    expect(text).toContain('This letter is confidential. Do not share it without the chair’s consent.');
  });

  it('002 §3.2: is refused for someone the register does not record as excluded', () => {
    expect(() => buildDocument(buildInput('exclusion-letter', { subjectInviteeId: MOTHER_INVITEE }))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => buildDocument(buildInput('exclusion-letter', { subjectInviteeId: null }))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });
});

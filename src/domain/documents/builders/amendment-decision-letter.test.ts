import { describe, expect, it } from 'vitest';
import {
  AMENDMENT_LETTER_FACTS,
  FATHER_INVITEE,
  MOTHER_INVITEE,
  buildInput,
} from '../../../../test/support/document-facts.ts';
import { parseIsoDate } from '../../calendar/index.ts';
import { buildDocument, withholdableBlocks } from '../build.ts';
import type { AmendmentLetterFacts, BuildInput } from '../build-input.ts';
import { NEVER_WITHHELD } from '../drafting.ts';
import { documentProblems, readingOrderText } from '../model.ts';
import { deriveVariant, markingLines } from '../variants.ts';
import type { Withholding } from '../withholding.ts';

function lines(overrides: Partial<BuildInput> = {}): string[] {
  const document = buildDocument(buildInput('amendment-decision-letter', overrides));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

function withAmendment(change: Partial<AmendmentLetterFacts>): Partial<BuildInput> {
  return { amendment: { ...AMENDMENT_LETTER_FACTS, ...change } };
}

/** The summary rows of one point, as read: key, value, key, value… */
function pointText(text: string[], heading: string): string[] {
  const at = text.indexOf(heading);
  expect(at, heading).toBeGreaterThan(-1);
  return text.slice(at + 1, at + 9);
}

const FROM_FAMILY: readonly Withholding[] = [{ from: { kind: 'family' }, reason: 'third-party' }];

describe('W-5, T-8: the letter giving the requester the chair’s decision on each amendment point', () => {
  it('W-5: is addressed to the requester, from the council, signed by the chair and dated the day it is issued', () => {
    const text = lines({
      addressee: { inviteeId: MOTHER_INVITEE, name: 'Jane Smith', copy: { kind: 'full' } },
      issuedOn: parseIsoDate('2026-12-18'),
    });
    expect(text.filter((t) => t.startsWith('Dear '))).toEqual(['Dear Jane Smith']);
    expect(text.slice(1, 9)).toEqual([
      'From',
      'Eastshire County Council',
      'Date',
      '18 December 2026',
      'Contact',
      'Child protection conference team, 01234 500600',
      'Conference chair',
      'Helen Ward',
    ]);
    expect(text).toContain('Yours sincerely');
    expect(text).toContain('Helen Ward\nChair of the child protection conference, for Eastshire County Council');
    // The draft's preview names the requester too, and says it is dated when issued.
    const preview = lines();
    expect(preview).toContain('Dear Jane Smith');
    expect(preview).toContain('The date it is issued');
  });

  it('W-5: says for each point the text it refers to, the change asked for, the chair’s decision and reasons', () => {
    const text = lines();
    expect(text).toContain(
      'On 14 December 2026 we received your request to change the conference record (version 1) of the initial child protection conference for Sam Smith and Amy Smith on 4 December 2026. You asked for three changes. Helen Ward has considered each of them, and this letter gives the decision and the reasons.',
    );
    expect(text).toContain('The chair’s decision on each point');
    expect(pointText(text, 'Point 1: Family composition and legal status')).toEqual([
      'The text you asked about',
      'Sam and Amy live with their mother. There are no court orders.',
      'The change you asked for',
      'Their grandmother lives with us too.',
      'The chair’s decision',
      'Accepted',
      'The chair’s reasons',
      'The social worker confirmed the grandmother moved in before the conference.',
    ]);
    expect(pointText(text, 'Point 2: Summary of discussion')).toContain('Accepted in part');
    expect(pointText(text, 'Point 3: Essential facts')).toEqual([
      'The text you asked about',
      'You did not quote the text as issued.',
      'The change you asked for',
      'Remove the referrals: they were malicious.',
      'The chair’s decision',
      'Not accepted',
      'The chair’s reasons',
      'The referrals were made and the conference relied on them; the record must say so.',
    ]);
    expect(text).toContain('A note from the chair');
    expect(text).toContain('Thank you for taking the time to read the record so carefully.');
  });

  it('W-5: an accepted change means a new version sent to everyone who had the document once the chair approves it', () => {
    const text = lines();
    const next = text.indexOf('What happens next');
    expect(text[next + 1]).toBe(
      'The chair accepted two of your three points, fully or in part. The conference record (version 1) will be written again as version 2 with these changes. Version 2 starts by setting out what changed and why.',
    );
    expect(text[next + 2]).toBe(
      'When the chair has approved version 2, it will be sent to everyone who received version 1, you included, in the same way as before. Version 1 is kept on record, unchanged.',
    );
    const refused = lines(
      withAmendment({
        points: [{ ...AMENDMENT_LETTER_FACTS.points[2]! }],
      }),
    );
    expect(refused).toContain('Your point: Essential facts');
    expect(refused[refused.indexOf('What happens next') + 1]).toBe(
      'The chair did not accept the change you asked for, so the conference record (version 1) stays as it was issued. Your request and the chair’s decision are kept with the record of the conference.',
    );
    expect(refused.join('\n')).not.toContain('version 2');
  });

  it('T-8: a request that arrived after the 10 working days is still answered, point by point, and says so', () => {
    const text = lines(withAmendment({ receivedOn: parseIsoDate('2027-01-08'), late: true }));
    expect(text).toContain(
      'Requests to change the record are due within 10 working days of receiving it, which for you was 21 December 2026. Your request reached us after that date. The chair has still considered every point and gives the decision on each below.',
    );
    expect(text).toContain('Point 1: Family composition and legal status');
    expect(text).toContain('Point 3: Essential facts');
    expect(lines()).toContain('Your request reached us within 10 working days of your receiving the document.');
  });

  it('W-6, W-7: how to complain, confidentiality and the council contact are in every copy and can never be withheld', () => {
    const offered = withholdableBlocks(buildDocument(buildInput('amendment-decision-letter'))).map((b) => b.id);
    for (const id of NEVER_WITHHELD) expect(offered).not.toContain(id);
    const withholdings = Object.fromEntries([...offered, ...NEVER_WITHHELD].map((id) => [id, FROM_FAMILY] as const));
    const copy = deriveVariant(buildDocument(buildInput('amendment-decision-letter', { withholdings })), {
      kind: 'parent',
      person: { id: MOTHER_INVITEE, name: 'Jane Smith' },
    });
    const text = readingOrderText(copy.document);
    expect(text).toContain('If you want to complain');
    expect(text).toContain('If you are unhappy with the decision, write to the complaints team within 28 days.');
    expect(text).toContain('Keeping this letter confidential');
    expect(text).toContain('This letter is confidential. Do not share it without the chair’s consent.');
    expect(text).toContain('Contact us');
    expect(markingLines(copy.marking)).toEqual(['OFFICIAL-SENSITIVE', "PARENT'S COPY"]);
  });

  it('W-5: is refused without the request, or for someone not on the register', () => {
    expect(() => buildDocument(buildInput('amendment-decision-letter', { amendment: null }))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() =>
      buildDocument(buildInput('amendment-decision-letter', withAmendment({ requesterInviteeId: SOMEONE_ELSE }))),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    // The father is on the register: a letter answering him greets him.
    expect(lines(withAmendment({ requesterInviteeId: FATHER_INVITEE }))).toContain('Dear Tom Smith');
  });
});

const SOMEONE_ELSE = '00000000-0000-4000-8000-000000000001';

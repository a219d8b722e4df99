import { describe, expect, it } from 'vitest';
import {
  isDeliverableEmail,
  prefillWithheld,
  TRANSCRIPT_REFUSAL,
  validateReferral,
  withheldFromRecording,
  type ReferralFacts,
  type ReferralInput,
} from './referral.ts';
import { conference, d, dad, goodReferralInput, recording, referralFacts } from './test-support.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

function problems(input: ReferralInput, facts: ReferralFacts = referralFacts()): Record<string, string> {
  try {
    validateReferral(input, facts);
  } catch (e) {
    if (e instanceof InvalidDetailsError) return Object.fromEntries(e.problems.map((p) => [p.field, p.message]));
    throw e;
  }
  return {};
}

const childFacts = referralFacts({
  requester: { type: 'child', childId: 'child-ava' },
  receivedOn: d('2026-03-09'),
  today: d('2026-03-12'),
});
const jointOk = {
  on: '2026-03-11',
  childTookPart: true,
  socialWorkerTookPart: true,
  chairTookPart: true,
  faceToFace: true,
  notes: 'Will listen together at school',
};

describe('A-3 the chair’s referral', () => {
  it('A-3: a complete referral is accepted with every item the chair must send', () => {
    const r = validateReferral(
      {
        ...goodReferralInput,
        adjustment: 'Large-print covering letter',
        reasons: 'Thinks the decision was misrecorded',
      },
      referralFacts(),
    );
    expect(r).toEqual({
      conferenceId: 'conf-1',
      conferenceDate: '2026-03-02',
      childIds: ['child-ava', 'child-ben'],
      childrenWithoutPr: [],
      email: 'dad@example.org',
      withheldSegmentIds: ['seg-police', 'seg-mum'],
      withheldAdded: [],
      nothingWithheld: false,
      recordingIds: ['rec-1'],
      partIds: [],
      jointConsideration: null,
      adjustment: 'Large-print covering letter',
      reasons: 'Thinks the decision was misrecorded',
      advice: null,
    });
  });

  it('A-3: an empty form lists every missing item at once (it cannot be submitted incomplete)', () => {
    expect(problems({})).toEqual({
      childIds: 'Select the children the request is about',
      email: 'Enter the requester’s email address',
      emailVerified: 'Confirm you have checked the email address with the requester',
      recordingIds: 'Select the recording to copy',
      withheldSegmentIds: 'Add anything the requester must not hear, or confirm there is nothing to withhold',
    });
  });

  it('A-3: children must be the conference’s; a child the requester has no PR for cannot be included', () => {
    expect(problems({ ...goodReferralInput, childIds: ['child-zed'] }).childIds).toBe(
      'Select only children who were the subject of this conference',
    );
    const facts = referralFacts({ childrenWithoutPr: ['child-ava'] });
    expect(problems(goodReferralInput, facts).childIds).toBe(
      'Ava Stone: the requester does not hold parental responsibility, so cannot be given this child’s information',
    );
    const ok = validateReferral({ ...goodReferralInput, childIds: ['child-ben'] }, facts);
    expect(ok.childrenWithoutPr).toEqual(['child-ava']);
  });

  it.each([
    ['dad@example', false],
    ['dad example.org', false],
    ['dad@@example.org', false],
    ['.dad@example.org', false],
    ['dad..x@example.org', false],
    ['dad@-example.org', false],
    ['dad@example.c', false],
    [`${'a'.repeat(65)}@example.org`, false],
    ['dad@example.org', true],
    ['first.last+cp@mail.example.co.uk', true],
    ['o’brien@example.org'.replace('’', "'"), true],
  ])('A-3: email “%s” deliverable: %s', (email, ok) => {
    expect(isDeliverableEmail(email)).toBe(ok);
    if (!ok)
      expect(problems({ ...goodReferralInput, email }).email).toBe(
        'Enter an email address in the correct format, like name@example.com',
      );
  });

  it('A-3: the email must have been verified with the requester', () => {
    expect(problems({ ...goodReferralInput, emailVerified: false }).emailVerified).toMatch(
      /Confirm you have checked the email address/,
    );
  });

  it('A-3: withheld information is either confirmed as none, or listed; not both, not neither', () => {
    expect(
      validateReferral({ ...goodReferralInput, withheldSegmentIds: [], nothingWithheld: true }, referralFacts())
        .nothingWithheld,
    ).toBe(true);
    expect(problems({ ...goodReferralInput, nothingWithheld: true }).nothingWithheld).toMatch(/untick/);
    expect(problems({ ...goodReferralInput, withheldSegmentIds: [] }).withheldSegmentIds).toMatch(
      /confirm there is nothing to withhold/,
    );
    expect(problems({ ...goodReferralInput, withheldSegmentIds: ['seg-elsewhere'] }).withheldSegmentIds).toBe(
      'Select withheld parts of the recordings chosen',
    );
  });

  it('A-3: new withheld parts are checked like timeline segments (reason, times within the recording), field names prefixed', () => {
    const r = validateReferral(
      {
        ...goodReferralInput,
        withheldAdded: [
          { recordingId: 'rec-1', start: '20:00', end: '21:30', reason: 'marac', explanation: 'MARAC discussion' },
        ],
      },
      referralFacts(),
    );
    expect(r.withheldAdded).toEqual([
      { recordingId: 'rec-1', startMs: 1_200_000, endMs: 1_290_000, reason: 'marac', explanation: 'MARAC discussion' },
    ]);
    const bad = problems({
      ...goodReferralInput,
      withheldAdded: [
        { recordingId: 'rec-1', start: '30:00', end: '2:00:00', reason: 'gossip', explanation: '' },
        { recordingId: 'rec-x' },
      ],
    });
    expect(bad).toMatchObject({
      'withheldAdded[0].end':
        'Withheld part 1: the end of the withheld part must be within the recording, which is 1:00:00 long',
      'withheldAdded[0].reason': 'Withheld part 1: select why this part must be withheld',
      'withheldAdded[0].explanation': 'Withheld part 1: explain what is said in this part and why it must be withheld',
      'withheldAdded[1].recordingId': 'Select which of the chosen recordings withheld part 2 is in',
    });
  });

  it('A-3: for a split conference the part(s) holding this requester’s information must be chosen, and recordings must be of those parts', () => {
    const split = referralFacts({
      conference: {
        ...conference,
        parts: [
          { id: 'part-1', label: 'Part 1: with mother' },
          { id: 'part-2', label: 'Part 2: with father' },
        ],
      },
      recordings: [
        { ...recording, id: 'rec-p1', partId: 'part-1', segments: [] },
        { ...recording, id: 'rec-p2', partId: 'part-2', segments: [] },
      ],
    });
    const input = { ...goodReferralInput, withheldSegmentIds: [], nothingWithheld: true, recordingIds: ['rec-p2'] };
    expect(problems(input, split).partIds).toMatch(/split conference: select the part/);
    expect(problems({ ...input, partIds: ['part-9'] }, split).partIds).toBe('Select parts of this conference');
    expect(problems({ ...input, partIds: ['part-1'] }, split).recordingIds).toBe(
      'Select only recordings of the parts chosen',
    );
    expect(validateReferral({ ...input, partIds: ['part-2'] }, split).partIds).toEqual(['part-2']);
    expect(problems({ ...goodReferralInput, partIds: ['part-1'] }).partIds).toBe(
      'This conference was not split into parts',
    );
  });

  it('A-3: a conference with no stored recording cannot be referred', () => {
    expect(problems(goodReferralInput, referralFacts({ recordings: [] })).recordingIds).toBe(
      'This conference has no stored recording to copy',
    );
  });

  it('A-8: a transcript is never an option, and the error says so', () => {
    expect(problems({ ...goodReferralInput, transcriptRequested: true }).adjustment).toBe(TRANSCRIPT_REFUSAL);
    expect(TRANSCRIPT_REFUSAL).toMatch(/Transcripts and written summaries of recordings are not provided/);
  });

  it('A-2: a child’s own request records the joint consideration with the child, social worker and chair', () => {
    const input = { ...goodReferralInput, childIds: ['child-ava'], jointConsideration: jointOk };
    expect(validateReferral(input, childFacts).jointConsideration).toEqual({
      on: '2026-03-11',
      faceToFace: true,
      notes: 'Will listen together at school',
    });
    const missing = problems(
      { ...input, jointConsideration: { ...jointOk, socialWorkerTookPart: false, chairTookPart: null } },
      childFacts,
    );
    expect(missing['jointConsideration.participants']).toBe(
      'A child’s own request is considered jointly by the child, their social worker and the chair: confirm their social worker and the chair took part',
    );
    expect(problems({ ...input, jointConsideration: null }, childFacts)['jointConsideration.on']).toMatch(
      /Enter the date the request was considered/,
    );
    expect(
      problems({ ...input, jointConsideration: { ...jointOk, on: '2026-03-08' } }, childFacts)['jointConsideration.on'],
    ).toMatch(/before the request was received/);
    expect(
      problems({ ...input, jointConsideration: { ...jointOk, on: '2026-03-13' } }, childFacts)['jointConsideration.on'],
    ).toMatch(/cannot be in the future/);
  });

  it('A-2: the child asking must be among the children; a joint consideration is only for a child’s request', () => {
    expect(
      problems({ ...goodReferralInput, childIds: ['child-ben'], jointConsideration: jointOk }, childFacts).childIds,
    ).toBe('Include the child who is asking');
    expect(problems({ ...goodReferralInput, jointConsideration: jointOk })['jointConsideration.on']).toMatch(
      /only for a child’s own request/,
    );
  });
});

describe('A-3 withheld information', () => {
  it('A-3: pre-fills the segments withheld from a family requester: all-family ones and those naming them', () => {
    expect(prefillWithheld(dad, [recording])).toEqual(['seg-police', 'seg-mum']);
    expect(prefillWithheld({ type: 'pr-holder', personId: 'person-mum' }, [recording])).toEqual(['seg-police']);
    expect(prefillWithheld({ type: 'child', childId: 'child-ava' }, [recording])).toEqual(['seg-police']);
  });

  it('A-3: professionals entitled to the whole record get no pre-filled segments', () => {
    expect(
      prefillWithheld({ type: 'court', contactName: 'C', courtName: 'Court', courtReference: 'R' }, [recording]),
    ).toEqual([]);
  });

  it('A-3 / R-3: what to silence in one recording’s copy: each item for the log, merged ranges for the redaction', () => {
    const r = validateReferral(
      {
        ...goodReferralInput,
        withheldAdded: [
          { recordingId: 'rec-1', start: '1:30', end: '3:00', reason: 'third-party', explanation: 'Neighbour' },
        ],
      },
      referralFacts(),
    );
    const w = withheldFromRecording(r, recording);
    expect(w.items.map((i) => [i.startMs, i.endMs, i.reason, i.segmentId])).toEqual([
      [60_000, 120_000, 'police', 'seg-police'],
      [90_000, 180_000, 'third-party', null],
      [600_000, 660_000, 'confidential-to-parent', 'seg-mum'],
    ]);
    expect(w.ranges).toEqual([
      { startMs: 60_000, endMs: 180_000 },
      { startMs: 600_000, endMs: 660_000 },
    ]);
    expect(withheldFromRecording(r, { id: 'rec-other', segments: [] })).toEqual({ items: [], ranges: [] });
  });
});

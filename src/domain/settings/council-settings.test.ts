import { describe, expect, it } from 'vitest';
import { documentFacts } from '../../../test/support/document-facts.ts';
import { distributionList, includedRecipients } from '../documents/distribution.ts';
import { DOCUMENT_KINDS, FILE_COPY_NAME } from '../documents/index.ts';
import { assessEligibility, type EligibilityInput } from '../requests/requesters.ts';
import { d } from '../requests/test-support.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import {
  type CouncilSettings,
  DEFAULT_COUNCIL_SETTINGS,
  describeSetting,
  familyCopiesRefusedReason,
  keptOnFileOnly,
  readSetting,
  requireSettingsAdmin,
  validateSetting,
} from './council-settings.ts';

const REASON = 'The council does not give copies of recordings to families during its pilot (003).';
const noFamilyCopies: CouncilSettings = {
  ...DEFAULT_COUNCIL_SETTINGS,
  'recording-copies': { familyCopies: false, reason: REASON },
};
const decisionsOnly: CouncilSettings = {
  ...DEFAULT_COUNCIL_SETTINGS,
  'document-distribution': { distribution: 'decisions-only' },
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidDetailsError) return e.problems.map((p) => p.field);
    throw e;
  }
  throw new Error('expected InvalidDetailsError');
}

describe('003 council settings: the defaults are the service’s behaviour before any choice', () => {
  it('003: by default the full record goes out and the family may be given copies of recordings', () => {
    expect(DEFAULT_COUNCIL_SETTINGS).toEqual({
      'document-distribution': { distribution: 'full-record' },
      'recording-copies': { familyCopies: true, reason: null },
    });
    for (const kind of DOCUMENT_KINDS) expect(keptOnFileOnly(kind, DEFAULT_COUNCIL_SETTINGS)).toBe(false);
    expect(familyCopiesRefusedReason(DEFAULT_COUNCIL_SETTINGS)).toBeNull();
  });

  it('003: a stored value that no longer reads is the default, never a refusal nobody chose', () => {
    expect(readSetting('recording-copies', { familyCopies: false, reason: '' })).toEqual({
      familyCopies: true,
      reason: null,
    });
    expect(readSetting('document-distribution', { distribution: 'nothing' })).toEqual({ distribution: 'full-record' });
    expect(readSetting('document-distribution', { distribution: 'decisions-only' })).toEqual({
      distribution: 'decisions-only',
    });
  });
});

describe('003 changing a setting', () => {
  it('003: the council’s reason is needed when the family is not given copies, and dropped when it is', () => {
    expect(problems(() => validateSetting('recording-copies', { familyCopies: false, reason: '  ' }))).toEqual([
      'reason',
    ]);
    expect(problems(() => validateSetting('recording-copies', { reason: REASON }))).toEqual(['familyCopies']);
    expect(
      problems(() => validateSetting('recording-copies', { familyCopies: false, reason: 'x'.repeat(2001) })),
    ).toEqual(['reason']);
    expect(validateSetting('recording-copies', { familyCopies: true, reason: REASON })).toEqual({
      familyCopies: true,
      reason: null,
    });
    expect(validateSetting('recording-copies', { familyCopies: false, reason: `  ${REASON} ` })).toEqual({
      familyCopies: false,
      reason: REASON,
    });
    expect(problems(() => validateSetting('document-distribution', { distribution: 'some' }))).toEqual([
      'distribution',
    ]);
  });

  it('003: each value is described in words for the audit trail', () => {
    expect(describeSetting('document-distribution', { distribution: 'decisions-only' })).toBe(
      'Decisions and recommendations only',
    );
    expect(describeSetting('recording-copies', { familyCopies: false, reason: REASON })).toBe(
      `The family is not given copies: ${REASON}`,
    );
  });

  it('003: only an administrator changes them', () => {
    expect(() => requireSettingsAdmin({ id: 'u', name: 'Chair', roles: ['chair', 'business_support'] })).toThrow(
      /Only an administrator/,
    );
    expect(() => requireSettingsAdmin({ id: 'u', name: 'Admin', roles: ['admin'] })).not.toThrow();
  });
});

describe('W-4, 003: decisions and recommendations only', () => {
  const facts = documentFacts();
  /** Who the distribution list includes, as issuing makes the copies. */
  const included = (kind: (typeof DOCUMENT_KINDS)[number], choice: { distributeFullRecord?: boolean }) =>
    includedRecipients(
      distributionList({
        kind,
        attendees: facts.attendees,
        plans: facts.plans,
        childRecipientInviteeIds: [],
        subjectInviteeId: null,
        arrangements: [],
        noInvolvement: new Map(),
        overrides: [],
        ...choice,
      }),
    ).map((e) => ({ inviteeId: e.inviteeId, name: e.name, copy: e.copy }));
  const recipients = (kind: (typeof DOCUMENT_KINDS)[number], settings: CouncilSettings) =>
    included(kind, { distributeFullRecord: !keptOnFileOnly(kind, settings) });

  it('W-4, 003: the conference record is kept on the children’s file alone; the family and agencies get no copy', () => {
    expect(recipients('conference-record', decisionsOnly)).toEqual([
      { inviteeId: null, name: FILE_COPY_NAME, copy: { kind: 'full' } },
    ]);
    // By default (and when the option is not given at all) everyone on the register receives it.
    const everyone = recipients('conference-record', DEFAULT_COUNCIL_SETTINGS);
    expect(everyone.filter((r) => r.inviteeId !== null).length).toBeGreaterThan(1);
    expect(included('conference-record', {})).toEqual(everyone);
  });

  it('W-4, 003: the decision letter, the plan and core group letter and the chair’s summary still go out', () => {
    for (const kind of ['decision-letter', 'plan-and-core-group-letter', 'chairs-summary'] as const) {
      expect(recipients(kind, decisionsOnly)).toEqual(recipients(kind, DEFAULT_COUNCIL_SETTINGS));
      expect(recipients(kind, decisionsOnly).some((r) => r.copy.kind === 'parent')).toBe(true);
    }
  });
});

describe('A-1, 003: copies of recordings when the council does not give them to the family', () => {
  const conferenceChildren = [{ id: 'child-teen', dateOfBirth: d('2010-01-01') }];
  const assess = (requester: EligibilityInput['requester'], settings: CouncilSettings) =>
    assessEligibility({
      requester,
      receivedOn: d('2026-06-01'),
      conferenceChildren,
      prChildIds: ['child-teen'],
      familyCopiesRefusedReason: familyCopiesRefusedReason(settings),
    });

  it('A-1, 003: a person with parental responsibility, and a young person, are refused with the council’s reason', () => {
    for (const requester of [
      { type: 'pr-holder', personId: 'mum' },
      { type: 'child', childId: 'child-teen' },
    ]) {
      expect(assess(requester, noFamilyCopies)).toEqual(
        expect.objectContaining({ eligible: false, code: 'COUNCIL_POLICY', reason: REASON }),
      );
      expect(assess(requester, DEFAULT_COUNCIL_SETTINGS).eligible).toBe(true);
    }
  });

  it('A-1, 003: a court, another local authority and the council’s own services are not affected', () => {
    for (const requester of [
      { type: 'court', contactName: 'Clerk', courtName: 'Family Court', courtReference: 'FC-1' },
      {
        type: 'local-authority',
        contactName: 'Lee',
        authorityName: 'Northshire',
        authorityReference: 'N-1',
        authorityPurpose: 'transfer-in',
      },
      { type: 'complaints-service', contactName: 'Ann', complaintReference: 'CIS-1' },
      { type: 'qa-service', contactName: 'Quinn', qaPurpose: 'audit' },
    ]) {
      expect(assess(requester, noFamilyCopies).eligible).toBe(true);
    }
  });
});

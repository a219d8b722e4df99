import { describe, expect, it } from 'vitest';
import { type IsoDate, isoDate } from '../calendar/index.ts';
import { computedCalendar } from '../calendar/test-support.ts';
import {
  type InvitationFacts,
  buildInvitation,
  clockTimeAfter,
  describeInvitationMethod,
  describeReportSharing,
  familyInviteeKind,
  formatClockTime,
  formatDuration,
  inviteeReceivesMinutes,
  recordingNotice,
  reportSharingStatus,
} from './invitations.ts';

const d = (s: string) => s as IsoDate;

function facts(
  over: Partial<InvitationFacts> = {},
  recipient: Partial<InvitationFacts['recipient']> = {},
): InvitationFacts {
  return {
    councilName: 'Luton Children’s Services',
    issuedOn: d('2026-03-02'),
    conference: {
      type: 'initial',
      date: d('2026-03-16'),
      startTime: '14:30',
      durationMinutes: 90,
      venueKind: 'in-person',
      venueDetails: 'Room 2\nTown Hall\nLuton',
      onlineLink: null,
    },
    chairName: 'Cal Chair',
    contact: { name: 'Bo Support', email: 'bo@luton.gov.uk' },
    reportsSharedBy: d('2026-03-11'),
    children: [
      {
        givenNames: 'Ava',
        familyName: 'Okafor',
        dateOfBirth: d('2012-01-10'),
        expectedDeliveryDate: null,
        address: '12 Mill Lane\nLuton',
      },
      {
        givenNames: 'Baby',
        familyName: 'Okafor',
        dateOfBirth: null,
        expectedDeliveryDate: d('2026-08-20'),
        address: '12 Mill Lane\nLuton',
      },
    ],
    adults: [
      {
        name: 'Grace Okafor',
        dateOfBirth: d('1988-02-02'),
        address: '12 Mill Lane\nLuton',
        links: [{ childGivenNames: 'Ava', relationship: 'mother', parentalResponsibility: true }],
      },
    ],
    recipient: {
      kind: 'professional',
      name: 'Tess Teacher',
      address: null,
      roleTitle: 'Designated safeguarding lead',
      agencyName: 'Mill Lane Primary',
      ...recipient,
    },
    ...over,
  };
}

describe('invitation content', () => {
  it('tells every invitee about the recording (R-1), whoever they are', () => {
    for (const kind of ['professional', 'family-member', 'supporter', 'child', 'interpreter'] as const) {
      const c = buildInvitation(facts({}, { kind }));
      for (const p of recordingNotice()) expect(c.body, kind).toContain(p);
      expect(c.sections.some((s) => s.heading === 'The conference will be recorded')).toBe(true);
    }
    const notice = recordingNotice().join(' ');
    expect(notice).toContain('audio recorded');
    expect(notice).toContain('electronic record of each child');
    expect(notice).toContain('typed record');
    expect(notice).toContain('used by a court');
    expect(notice).toContain('quality');
  });

  it('gives a professional the names, dates of birth and addresses of the children and adults (001)', () => {
    const c = buildInvitation(facts());
    expect(c.includesAddresses).toBe(true);
    expect(c.body).toContain('- Ava Okafor, born 10 January 2012, of 12 Mill Lane, Luton');
    expect(c.body).toContain('- Baby Okafor, unborn, expected 20 August 2026, of 12 Mill Lane, Luton');
    expect(c.body).toContain(
      '- Grace Okafor, born 2 February 1988, of 12 Mill Lane, Luton: mother of Ava (has parental responsibility)',
    );
    expect(c.body).toContain('Date: Monday 16 March 2026');
    expect(c.body).toContain('Time: 2:30pm to about 4pm (expected to last 1 hour 30 minutes)');
    expect(c.body).toContain('Place: Room 2, Town Hall, Luton');
    expect(c.body).toContain('shared with the family by 11 March 2026');
    expect(c.recipientLines).toEqual(['Tess Teacher', 'Designated safeguarding lead', 'Mill Lane Primary']);
    expect(c.signOff).toEqual(['Yours sincerely,', 'Cal Chair, conference chair', 'Luton Children’s Services']);
  });

  it('keeps other people’s addresses out of letters to family, children and interpreters', () => {
    for (const kind of ['family-member', 'supporter', 'child', 'interpreter'] as const) {
      const c = buildInvitation(facts({}, { kind, name: 'Someone', address: '9 Own Road\nLuton' }));
      expect(c.includesAddresses, kind).toBe(false);
      expect(c.body, kind).toContain('Ava Okafor, born 10 January 2012');
      expect(c.body, kind).not.toContain('of 12 Mill Lane');
      expect(c.body, kind).not.toContain('Grace Okafor, born');
    }
    expect(
      buildInvitation(
        facts(
          {},
          {
            kind: 'family-member',
            name: 'Grace Okafor',
            address: '12 Mill Lane\nLuton',
            roleTitle: null,
            agencyName: null,
          },
        ),
      ).recipientLines,
    ).toEqual(['Grace Okafor', '12 Mill Lane', 'Luton']);
  });

  it('tells family they may bring a supporter and when they get the reports; tells supporters they get no minutes', () => {
    const family = buildInvitation(facts({}, { kind: 'family-member' })).body;
    expect(family).toContain('You can bring a friend, supporter or advocate');
    expect(family).toContain('shared with you, and explained, by 11 March 2026');
    const supporter = buildInvitation(facts({}, { kind: 'supporter' })).body;
    expect(supporter).toContain('You will not be sent the minutes or the conference record.');
    expect(supporter).not.toContain('shared with you, and explained');
  });

  it('writes to a child in words for a child, saying they need not come', () => {
    const c = buildInvitation(facts({}, { kind: 'child', name: 'Ava Okafor' }));
    expect(c.body).toContain('It is about you and your brothers and sisters.');
    expect(c.body).toContain('If you do not want to come, that is fine.');
  });

  it('puts no names in the subject, and describes online and hybrid venues', () => {
    const online = buildInvitation(
      facts({
        conference: {
          ...facts().conference,
          venueKind: 'online',
          venueDetails: null,
          onlineLink: 'https://teams.microsoft.com/l/x',
        },
      }),
    );
    expect(online.subject).toBe(
      'OFFICIAL-SENSITIVE: invitation to a child protection conference on Monday 16 March 2026 at 2:30pm',
    );
    expect(online.subject).not.toContain('Okafor');
    expect(online.body).toContain('Online with Microsoft Teams: https://teams.microsoft.com/l/x');
    expect(online.body).not.toContain('Place:');
    const hybrid = buildInvitation(
      facts({
        conference: { ...facts().conference, venueKind: 'hybrid', onlineLink: 'https://teams.microsoft.com/l/x' },
      }),
    );
    expect(hybrid.body).toContain('Place: Room 2, Town Hall, Luton');
    expect(hybrid.body).toContain('Or join online with Microsoft Teams');
  });

  it('describes each type’s purpose', () => {
    expect(buildInvitation(facts({ conference: { ...facts().conference, type: 'pre-birth' } })).body).toContain(
      'held before a baby is born',
    );
    expect(buildInvitation(facts({ conference: { ...facts().conference, type: 'review' } })).body).toContain(
      'whether the plan should continue, change or end',
    );
    expect(buildInvitation(facts({ conference: { ...facts().conference, type: 'transfer-in' } })).body).toContain(
      'moved into our area',
    );
  });
});

describe('invitees', () => {
  it('invites someone as a supporter only when every link is friend, supporter or advocate (W-4)', () => {
    expect(familyInviteeKind([{ relationship: 'mother' }])).toBe('family-member');
    expect(familyInviteeKind([{ relationship: 'supporter' }, { relationship: 'father' }])).toBe('family-member');
    expect(familyInviteeKind([{ relationship: 'advocate' }])).toBe('advocate');
    expect(familyInviteeKind([{ relationship: 'friend' }, { relationship: 'supporter' }])).toBe('friend');
    expect(inviteeReceivesMinutes('supporter')).toBe(false);
    expect(inviteeReceivesMinutes('friend')).toBe(false);
    expect(inviteeReceivesMinutes('family-member')).toBe(true);
    expect(inviteeReceivesMinutes('professional')).toBe(true);
  });

  it('names how an invitation went', () => {
    expect(describeInvitationMethod(null)).toBe('Not sent yet');
    expect(describeInvitationMethod('by-hand')).toBe('Delivered by hand');
    expect(describeInvitationMethod('arrived-on-the-day')).toBe('Not invited: came on the day');
  });
});

describe('times', () => {
  it('formats clock times the GOV.UK way', () => {
    expect(formatClockTime('09:00')).toBe('9am');
    expect(formatClockTime('12:00')).toBe('midday');
    expect(formatClockTime('12:30')).toBe('12:30pm');
    expect(formatClockTime('00:15')).toBe('12:15am');
    expect(formatClockTime('17:05')).toBe('5:05pm');
    expect(() => formatClockTime('9am')).toThrow();
  });
  it('adds a duration, refusing to run past midnight', () => {
    expect(clockTimeAfter('10:00', 150)).toBe('12:30');
    expect(clockTimeAfter('23:00', 60)).toBeNull();
    expect(formatDuration(60)).toBe('1 hour');
    expect(formatDuration(150)).toBe('2 hours 30 minutes');
    expect(formatDuration(45)).toBe('45 minutes');
  });
});

describe('reports to the family (T-5)', () => {
  const cal = computedCalendar;
  const due = isoDate(2026, 3, 11);
  const report = (over: Partial<Parameters<typeof reportSharingStatus>[0]> = {}) => ({
    isPolice: false,
    sharedWithFamilyOn: null,
    withheldReason: null,
    ...over,
  });

  it('is green in time, red late, by the date it reached the family', () => {
    expect(
      reportSharingStatus(report({ sharedWithFamilyOn: d('2026-03-11') }), due, d('2026-03-12'), cal),
    ).toMatchObject({ state: 'shared-in-time', rag: 'green' });
    expect(
      reportSharingStatus(report({ sharedWithFamilyOn: d('2026-03-12') }), due, d('2026-03-12'), cal),
    ).toMatchObject({ state: 'shared-late', rag: 'red' });
  });

  it('counts down while not shared: green, then amber 2 working days before, then red', () => {
    expect(reportSharingStatus(report(), due, d('2026-03-02'), cal)).toMatchObject({
      state: 'not-shared',
      rag: 'green',
    });
    expect(reportSharingStatus(report(), due, d('2026-03-09'), cal)).toMatchObject({
      state: 'not-shared',
      rag: 'amber',
      workingDaysLeft: 2,
    });
    expect(reportSharingStatus(report(), due, d('2026-03-12'), cal)).toMatchObject({
      state: 'not-shared',
      rag: 'red',
      status: 'overdue',
    });
  });

  it('never counts a police report as late: it is not shared without the chair (002 §3.4)', () => {
    const s = reportSharingStatus(report({ isPolice: true }), due, d('2026-03-12'), cal);
    expect(s).toEqual({ state: 'police-not-shared', due, rag: 'grey' });
    expect(describeReportSharing(s)).toContain('not shared with the family unless the chair agrees');
  });

  it('shows a withheld report with its reason', () => {
    const s = reportSharingStatus(report({ withheldReason: 'Refuge address' }), due, d('2026-03-12'), cal);
    expect(s).toEqual({ state: 'withheld', reason: 'Refuge address', rag: 'grey' });
    expect(describeReportSharing(s)).toBe('Withheld from the family: Refuge address');
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkConsentRound,
  checkFamilyCopy,
  checkMeetingRequest,
  consentPrompts,
  detectFamilyCopyFormat,
  promptText,
  roundOutcome,
} from './consent.ts';

const present = [
  { inviteeId: 'mum', name: 'Grace Okafor' },
  { inviteeId: 'pc', name: 'DC Priya Shah' },
];

describe('asking everyone present (P-4)', () => {
  it('P-4: everyone present must answer, and a refusal needs the reason or the further authorisation needed', () => {
    const { problems } = checkConsentRound(
      {
        occasion: 'start',
        askedAt: '10:02',
        answers: [{ inviteeId: 'pc', answer: 'refuses', reason: ' ', furtherAuthorisation: '' }],
      },
      present,
    );
    expect(problems).toEqual([
      { field: 'answer-mum', message: 'Select whether Grace Okafor agrees to the recording' },
      {
        field: 'reason-pc',
        message: 'Enter why DC Priya Shah does not agree, or what further authorisation is needed',
      },
    ]);
  });

  it('P-4: the time is read like the register’s ("2pm") and a refusal keeps only what was typed', () => {
    const { problems, checked } = checkConsentRound(
      {
        occasion: 'joined',
        askedAt: '2pm',
        answers: [
          { inviteeId: 'mum', answer: 'agrees', reason: 'ignored', furtherAuthorisation: '' },
          { inviteeId: 'pc', answer: 'refuses', reason: '', furtherAuthorisation: 'Legal advice first' },
        ],
      },
      present,
    );
    expect(problems).toEqual([]);
    expect(checked).toEqual({
      occasion: 'joined',
      askedAt: '14:00',
      consents: [
        { inviteeId: 'mum', answer: 'agrees', reason: null, furtherAuthorisation: null },
        { inviteeId: 'pc', answer: 'refuses', reason: null, furtherAuthorisation: 'Legal advice first' },
      ],
    });
    expect(roundOutcome(checked.consents)).toBe('not-agreed');
    expect(roundOutcome(checked.consents.slice(0, 1))).toBe('agreed');
  });

  it('P-4: nobody on the register yet, a missing occasion or an unreadable time are each refused', () => {
    const { problems } = checkConsentRound({ occasion: 'x', askedAt: 'soon', answers: [] }, []);
    expect(problems.map((p) => p.field)).toEqual(['occasion', 'askedAt', 'answers']);
  });
});

describe('prompting the chair (P-4, P-5)', () => {
  const requests = [
    { key: 'permission:a', requesterName: 'Grace Okafor', madeDuringMeeting: false },
    { key: 'meeting:b', requesterName: 'Ava Okafor', madeDuringMeeting: true },
  ];
  const on = (requestKey: string, inviteeIds: string[], minute: number) => ({
    requestKey,
    askedAt: '10:00',
    createdAt: new Date(Date.UTC(2026, 2, 2, 10, minute)),
    inviteeIds,
  });

  it('P-4, P-5: a request nobody was asked about prompts before any discussion, or a stop for one made in the meeting', () => {
    const prompts = consentPrompts(requests, [], [{ inviteeId: 'mum', name: 'Grace Okafor', joined: false }]);
    expect(prompts.map((p) => p.kind)).toEqual(['before-discussion', 'new-request']);
    expect(promptText(prompts[1]!)).toBe(
      'Ava Okafor asked to record during the meeting. Stop the meeting and ask everyone present whether they agree before going on.',
    );
  });

  it('P-5: a professional who joins late prompts until the latest round includes them', () => {
    const present = [
      { inviteeId: 'mum', name: 'Grace Okafor', joined: false },
      { inviteeId: 'hv', name: 'Nia Evans', joined: true },
    ];
    const first = [on('permission:a', ['mum'], 0)];
    const prompts = consentPrompts(requests.slice(0, 1), first, present);
    expect(prompts).toEqual([
      {
        kind: 'joined',
        requestKey: 'permission:a',
        requesterName: 'Grace Okafor',
        people: [{ inviteeId: 'hv', name: 'Nia Evans' }],
      },
    ]);
    expect(promptText(prompts[0]!)).toContain('Nia Evans joined after consent to Grace Okafor’s recording was asked');
    expect(consentPrompts(requests.slice(0, 1), [...first, on('permission:a', ['mum', 'hv'], 30)], present)).toEqual(
      [],
    );
  });
});

describe('a request made during the meeting (P-1, P-5, P-7)', () => {
  const register = [
    { inviteeId: 'mum', name: 'Grace Okafor', kind: 'family-member', parentalResponsibility: true },
    { inviteeId: 'gran', name: 'Rose Okafor', kind: 'family-member', parentalResponsibility: false },
    { inviteeId: 'ava', name: 'Ava Okafor', kind: 'child', parentalResponsibility: false },
  ];

  it('P-1: only the child or a parent with PR may ask; P-7: the limits are accepted first', () => {
    expect(
      checkMeetingRequest(
        { requesterInviteeId: 'gran', askedAt: '10:40', purpose: 'x', limitsAccepted: false },
        register,
      ).problems.map((p) => p.field),
    ).toEqual(['requester', 'limitsAccepted']);
    expect(
      checkMeetingRequest(
        { requesterInviteeId: 'ava', askedAt: '10.40am', purpose: ' To remember ', limitsAccepted: true },
        register,
      ),
    ).toEqual({ problems: [], askedAt: '10:40', purpose: 'To remember' });
  });
});

describe('the family’s copy (P-7)', () => {
  it('P-7: is recognised by its content, never its name', () => {
    expect(detectFamilyCopyFormat(new TextEncoder().encode('ID3\u0004rest'))).toBe('mp3');
    expect(detectFamilyCopyFormat(new TextEncoder().encode('\0\0\0\u0020ftypM4A '))).toBe('m4a');
    expect(detectFamilyCopyFormat(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBe('wav');
    expect(detectFamilyCopyFormat(new TextEncoder().encode('%PDF-1.7'))).toBeNull();
  });

  it('P-7: says whose recording it is, when and by whom it was handed over, never in the future', () => {
    const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
    expect(
      checkFamilyCopy(
        { requestKey: 'x', handedOverOn: '2026-03-03', handedOverBy: '' },
        ['permission:a'],
        '2026-03-02',
        isDate,
      ).problems.map((p) => p.field),
    ).toEqual(['request', 'handedOverOn', 'handedOverBy']);
  });
});

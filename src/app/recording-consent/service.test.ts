import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { buildConferenceRecord } from '../../domain/documents/builders/conference-record.ts';
import { AccessDeniedError } from '../../domain/shared/errors.ts';
import { buildInput } from '../../../test/support/document-facts.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../test/support/conferences.ts';
import { as, problemsOf as problemFields } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { loadDocumentFacts } from '../documents/facts-loader.ts';
import { recordingsFor } from '../requests/request-support.ts';
import type { ConsentRoundRequest, RecordingConsentService } from './service.ts';

/** A small WAV file: RIFF header and a little silence. */
function wav(): Uint8Array {
  const b = Buffer.alloc(64);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(56, 4);
  b.write('WAVE', 8, 'latin1');
  b.write('fmt ', 12, 'latin1');
  return new Uint8Array(b);
}

async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe.each(testDatabases())('the family’s recording on the day, P-4 to P-7 (%s)', (kind) => {
  let ctx: TestContext;
  let consent: RecordingConsentService;
  let sw: Actor;
  let otherSw: Actor;
  let chair: Actor;
  let support: Actor;
  let g: SiblingGroupConference;
  let requestKey: string;

  const answers = (
    o: Record<string, { answer: string; reason?: string; furtherAuthorisation?: string }>,
  ): ConsentRoundRequest['answers'] =>
    Object.entries(o).map(([inviteeId, a]) => ({
      inviteeId,
      answer: a.answer,
      reason: a.reason ?? '',
      furtherAuthorisation: a.furtherAuthorisation ?? '',
    }));

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    consent = ctx.services.recordingConsent;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Ola Other', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    ctx.clock.current = new Date('2026-03-02T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    // The mother asked beforehand, signed the undertaking and was allowed to record (P-1, P-2, P-3).
    const request = await ctx.services.uow.run((r) =>
      r.recordingPermission.insert({
        conferenceId: g.conferenceId,
        childId: null,
        meetingKind: 'conference',
        meetingDate: null,
        meetingTime: null,
        organiser: null,
        requesterKind: 'family',
        requesterChildId: null,
        requesterPersonId: g.people.mother,
        requesterName: 'Grace Okafor',
        askedAt: new Date('2026-02-25T10:00:00Z'),
        method: 'email',
        purpose: 'I find it hard to remember what is said when I am stressed.',
        undertakingMethod: 'online',
        undertakingFile: null,
        undertakingSignedAt: new Date('2026-02-25T10:00:00Z'),
        undertakingSignedVia: 'online',
        hoursBefore: 120,
        late: false,
        status: 'awaiting-decision',
        notEligibleReason: null,
        createdByUserId: sw.id,
        at: new Date('2026-02-25T10:00:00Z'),
      }),
    );
    await ctx.services.uow.run((r) =>
      r.recordingPermission.update(request.id, request.version, {
        status: 'granted',
        decision: {
          grounds: [],
          alternatives: [],
          alternativesNote: null,
          reasons: 'Recording will help her follow the meeting.',
          byUserId: chair.id,
        },
        at: new Date('2026-02-26T10:00:00Z'),
      }),
    );
    requestKey = `permission:${request.id}`;
    await ctx.services.meeting.recordAttendance(
      chair,
      g.conferenceId,
      g.partId,
      [g.invitee.mother, g.invitee.socialWorker, g.invitee.police, g.invitee.school].map((inviteeId) => ({
        inviteeId,
        status: 'attended' as const,
        joinedAt: null,
        leftAt: null,
        interpreterUsed: false,
      })),
      as(chair),
    );
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('P-4: before any discussion the chair is prompted to ask everyone present about the permitted request', async () => {
    const day = await consent.onTheDay(chair, g.conferenceId, as(chair));
    expect(day.requests.map((r) => [r.key, r.onTheDay, r.limitsAccepted])).toEqual([[requestKey, true, true]]);
    expect(day.prompts.map((p) => p.kind)).toEqual(['before-discussion']);
    expect(day.present.map((p) => p.name)).toEqual(['Grace Okafor', 'DC Priya Shah', 'Sam Worker', 'Tom Reid']);
    const meeting = await ctx.services.meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(meeting.recordingConsentPrompts).toEqual([
      'Grace Okafor has asked to record the meeting. Before any discussion, ask everyone present whether they agree, and record each answer.',
    ]);
  });

  it('P-4: everyone present answers; a refusal needs the reason or the further authorisation needed', async () => {
    expect(
      await problemFields(
        consent.askConsent(
          chair,
          g.conferenceId,
          {
            request: requestKey,
            occasion: 'start',
            askedAt: '10:02',
            answers: answers({
              [g.invitee.mother]: { answer: 'agrees' },
              [g.invitee.police]: { answer: 'refuses' },
            }),
          },
          as(chair),
        ),
      ),
    ).toEqual([
      [`reason-${g.invitee.police}`, 'Enter why DC Priya Shah does not agree, or what further authorisation is needed'],
      [`answer-${g.invitee.socialWorker}`, 'Select whether Sam Worker agrees to the recording'],
      [`answer-${g.invitee.school}`, 'Select whether Tom Reid agrees to the recording'],
    ]);
  });

  it('P-4: three agree and one refuses: the family may not record, the meeting goes on, and it is audited', async () => {
    const round = await consent.askConsent(
      chair,
      g.conferenceId,
      {
        request: requestKey,
        occasion: 'start',
        askedAt: '10:02',
        answers: answers({
          [g.invitee.mother]: { answer: 'agrees' },
          [g.invitee.socialWorker]: { answer: 'agrees' },
          [g.invitee.police]: {
            answer: 'refuses',
            reason: 'A criminal investigation is under way.',
            furtherAuthorisation: 'Advice from the police’s legal team',
          },
          [g.invitee.school]: { answer: 'agrees' },
        }),
      },
      as(chair),
    );
    expect(round.outcome.value).toBe('not-agreed');
    expect(round.consents.find((c) => c.inviteeId === g.invitee.police)).toMatchObject({
      answer: { value: 'refuses' },
      reason: 'A criminal investigation is under way.',
      furtherAuthorisation: 'Advice from the police’s legal team',
    });
    const day = await consent.onTheDay(chair, g.conferenceId, as(chair));
    expect(day.prompts).toEqual([]);
    expect(day.requests[0]!.outcome!.value).toBe('not-agreed');
    // The meeting is not held up: it is still in progress.
    expect((await ctx.services.meeting.getMeeting(chair, g.conferenceId, as(chair))).conference.status).toBe(
      'in-progress',
    );
    const [audit] = await auditRows(ctx, 'recording-consent.ask');
    expect(audit!.details).toEqual({
      roundId: round.id,
      occasion: 'start',
      asked: 4,
      refused: 1,
      outcome: 'not-agreed',
    });
    expect(JSON.stringify(audit)).not.toContain('investigation');
  });

  it('P-5: a professional who joins late prompts the chair to stop and ask again, until their answer (a refusal) is recorded', async () => {
    await ctx.services.meeting.recordAttendance(
      chair,
      g.conferenceId,
      g.partId,
      [{ inviteeId: g.invitee.healthVisitor, status: 'attended', joinedAt: 30, leftAt: null, interpreterUsed: false }],
      as(chair),
    );
    const day = await consent.onTheDay(chair, g.conferenceId, as(chair));
    expect(day.prompts).toMatchObject([{ kind: 'joined', people: [{ name: 'Nia Evans' }] }]);
    expect(day.present.find((p) => p.name === 'Nia Evans')!.joined).toBe(true);
    const meeting = await ctx.services.meeting.getMeeting(support, g.conferenceId, as(support));
    expect(meeting.recordingConsentPrompts[0]).toContain('Nia Evans joined after consent');
    await consent.askConsent(
      support,
      g.conferenceId,
      {
        request: requestKey,
        occasion: 'joined',
        askedAt: '10:31',
        answers: answers({
          [g.invitee.mother]: { answer: 'agrees' },
          [g.invitee.socialWorker]: { answer: 'agrees' },
          [g.invitee.police]: { answer: 'refuses', reason: 'As before.' },
          [g.invitee.school]: { answer: 'agrees' },
          [g.invitee.healthVisitor]: { answer: 'refuses', reason: 'I was not told in advance.' },
        }),
      },
      as(support),
    );
    expect((await consent.onTheDay(chair, g.conferenceId, as(chair))).prompts).toEqual([]);
  });

  it('P-5: someone added to the register as arriving on the day prompts again; answers from an upper-case id count', async () => {
    const { inviteeId } = await ctx.services.meeting.addArrival(
      chair,
      g.conferenceId,
      {
        source: 'new-professional',
        kind: 'professional',
        name: 'Jo Nurse',
        roleTitle: 'School nurse',
        agencyId: g.agencies.healthVisiting,
        directContact: false,
        partIds: [g.partId],
      },
      as(chair),
    );
    const day = await consent.onTheDay(chair, g.conferenceId, as(chair));
    expect(day.prompts).toMatchObject([{ kind: 'joined', people: [{ inviteeId, name: 'Jo Nurse' }] }]);
    expect(day.present.find((p) => p.inviteeId === inviteeId)!.joined).toBe(true);
    await consent.askConsent(
      chair,
      g.conferenceId,
      {
        request: requestKey.toUpperCase().replace('PERMISSION', 'permission'),
        occasion: 'joined',
        askedAt: '10:50',
        answers: day.present.map((p) => ({
          inviteeId: p.inviteeId.toUpperCase(),
          answer: p.inviteeId === inviteeId ? 'refuses' : 'agrees',
          reason: p.inviteeId === inviteeId ? 'I need to ask my manager first.' : '',
          furtherAuthorisation: '',
        })),
      },
      as(chair),
    );
    expect((await consent.onTheDay(chair, g.conferenceId, as(chair))).prompts).toEqual([]);
  });

  it('P-1, P-5: a new request made in the meeting by a parent with PR prompts the chair; someone else may not ask', async () => {
    expect(
      await problemFields(
        consent.recordMeetingRequest(
          chair,
          g.conferenceId,
          { requesterInviteeId: g.invitee.police, askedAt: '10:40', purpose: 'x', limitsAccepted: false },
          as(chair),
        ),
      ),
    ).toEqual([
      ['requester', expect.stringContaining('Only a child or young person the meeting is about')],
      ['limitsAccepted', 'Confirm they accepted the limits on the recording before anyone is asked'],
    ]);
    const made = await consent.recordMeetingRequest(
      chair,
      g.conferenceId,
      {
        requesterInviteeId: g.invitee.mother,
        askedAt: '10:40',
        purpose: 'To record the plan being agreed.',
        limitsAccepted: true,
      },
      as(chair),
    );
    expect(made).toMatchObject({ madeDuringMeeting: true, askedText: 'Asked during the meeting at 10:40' });
    const day = await consent.onTheDay(chair, g.conferenceId, as(chair));
    expect(day.prompts).toMatchObject([{ kind: 'new-request', requestKey: made.key }]);
    expect(day.requesters.map((r) => r.name)).toEqual(['Grace Okafor']);
  });

  it('P-4: only the chair or business support record answers; a refusal of access is audited', async () => {
    await expect(
      consent.askConsent(
        sw,
        g.conferenceId,
        { request: requestKey, occasion: 'start', askedAt: '10:02', answers: [] },
        as(sw),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(consent.onTheDay(otherSw, g.conferenceId, as(otherSw))).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = (await auditRows(ctx)).filter(
      (r) => r.outcome === 'denied' && String(r.action).startsWith('recording-consent'),
    );
    expect(denied.map((r) => r.action)).toEqual(['recording-consent.ask', 'recording-consent.view']);
  });

  it('P-7: a copy of the family’s recording is stored encrypted, opened with an audit, and never offered through copy requests', async () => {
    expect(
      await problemFields(
        consent.storeCopy(
          support,
          g.conferenceId,
          { request: requestKey, handedOverOn: '2026-03-03', handedOverBy: '', content: new Uint8Array([1, 2, 3]) },
          as(support),
        ),
      ),
    ).toEqual([
      ['handedOverOn', 'The date the copy was handed over must be today or in the past'],
      ['handedOverBy', 'Enter who handed the copy over'],
      ['file', 'The selected file must be an audio recording: MP3, M4A, WAV, OGG, WebM or AMR'],
    ]);
    const bytes = wav();
    const copy = await consent.storeCopy(
      support,
      g.conferenceId,
      {
        request: requestKey,
        handedOverOn: '2026-03-02',
        handedOverBy: 'Grace Okafor, at the end of the meeting',
        content: bytes,
      },
      as(support),
    );
    expect(copy).toMatchObject({ requesterName: 'Grace Okafor', format: 'wav', size: 64 });
    // Encrypted at rest like every recording (age), bound to the copy.
    const [stored] = await ctx.services.uow.run((r) => r.recordingConsent.listCopies(g.conferenceId));
    const raw = await readAll(await ctx.services.blobs.get(stored!.blobKey));
    expect(raw.subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
    expect(raw.includes(Buffer.from('WAVE'))).toBe(false);
    const file = await consent.openCopy(chair, g.conferenceId, copy.id, as(chair));
    expect(file.fileName).toContain('family-recording-not-the-official-record');
    expect(Buffer.compare(await readAll(file.stream), Buffer.from(bytes))).toBe(0);
    expect((await auditRows(ctx, 'family-recording.download')).map((r) => r.details)).toEqual([
      { familyRecordingId: copy.id },
    ]);
    // Someone who may not see the children is refused, and that is audited.
    await expect(consent.openCopy(otherSw, g.conferenceId, copy.id, as(otherSw))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    expect((await auditRows(ctx, 'family-recording.download')).map((r) => r.outcome)).toEqual(['success', 'denied']);
    // Never offered through copy requests: not among the conference's recordings a request chooses from.
    const choices = await ctx.services.uow.run((r) => recordingsFor(r, g.conferenceId));
    expect(choices.recordings).toEqual([]);
    const conferences = await ctx.services.requests.conferencesToRequest(support, [g.children.ava], as(support));
    expect(conferences.find((c) => c.id === g.conferenceId)?.recordings).toBe(0);
  });

  it('P-6, P-7: the conference record shows every request, each answer and outcome, the limits and the copy', async () => {
    const { facts } = await ctx.services.uow.run((r) =>
      loadDocumentFacts(r, g.conferenceId, { name: 'Test Council', contact: 'Conference team' }),
    );
    const f = facts.familyRecording!;
    expect(f.requests.map((r) => [r.requesterName, r.rounds.length, r.limitsAccepted])).toEqual([
      ['Grace Okafor', 3, true],
      ['Grace Okafor', 0, true],
    ]);
    expect(f.requests[0]!.decision).toBe('Recording allowed: Recording will help her follow the meeting.');
    expect(f.copies).toEqual([{ requesterName: 'Grace Okafor', handedOverOn: '2026-03-02' }]);
    const doc = buildConferenceRecord(buildInput('conference-record', { facts }));
    const section = JSON.stringify(doc.blocks.find((b) => b.type === 'section' && b.id === 'family-recording'));
    expect(section).toContain('A criminal investigation is under way.');
    expect(section).toContain('Further authorisation needed: Advice from the police’s legal team');
    expect(section).toContain('must not be shared on social media');
    expect(section).toContain('It is the family’s recording, not the official record.');
  });
});

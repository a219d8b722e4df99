import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, ConflictError } from '../../domain/shared/errors.ts';
import { caseNotes } from '../../infra/db/schema.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../test/support/conferences.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { as, giveMotherEmail, problemsOf } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { NewPermissionRequestInput, RecordingPermissionService } from './service.ts';

const PDF = new TextEncoder().encode('%PDF-1.7\nsigned notice of intent\n%%EOF\n');

const problemFields = async (p: Promise<unknown>) => (await problemsOf(p)).map(([field]) => field);

function asked(overrides: Partial<NewPermissionRequestInput> = {}): NewPermissionRequestInput {
  return {
    requester: { kind: 'someone-else', name: 'Nobody' },
    askedOn: '2026-02-20',
    askedAtTime: '09:00',
    method: 'phone',
    purpose: 'She finds it hard to remember what is said when she is stressed.',
    undertaking: 'upload',
    file: PDF,
    ...overrides,
  };
}

describe.each(testDatabases())('permission to record a meeting: the request and the decision (%s)', (kind) => {
  let ctx: TestContext;
  let service: RecordingPermissionService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let stranger: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.recordingPermission;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    stranger = await staff(ctx, 'Sol Other', ['social_worker']);
    ctx.clock.current = new Date('2026-02-20T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await giveMotherEmail(ctx, g);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('P-1: a parent with PR for every child asks with the signed notice attached; it waits for the chair’s decision', async () => {
    const saved = await service.record(
      support,
      { conferenceId: g.conferenceId.toUpperCase() },
      asked({ requester: { kind: 'family', personId: g.people.mother } }),
      as(support),
    );
    expect(saved).toMatchObject({
      requester: { kind: 'family', name: 'Grace Okafor' },
      status: { value: 'awaiting-decision' },
      undertaking: { method: 'upload', signed: true, file: { format: 'pdf' } },
      notice: { late: false },
      meeting: { kind: 'conference', conferenceId: g.conferenceId },
    });
    const file = await service.undertakingFile(chair, saved.id, as(chair));
    expect(file.mediaType).toBe('application/pdf');
    const rows = await auditRows(ctx, 'recording-permission.record');
    expect(JSON.stringify(rows.at(-1)!.details)).not.toContain('Grace');
  });

  it('P-1: the advocate (no PR) and someone else may not ask: recorded, refused with the reason, a case note on each child', async () => {
    const advocate = await service.record(
      support,
      { conferenceId: g.conferenceId },
      asked({ requester: { kind: 'family', personId: g.people.advocate }, file: null, undertaking: 'later' }),
      as(support),
    );
    expect(advocate.status.value).toBe('not-eligible');
    expect(advocate.notEligibleReason).toContain('parental responsibility');
    const other = await service.record(
      support,
      { conferenceId: g.conferenceId },
      asked({ requester: { kind: 'someone-else', name: 'A neighbour' }, undertaking: 'later', file: null }),
      as(support),
    );
    expect(other.status.value).toBe('not-eligible');
    const notes = await ctx.services.database.db
      .select()
      .from(caseNotes)
      .where(eq(caseNotes.kind, 'recording-permission'));
    expect(notes.filter((n) => n.childId === g.children.ava)).toHaveLength(2);
    expect(notes.filter((n) => n.childId === g.children.ben)).toHaveLength(2);
  });

  it('P-2, T-11: a father with PR for one child asks 30 hours before: accepted but flagged, the chair emailed, the child without PR named', async () => {
    ctx.clock.current = new Date('2026-03-01T05:00:00Z');
    const late = await service.record(
      support,
      { conferenceId: g.conferenceId },
      asked({
        requester: { kind: 'family', personId: g.people.father },
        askedOn: '2026-03-01',
        askedAtTime: '04:00',
        undertaking: 'later',
        file: null,
      }),
      as(support),
    );
    expect(late.notice).toEqual({ hoursBefore: 30, late: true });
    expect(late.status.value).toBe('awaiting-undertaking');
    const [email] = await readOutbox(ctx.services.database, { template: 'recording-permission-short-notice' });
    expect(email!.to).toBe('cal.chair@example.gov.uk');
    expect(email!.body).toContain(`/recording-permission/${late.id}`);
    expect(email!.body).not.toContain('Mensah');
    const detail = await service.detail(chair, late.id, as(chair));
    expect(detail.childrenWithoutPr).toEqual(['Ava']);
    expect(detail.can.decide).toBe(true);
    // P-1: recording cannot be allowed before the undertaking is signed.
    expect(
      await problemFields(
        service.decide(
          chair,
          late.id,
          {
            version: late.version,
            outcome: 'granted',
            grounds: [],
            alternatives: [],
            alternativesNote: '',
            reasons: 'Fine',
          },
          as(chair),
        ),
      ),
    ).toEqual(['outcome']);
    const { waiting } = await service.waiting(chair, as(chair));
    expect(waiting.find((w) => w.request.id === late.id)).toMatchObject({
      mine: true,
      request: { notice: { late: true } },
    });
  });

  it('P-2, P-6, P-3: professionals disagree; only the chair decides; a refusal needs a ground with evidence and an alternative; confirmed by email and letter', async () => {
    ctx.clock.current = new Date('2026-02-21T10:00:00Z');
    const r = await service.record(
      support,
      { conferenceId: g.conferenceId },
      asked({ requester: { kind: 'family', personId: g.people.mother }, askedOn: '2026-02-21' }),
      as(support),
    );
    await service.recordView(
      support,
      r.id,
      { inviteeId: g.invitee.police, view: 'against', reason: 'Police information' },
      as(support),
    );
    const d = await service.recordView(
      support,
      r.id,
      { inviteeId: g.invitee.school, view: 'for', reason: '' },
      as(support),
    );
    expect(d.disagreement).toBe(true);
    expect(
      await problemFields(
        service.recordView(support, r.id, { inviteeId: g.invitee.mother, view: 'against', reason: 'x' }, as(support)),
      ),
    ).toEqual(['inviteeId']);

    const base = { version: r.version, alternativesNote: '', reasons: 'Ben’s father objects.' };
    await expect(
      service.decide(sw, r.id, { ...base, outcome: 'refused', grounds: [], alternatives: [] }, as(sw)),
    ).rejects.toThrow(AccessDeniedError);
    const denied = await auditRows(ctx, 'recording-permission.decide');
    expect(denied.at(-1)).toMatchObject({ outcome: 'denied', details: { reason: 'not the conference chair' } });
    expect(
      await problemFields(
        service.decide(
          chair,
          r.id,
          { ...base, outcome: 'refused', grounds: [{ ground: 'pr-holder-objects', evidence: '' }], alternatives: [] },
          as(chair),
        ),
      ),
    ).toEqual(['evidence-pr-holder-objects', 'alternatives']);
    const refused = await service.decide(
      chair,
      r.id,
      {
        ...base,
        outcome: 'refused',
        grounds: [{ ground: 'pr-holder-objects', evidence: 'Daniel told the social worker on 19 February.' }],
        alternatives: ['service-recording-copy', 'note-taker'],
      },
      as(chair),
    );
    expect(refused.decision).toMatchObject({
      outcome: 'refused',
      grounds: [{ ground: 'pr-holder-objects' }],
      alternatives: [{ value: 'service-recording-copy' }, { value: 'note-taker' }],
      decidedBy: 'Cal Chair',
    });
    await expect(
      service.decide(
        chair,
        r.id,
        { ...base, version: refused.version, outcome: 'granted', grounds: [], alternatives: [] },
        as(chair),
      ),
    ).rejects.toThrow(ConflictError);
    const notes = await ctx.services.database.db.select().from(caseNotes).where(eq(caseNotes.childId, g.children.ben));
    const note = notes.find((n) => n.text.includes('refused it'))!;
    expect(note.text).toContain('Professionals disagreed');
    expect(note.text).toContain('the chair decided');

    const detail = await service.detail(support, r.id, as(support));
    expect(detail.letter!.body).toContain('We cannot agree to the meeting being recorded.');
    expect(detail.letter!.body).toContain('A note-taker');
    expect(detail.can.confirm).toBe(true);
    const confirmed = await service.confirm(support, r.id, { version: refused.version }, as(support));
    expect(confirmed.confirmed).toMatchObject({ byEmail: true });
    const [email] = await readOutbox(ctx.services.database, {
      to: 'grace@example.org',
      template: 'recording-permission-decision',
    });
    expect(email!.body).toContain('We cannot agree to the meeting being recorded.');
    const { unconfirmed } = await service.waiting(chair, as(chair));
    expect(unconfirmed.some((u) => u.request.id === r.id)).toBe(false);
  });

  it('P-6: once a request is recorded, every invitation says the family has asked to record the conference', async () => {
    const { content } = await ctx.services.convening.invitationContent(
      support,
      g.conferenceId,
      g.invitee.police,
      as(support),
    );
    expect(content.body).toContain('The family has asked to record the conference');
  });

  it('another meeting about a child: a core group recorded by date, time and organiser; the social worker decides and grants it', async () => {
    ctx.clock.current = new Date('2026-04-01T09:00:00Z');
    const r = await service.record(
      sw,
      { childId: g.children.ava, kind: 'core-group', date: '2026-04-10', time: '14:00', organiser: 'Sam Worker' },
      asked({ requester: { kind: 'child', childId: g.children.ava }, askedOn: '2026-04-01', askedAtTime: '09:00' }),
      as(sw),
    );
    expect(r.meeting).toMatchObject({ kind: 'core-group', title: 'Core group meeting', date: '2026-04-10' });
    expect(r.requester.name).toBe('Ava Okafor');
    const granted = await service.decide(
      sw,
      r.id,
      {
        version: r.version,
        outcome: 'granted',
        grounds: [],
        alternatives: [],
        alternativesNote: '',
        reasons: 'Ava finds it hard to remember.',
      },
      as(sw),
    );
    expect(granted.status.value).toBe('granted');
    // P-3: the letter is addressed to the young person at the address on their record, and says what comes next.
    const { letter } = await service.detail(sw, r.id, as(sw));
    expect(letter!.recipientLines).toEqual(['Ava Okafor', '1 Test Street', 'Testtown']);
    expect(letter!.body).toContain('You may record the meeting.');
    expect(letter!.body).toContain('ask everyone there whether they agree');
    // P-3: administrators word the letter apart from the email: the letter changes, the email's wording does not.
    await ctx.services.letterWording.saveLetter(
      'letter-recording-permission-decision',
      { body: 'To ((requester_name)): ((decision)) ((reasons))', version: 0 },
      as(sw),
    );
    const reworded = await service.detail(sw, r.id, as(sw));
    expect(reworded.letter!.body).toBe('To Ava Okafor: You may record the meeting. Ava finds it hard to remember.');
    expect(
      (await ctx.services.mail.listTemplates()).find((t) => t.definition.key === 'recording-permission-decision'),
    ).toMatchObject({ customised: false });
    // The child's record lists the requests about its conferences as well as its other meetings, oldest asked first.
    const aboutConference = (await service.forConference(sw, g.conferenceId, as(sw))).requests.map((x) => x.id);
    expect(aboutConference.length).toBeGreaterThan(0);
    const list = await service.forChild(sw, g.children.ava, as(sw));
    expect(list.requests.map((x) => x.id)).toEqual([...aboutConference, r.id]);
    expect(list.requests.at(0)!.meeting.kind).toBe('conference');
    // Ben is in the conference but not the core group: only the conference's requests are on his record.
    expect((await service.forChild(sw, g.children.ben, as(sw))).requests.map((x) => x.id)).toEqual(aboutConference);
    expect(
      await problemFields(
        service.record(
          sw,
          { childId: g.children.ava, kind: 'party', date: '2026-13-01', time: '25:00', organiser: '' },
          asked({ requester: { kind: 'child', childId: g.children.ava }, file: new TextEncoder().encode('not a pdf') }),
          as(sw),
        ),
      ),
    ).toEqual(['meetingKind', 'meetingDate', 'meetingTime', 'organiser', 'file']);
  });

  it('access: someone who may not see the children is refused every view and change, and each refusal is audited', async () => {
    await expect(service.forConference(stranger, g.conferenceId, as(stranger))).rejects.toThrow(AccessDeniedError);
    const list = await service.forConference(chair, g.conferenceId, as(chair));
    await expect(service.detail(stranger, list.requests[0]!.id, as(stranger))).rejects.toThrow(AccessDeniedError);
    await expect(service.record(stranger, { conferenceId: g.conferenceId }, asked(), as(stranger))).rejects.toThrow(
      AccessDeniedError,
    );
    const denials = (await auditRows(ctx)).filter(
      (a) => a.outcome === 'denied' && a.action.startsWith('recording-permission'),
    );
    expect(denials.length).toBeGreaterThanOrEqual(3);
    const { waiting } = await service.waiting(stranger, as(stranger));
    expect(waiting).toEqual([]);
  });
});

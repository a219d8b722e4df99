import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, ConflictError, StaleRecordError } from '../../domain/shared/errors.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { attendance, caseNotes } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../test/support/conferences.ts';
import { as, covertDiscovery, problemsOf as problemFields } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import {
  type NewUnpermittedRecording,
  type RecordingIncidentService,
  unpermittedRecordingFacts,
} from './recording-incident-service.ts';

const discovery = covertDiscovery;

describe.each(testDatabases())('when recording goes wrong, P-8 and P-9 (%s)', (kind) => {
  let ctx: TestContext;
  let incidents: RecordingIncidentService;
  let sw: Actor;
  let chair: Actor;
  let otherChair: Actor;
  let support: Actor;
  let manager: Actor;
  let qa: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    incidents = ctx.services.recordingIncidents;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    otherChair = await staff(ctx, 'Oli Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    manager = await staff(ctx, 'Tam Manager', ['team_manager']);
    qa = await staff(ctx, 'Quin Assurance', ['qa_manager']);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    // The mother (parental responsibility) and her advocate (none) attended.
    await ctx.services.database.db.insert(attendance).values([
      { partId: g.partId, inviteeId: g.invitee.mother, status: 'attended' },
      { partId: g.partId, inviteeId: g.invitee.advocate, status: 'attended' },
    ]);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const unpermitted = (o: Partial<NewUnpermittedRecording> = {}): NewUnpermittedRecording => ({
    personInviteeId: g.invitee.advocate,
    personDescription: null,
    askedToStopAt: '10:20',
    meetingHaltedAt: '10:25',
    askedToLeaveAt: '10:26',
    outcome: 'left',
    outcomeAt: '10:30',
    notes: 'The mother said she did not agree to her friend recording.',
    ...o,
  });

  it('P-8: the chair records each step with its time, named from the register, audited and listed', async () => {
    ctx.clock.current = new Date('2026-03-02T11:00:00Z');
    const before = await incidents.overview(chair, g.conferenceId, as(chair));
    // Only family and friends who attended and hold no parental responsibility may be named.
    expect(before.people.map((p) => p.inviteeId)).toEqual([g.invitee.advocate]);
    const saved = await incidents.recordUnpermitted(chair, g.conferenceId, unpermitted(), as(chair));
    expect(saved).toMatchObject({
      person: { inviteeId: g.invitee.advocate, name: 'Ada Advocate' },
      askedToStopAt: '10:20',
      meetingHaltedAt: '10:25',
      askedToLeaveAt: '10:26',
      outcome: { value: 'left' },
      outcomeAt: '10:30',
      recordedBy: 'Cal Chair',
    });
    const described = await incidents.recordUnpermitted(
      chair,
      g.conferenceId,
      unpermitted({
        personInviteeId: null,
        personDescription: 'The maternal uncle, who came with the mother',
        askedToStopAt: '10:40',
        meetingHaltedAt: '',
        askedToLeaveAt: '',
        outcome: 'stopped',
        outcomeAt: '10:41',
        notes: '',
      }),
      as(chair),
    );
    expect(described.person).toEqual({ inviteeId: null, name: 'The maternal uncle, who came with the mother' });
    // The social worker sees them on the conference, but not covert incidents.
    const seen = await incidents.overview(sw, g.conferenceId, as(sw));
    expect(seen.unpermitted.map((u) => u.id)).toEqual([saved.id, described.id]);
    expect(seen.covert).toBeNull();
    // What the conference record draws on: each step with its time, in plain English.
    expect(await ctx.services.uow.run((repos) => unpermittedRecordingFacts(repos, g.conferenceId))).toEqual([
      'Ada Advocate was asked to stop recording at 10:20, the meeting was halted at 10:25, they were asked to leave at 10:26, as the parents did not agree to the recording. They left the meeting (10:30).',
      'The maternal uncle, who came with the mother was asked to stop recording at 10:40, as the parents did not agree to the recording. They stopped recording and the meeting went on (10:41).',
    ]);
    const [audit] = await auditRows(ctx, 'unpermitted-recording.record');
    expect(audit!.details).toEqual({ unpermittedRecordingId: saved.id, outcome: 'left', onRegister: true });
    expect(JSON.stringify(await auditRows(ctx, 'unpermitted-recording.record'))).not.toContain('uncle');
  });

  it('P-8: times are refused in the future, out of order, or missing a step the outcome needs', async () => {
    ctx.clock.current = new Date('2026-03-02T10:35:00Z');
    expect(
      await problemFields(
        incidents.recordUnpermitted(
          chair,
          g.conferenceId,
          unpermitted({ askedToStopAt: '10:20', meetingHaltedAt: '10:10', askedToLeaveAt: '', outcomeAt: '11:00' }),
          as(chair),
        ),
      ),
    ).toEqual([
      [
        'meetingHaltedAt',
        'The time the meeting was halted must be the same as or after the time they were asked to stop',
      ],
      ['outcomeAt', 'The time it ended must not be in the future'],
      ['askedToLeaveAt', 'Enter the time they were asked to leave'],
    ]);
    expect(
      await problemFields(
        incidents.recordUnpermitted(
          chair,
          g.conferenceId,
          unpermitted({ personInviteeId: g.invitee.mother, meetingHaltedAt: '', askedToStopAt: '2' }),
          as(chair),
        ),
      ),
    ).toEqual([
      ['person', 'Select a family member or friend on the register'],
      ['askedToStopAt', 'Enter the time they were asked to stop as a time of day, like 14:00 or 2pm'],
      [
        'meetingHaltedAt',
        'Enter the time the meeting was halted: the meeting is halted before someone is asked to leave',
      ],
    ]);
  });

  it('P-8: only a chair who may change the children’s records records it; a refusal is audited', async () => {
    await expect(incidents.recordUnpermitted(support, g.conferenceId, unpermitted(), as(support))).rejects.toThrow(
      AccessDeniedError,
    );
    const denied = await auditRows(ctx, 'unpermitted-recording.record');
    expect(denied.filter((r) => r.outcome === 'denied').map((r) => r.details)).toEqual([{ reason: 'not a chair' }]);
  });

  it('P-9: business support records a discovery: a case note on each child chosen, the chair emailed in the same transaction', async () => {
    ctx.clock.current = new Date('2026-03-05T12:00:00Z');
    const reported = await incidents.reportCovert(
      support,
      g.conferenceId,
      discovery([g.children.ava.toUpperCase()]),
      as(support),
    );
    expect(reported).toMatchObject({ chairTold: true, mayView: false });
    const [email] = await readOutbox(ctx.services.database, { template: 'covert-recording-reported' });
    expect(email!.to).toBe('cal.chair@example.gov.uk');
    expect(email!.body).toContain('Initial child protection conference on 2 March 2026');
    expect(email!.body).toContain(`/conferences/${g.conferenceId}/recording-incidents/covert/${reported.id}`);
    expect(email!.body).not.toContain('Okafor');
    const notes = await ctx.services.database.db
      .select()
      .from(caseNotes)
      .where(eq(caseNotes.kind, 'covert-recording-found'));
    expect(notes.map((n) => n.childId)).toEqual([g.children.ava]);
    expect(notes[0]!.text).not.toContain('video sharing');
    // Business support may not read the incident afterwards; the refusal is audited.
    await expect(incidents.covertDetail(support, g.conferenceId, reported.id, as(support))).rejects.toThrow(
      AccessDeniedError,
    );
    const views = await auditRows(ctx, 'covert-recording.view');
    expect(views.map((v) => v.outcome)).toEqual(['denied']);
  });

  it('P-9: dates are refused in the future or before the conference; publication details when published', async () => {
    ctx.clock.current = new Date('2026-03-05T12:00:00Z');
    expect(
      await problemFields(
        incidents.reportCovert(
          sw,
          g.conferenceId,
          discovery([], { foundOn: '2026-03-06', publishedWhere: ' ', takenDown: '', publishedOn: '2026-03-01' }),
          as(sw),
        ),
      ),
    ).toEqual([
      ['childIds', 'Select each child the recording is about'],
      ['foundOn', 'The date it was found must be today or in the past'],
      ['publishedWhere', 'Enter where it was published or shared'],
      ['publishedOn', 'The date it was published must be on or after the day of the conference'],
      ['takenDown', 'Select whether it has been taken down'],
    ]);
  });

  it('P-9: the chair records actions considered and closes only once the network, legal services and legal advice are considered', async () => {
    ctx.clock.current = new Date('2026-03-06T12:00:00Z');
    const { id } = await incidents.reportCovert(
      chair,
      g.conferenceId,
      discovery([g.children.ava, g.children.ben]),
      as(chair),
    );
    const seen = await incidents.covertDetail(manager, g.conferenceId, id, as(manager));
    expect(seen.can.decide).toBe(false);
    expect(seen.incident.stillToConsider.map((s) => s.value)).toEqual([
      'inform-network',
      'inform-legal',
      'legal-advice',
    ]);
    await expect(
      incidents.recordAction(
        qa,
        g.conferenceId,
        id,
        { action: 'inform-network', description: '', decision: 'taken', on: '2026-03-06', by: 'Quin', outcome: '' },
        as(qa),
      ),
    ).rejects.toThrow(AccessDeniedError);
    expect(
      await problemFields(
        incidents.recordAction(
          chair,
          g.conferenceId,
          id,
          { action: 'injunction', description: '', decision: 'not-taken', on: '2026-03-07', by: '', outcome: '' },
          as(chair),
        ),
      ),
    ).toEqual([
      ['on', 'The date must be today or in the past'],
      ['by', 'Enter who did it or decided it'],
      ['outcome', 'Enter why it was decided against'],
    ]);
    const act = (action: string, decision: string, outcome: string) =>
      incidents.recordAction(
        chair,
        g.conferenceId,
        id,
        { action, description: '', decision, on: '2026-03-06', by: 'Cal Chair', outcome },
        as(chair),
      );
    await act('inform-network', 'taken', 'Emailed the core group');
    const early = await incidents.covertDetail(chair, g.conferenceId, id, as(chair));
    expect(
      await problemFields(
        incidents.closeCovert(
          chair,
          g.conferenceId,
          id,
          { outcome: 'Resolved', closedOn: '2026-03-06', version: early.incident.version },
          as(chair),
        ),
      ),
    ).toEqual([
      [
        '',
        'Before closing, record whether you did this: tell the council’s legal representative; seek legal advice (including whether it is a civil or criminal matter)',
      ],
    ]);
    await act('inform-legal', 'taken', '');
    await act('legal-advice', 'taken', 'Advised to ask the site to remove it');
    const view = await act('injunction', 'not-taken', 'The site removed it when asked');
    expect(view.actions.map((a) => [a.action.value, a.decision.value])).toEqual([
      ['inform-network', 'taken'],
      ['inform-legal', 'taken'],
      ['legal-advice', 'taken'],
      ['injunction', 'not-taken'],
    ]);
    await expect(
      incidents.closeCovert(
        chair,
        g.conferenceId,
        id,
        { outcome: 'Removed', closedOn: '2026-03-06', version: early.incident.version },
        as(chair),
      ),
    ).rejects.toThrow(StaleRecordError);
    const closed = await incidents.closeCovert(
      chair,
      g.conferenceId,
      id,
      { outcome: 'The recording was removed from the site.', closedOn: '2026-03-06', version: view.version },
      as(chair),
    );
    expect(closed).toMatchObject({ open: false, closedOn: '2026-03-06', stillToConsider: [] });
    await expect(
      incidents.recordAction(
        chair,
        g.conferenceId,
        id,
        { action: 'other', description: 'x', decision: 'taken', on: '2026-03-06', by: 'Cal', outcome: '' },
        as(chair),
      ),
    ).rejects.toThrow(ConflictError);
    const notes = await ctx.services.database.db
      .select()
      .from(caseNotes)
      .where(and(eq(caseNotes.kind, 'covert-recording-closed')));
    expect(notes.map((n) => n.childId).sort()).toEqual([g.children.ava, g.children.ben].sort());
  });

  it('P-9: open incidents are on the dashboard of chairs and team managers only', async () => {
    const open = await ctx.services.dashboards.view(otherChair, { chair: 'all' }, as(otherChair));
    expect(open.covertIncidents.map((i) => i.conference.id)).toEqual([g.conferenceId]);
    const forSw = await ctx.services.dashboards.view(sw, {}, as(sw));
    expect(forSw.covertIncidents).toEqual([]);
  });
});

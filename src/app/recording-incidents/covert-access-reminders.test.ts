import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError } from '../../domain/shared/errors.ts';
import { loadConfig } from '../../infra/config.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { childAccessGrants, children, users } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../test/support/conferences.ts';
import { as, covertDiscovery } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { COVERT_REMINDER_JOB, type RecordingIncidentService } from './recording-incident-service.ts';

const discovery = (childIds: string[]) => covertDiscovery(childIds);

/** Thursday 5 March 2026, noon in England. */
const REPORTED = new Date('2026-03-05T12:00:00Z');
const at = (isoDate: string) => new Date(`${isoDate}T08:00:00Z`);

describe.each(testDatabases())('P-9: who sees covert recording incidents, and reminders until closed (%s)', (kind) => {
  let ctx: TestContext;
  let incidents: RecordingIncidentService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let manager: Actor;
  let qa: Actor;
  let legal: Actor;
  let g: SiblingGroupConference;
  let incidentId: string;

  const reminders = () => readOutbox(ctx.services.database, { template: 'covert-recording-reminder' });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    incidents = ctx.services.recordingIncidents;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    manager = await staff(ctx, 'Tam Manager', ['team_manager']);
    qa = await staff(ctx, 'Quin Assurance', ['qa_manager']);
    legal = await staff(ctx, 'Lee Legal', ['legal_adviser']);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    ctx.clock.current = REPORTED;
    ({ id: incidentId } = await incidents.reportCovert(
      support,
      g.conferenceId,
      discovery([g.children.ava, g.children.ben]),
      as(support),
    ));
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('P-9: a legal adviser reads an incident (audited) but not the conference, its children or the dashboard, and records nothing', async () => {
    const seen = await incidents.covertDetail(legal, g.conferenceId, incidentId.toUpperCase(), as(legal));
    expect(seen.incident).toMatchObject({
      id: incidentId,
      open: true,
      foundBy: 'Tom Reid, designated safeguarding lead',
    });
    expect(seen.can).toEqual({ decide: false, seeConference: false });
    const views = (await auditRows(ctx, 'covert-recording.view')).filter((r) => r.actorUserId === legal.id);
    expect(views.map((v) => [v.outcome, v.details])).toEqual([['success', { incidentId }]]);

    // Nothing else of the children's records: the conference's own list is refused, and audited.
    await expect(incidents.overview(legal, g.conferenceId, as(legal))).rejects.toThrow(AccessDeniedError);
    const refused = (await auditRows(ctx, 'recording-incidents.view')).filter((r) => r.actorUserId === legal.id);
    expect(refused.map((r) => [r.outcome, r.details])).toEqual([
      ['denied', { reason: 'role has no access to children’s records' }],
    ]);
    await expect(ctx.services.dashboards.view(legal, {}, as(legal))).rejects.toThrow(AccessDeniedError);

    // The chair decides and records the actions (001): a legal adviser is refused (by the child record rules
    // first), and that is audited.
    await expect(
      incidents.recordAction(
        legal,
        g.conferenceId,
        incidentId,
        { action: 'legal-advice', description: '', decision: 'taken', on: '2026-03-05', by: 'Lee', outcome: '' },
        as(legal),
      ),
    ).rejects.toThrow(AccessDeniedError);
    const action = (await auditRows(ctx, 'covert-recording.action')).filter((r) => r.actorUserId === legal.id);
    expect(action.map((r) => [r.outcome, r.details])).toEqual([
      ['denied', { reason: 'role has no access to children’s records' }],
    ]);

    // Their way in: every open incident they may see, council-wide, audited with ids only.
    const open = await incidents.openIncidents(legal, as(legal));
    expect(open).toEqual([
      {
        id: incidentId,
        conference: { id: g.conferenceId, title: 'Initial child protection conference', scheduledDate: '2026-03-02' },
        foundOn: '2026-03-04',
        actionCount: 0,
      },
    ]);
    const listed = await auditRows(ctx, 'covert-recordings.open.view');
    expect(listed.map((r) => [r.outcome, r.details])).toEqual([
      ['success', { covertIncidentIds: [incidentId], withheld: 0 }],
    ]);
  });

  it('P-9: quality assurance, business support and the social worker are refused an incident, each refusal audited', async () => {
    for (const who of [qa, support, sw]) {
      await expect(incidents.covertDetail(who, g.conferenceId, incidentId, as(who))).rejects.toThrow(
        'Only a chair, a team manager or a legal adviser can see a covert recording incident',
      );
      await expect(incidents.openIncidents(who, as(who))).rejects.toThrow(AccessDeniedError);
    }
    const denied = (await auditRows(ctx, 'covert-recording.view')).filter((r) => r.outcome === 'denied');
    expect(denied.map((r) => [r.actorUserId, r.subjectId, r.details])).toEqual(
      [qa, support, sw].map((a) => [a.id, g.conferenceId, { reason: 'not a chair, team manager or legal adviser' }]),
    );
    const list = (await auditRows(ctx, 'covert-recordings.open.view')).filter((r) => r.outcome === 'denied');
    expect(list).toHaveLength(3);
    // Quality assurance no longer has them on the dashboard; team managers still do.
    expect((await ctx.services.dashboards.view(qa, {}, as(qa))).covertIncidents).toEqual([]);
    expect((await ctx.services.dashboards.view(manager, {}, as(manager))).covertIncidents.map((i) => i.id)).toEqual([
      incidentId,
    ]);
    expect((await incidents.covertDetail(manager, g.conferenceId, incidentId, as(manager))).can.seeConference).toBe(
      true,
    );
  });

  it('P-9: a restricted child’s incident is seen by a legal adviser only when named on the child’s record', async () => {
    const { db } = ctx.services.database;
    await db.update(children).set({ restricted: true }).where(eq(children.id, g.children.ben));
    try {
      await expect(incidents.covertDetail(legal, g.conferenceId, incidentId, as(legal))).rejects.toThrow(
        AccessDeniedError,
      );
      expect(await incidents.openIncidents(legal, as(legal))).toEqual([]);
      const refusal = (await auditRows(ctx, 'covert-recording.view')).at(-1)!;
      expect([refusal.actorUserId, refusal.outcome, refusal.details]).toEqual([
        legal.id,
        'denied',
        { reason: 'restricted record: not named on it' },
      ]);
      expect((await auditRows(ctx, 'covert-recordings.open.view')).at(-1)!.details).toEqual({
        covertIncidentIds: [],
        withheld: 1,
      });
      await db.insert(childAccessGrants).values({ childId: g.children.ben, userId: legal.id });
      expect((await incidents.covertDetail(legal, g.conferenceId, incidentId, as(legal))).incident.id).toBe(incidentId);
    } finally {
      await db.delete(childAccessGrants).where(eq(childAccessGrants.childId, g.children.ben));
      await db.update(children).set({ restricted: false }).where(eq(children.id, g.children.ben));
    }
  });

  it('P-9: an open incident reminds its chair once every 5 working days, even when two nodes run at once, until closed', async () => {
    // Four working days after it was recorded: not yet.
    ctx.clock.current = at('2026-03-11');
    expect(await incidents.sendReminders()).toEqual({ due: 0, emailed: 0 });
    expect(await reminders()).toEqual([]);

    // The fifth working day: two nodes run the job at once; one reminder is sent.
    ctx.clock.current = at('2026-03-12');
    const runs = await Promise.all([incidents.sendReminders(), incidents.sendReminders()]);
    expect(runs.reduce((n, r) => n + r.emailed, 0)).toBe(1);
    expect(await incidents.sendReminders()).toEqual({ due: 0, emailed: 0 });
    const [first, ...others] = await reminders();
    expect(others).toEqual([]);
    expect(first!.to).toBe('cal.chair@example.gov.uk');
    expect(first!.body).toContain('Initial child protection conference on 2 March 2026, found on 4 March 2026');
    expect(first!.body).toContain('- Tell the multi-agency network');
    expect(first!.body).toContain('- Seek legal advice');
    expect(first!.body).toContain(`/conferences/${g.conferenceId}/recording-incidents/covert/${incidentId}`);
    // No personal data: no child, family member or detail of what was found.
    for (const word of ['Okafor', 'Ava', 'Tom Reid', 'video sharing']) expect(first!.body).not.toContain(word);
    const audited = await auditRows(ctx, 'covert-recording.remind');
    expect(audited.map((r) => [r.actorUserId, r.actorLabel, r.subjectId, r.details])).toEqual([
      [
        null,
        'system: covert recording reminders',
        g.conferenceId,
        { incidentId, dueOn: '2026-03-12', chairReminded: true, stillToConsider: 3 },
      ],
    ]);

    // A weekend day and the next four working days: nothing; the fifth: the second reminder.
    for (const day of ['2026-03-14', '2026-03-18']) {
      ctx.clock.current = at(day);
      expect(await incidents.sendReminders()).toEqual({ due: 0, emailed: 0 });
    }
    ctx.clock.current = at('2026-03-19');
    expect(await incidents.sendReminders()).toEqual({ due: 1, emailed: 1 });
    expect(await reminders()).toHaveLength(2);

    // Closed: no more reminders.
    for (const action of ['inform-network', 'inform-legal', 'legal-advice'])
      await incidents.recordAction(
        chair,
        g.conferenceId,
        incidentId,
        { action, description: '', decision: 'taken', on: '2026-03-19', by: 'Cal Chair', outcome: 'Done' },
        as(chair),
      );
    const view = await incidents.covertDetail(chair, g.conferenceId, incidentId, as(chair));
    await incidents.closeCovert(
      chair,
      g.conferenceId,
      incidentId,
      { outcome: 'The site removed it.', closedOn: '2026-03-19', version: view.incident.version },
      as(chair),
    );
    for (const day of ['2026-03-26', '2026-04-30']) {
      ctx.clock.current = at(day);
      expect(await incidents.sendReminders()).toEqual({ due: 0, emailed: 0 });
    }
    expect(await reminders()).toHaveLength(2);
    expect(await auditRows(ctx, 'covert-recording.remind')).toHaveLength(2);
  });

  it('P-9: the reminders run as a pg-boss scheduled job on weekday mornings, every 5 working days unless configured', async () => {
    const job = ctx.services.scheduledJobs.find((j) => j.name === COVERT_REMINDER_JOB);
    expect(job).toMatchObject({ name: 'covert-recording-reminders', cron: '0 8 * * 1-5' });
    ctx.clock.current = at('2026-03-20');
    await job!.run();
    expect(ctx.config.covertReminderWorkingDays).toBe(5);
    expect(loadConfig({ NODE_ENV: 'test', COVERT_REMINDER_WORKING_DAYS: '10' }).covertReminderWorkingDays).toBe(10);
    expect(() => loadConfig({ NODE_ENV: 'test', COVERT_REMINDER_WORKING_DAYS: '0' })).toThrow(
      /COVERT_REMINDER_WORKING_DAYS: must be a whole number of working days from 1 to 60/,
    );
  });

  it('P-9: with no chair to remind (account disabled), the reminder is still recorded and audited, once per interval', async () => {
    const { db } = ctx.services.database;
    ctx.clock.current = at('2026-04-30');
    const { id } = await incidents.reportCovert(support, g.conferenceId, discovery([g.children.ava]), as(support));
    await db
      .update(users)
      .set({ disabledAt: at('2026-04-30') })
      .where(eq(users.id, chair.id));
    try {
      // Friday 8 May 2026 is five working days on, Monday 4 May being a bank holiday; on the holiday, nothing.
      ctx.clock.current = at('2026-05-04');
      expect(await incidents.sendReminders()).toEqual({ due: 0, emailed: 0 });
      ctx.clock.current = at('2026-05-08');
      expect(await incidents.sendReminders()).toEqual({ due: 1, emailed: 0 });
      expect(await incidents.sendReminders()).toEqual({ due: 0, emailed: 0 });
      const last = (await auditRows(ctx, 'covert-recording.remind')).at(-1)!;
      expect(last.details).toEqual({ incidentId: id, dueOn: '2026-05-08', chairReminded: false, stillToConsider: 3 });
      expect(await reminders()).toHaveLength(2);
    } finally {
      await db.update(users).set({ disabledAt: null }).where(eq(users.id, chair.id));
    }
  });
});

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, parseIsoDate } from '../../domain/calendar/index.ts';
import { AccessDeniedError, ConflictError } from '../../domain/shared/errors.ts';
import { caseNotes } from '../../infra/db/schema.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { POLICE_EMAIL, SCHOOL_EMAIL, heldConference } from '../../../test/support/plan-endings.ts';
import { as, problemsOf } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { EndingRequest, PlanEndingService } from './service.ts';

const d = (s: string): IsoDate => parseIsoDate(s);
const problemFields = async (p: Promise<unknown>) => (await problemsOf(p)).map(([field]) => field);

describe.each(testDatabases())('plans ending, stepping down and moving away (%s)', (kind) => {
  let ctx: TestContext;
  let service: PlanEndingService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let manager: Actor;
  let qa: Actor;

  const ending = (o: Partial<EndingRequest> = {}): EndingRequest => ({
    reason: 'died',
    endedOn: d('2026-03-20'),
    details: null,
    lookedAfterCriterion: null,
    modToldOn: null,
    modResourcesConfirmed: false,
    authorisedByUserId: manager.id,
    authorisedOn: d('2026-03-21'),
    ...o,
  });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.planEndings;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    qa = await staff(ctx, 'Quinn Assurance', ['qa_manager']);
    ctx.clock.current = new Date('2026-03-25T10:00:00Z');
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §3.8: no plan at an initial conference: the chair records the outline child in need plan, versioned', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'no-plan', status: 'in-progress' });
    const form = await service.stepDownForm(chair, g.conferenceId, g.children.ava, as(chair));
    expect(form).toMatchObject({ outcome: 'no-plan', stepDown: null, conference: { held: false } });
    const saved = await service.recordStepDown(
      chair,
      g.conferenceId,
      g.children.ava.toUpperCase(),
      {
        kind: 'child-in-need',
        leadProfessional: 'Sam Worker, social worker',
        services: 'Family support worker weekly',
        firstMeetingDate: null,
      },
      as(chair),
    );
    expect(saved).toMatchObject({
      version: 1,
      kind: 'child-in-need',
      kindLabel: 'Child in need plan',
      firstMeetingDate: null,
    });
    const again = await service.recordStepDown(
      chair,
      g.conferenceId,
      g.children.ava,
      {
        kind: 'child-in-need',
        leadProfessional: 'Sam Worker',
        services: 'Family support and school nurse',
        firstMeetingDate: null,
      },
      as(chair),
    );
    expect(again.version).toBe(2);
    const rows = await auditRows(ctx, 'plan-ending.step-down.record');
    expect(rows.at(-1)!.details).toMatchObject({ childId: g.children.ava, version: 2, kind: 'child-in-need' });
    expect(JSON.stringify(rows.at(-1)!.details)).not.toContain('Family support');
  });

  it('002 §3.9: stepping down to a team around the child needs the lead professional and the group’s first meeting date', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends', status: 'in-progress' });
    expect(
      await problemFields(
        service.recordStepDown(
          chair,
          g.conferenceId,
          g.children.ava,
          {
            kind: 'team-around-the-child',
            leadProfessional: '',
            services: 'Early help',
            firstMeetingDate: d('2026-02-01'),
          },
          as(chair),
        ),
      ),
    ).toEqual(['leadProfessional', 'firstMeetingDate']);
    const saved = await service.recordStepDown(
      chair,
      g.conferenceId,
      g.children.ava,
      {
        kind: 'team-around-the-child',
        leadProfessional: 'Tom Reid, school',
        services: 'Early help',
        firstMeetingDate: d('2026-03-09'),
      },
      as(chair),
    );
    expect(saved).toMatchObject({ kind: 'team-around-the-child', firstMeetingDate: d('2026-03-09') });
  });

  it('002 §3.9: once the conference is held, a step-down needs the reason for the change, named with every other problem', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends' });
    expect(
      await problemFields(
        service.recordStepDown(
          chair,
          g.conferenceId,
          g.children.ava,
          { kind: 'child-in-need', leadProfessional: 'Sam Worker', services: '', firstMeetingDate: null },
          as(chair),
        ),
      ),
    ).toEqual(['services', 'changeReason']);
  });

  it('002 §3.8: only the chair records it, and only when the decision is no plan or that the plan ends; refusals audited', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed', status: 'in-progress' });
    const input = { kind: 'child-in-need', leadProfessional: 'X', services: 'Y', firstMeetingDate: null };
    await expect(
      service.recordStepDown(support, g.conferenceId, g.children.ava, input, as(support)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = await auditRows(ctx, 'plan-ending.step-down.record');
    expect(denied.at(-1)).toMatchObject({ outcome: 'denied', details: { reason: 'not the chair' } });
    await expect(service.recordStepDown(chair, g.conferenceId, g.children.ava, input, as(chair))).rejects.toMatchObject(
      {
        code: 'PLAN_CONTINUES',
      },
    );
  });

  it('002 §3.9, T-9: a review ends the plan: every agency invited is told by email or letter, with the step-down and the family meeting', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends' });
    await service.recordStepDown(
      chair,
      g.conferenceId,
      g.children.ava,
      {
        kind: 'child-in-need',
        leadProfessional: 'Sam Worker, social worker',
        services: 'Family support worker weekly',
        firstMeetingDate: null,
        changeReason: 'Recorded after the conference from the chair’s notes',
      },
      as(chair),
    );
    const before = await service.forChild(support, g.children.ava, as(support));
    expect(before.state).toBe('ended-at-conference');
    expect(before.warnings.join(' ')).toContain('record the ending');

    const after = await service.recordConferenceEnding(support, g.children.ava, as(support));
    expect(after.state).toBe('ended');
    expect(after.ending).toMatchObject({ reason: 'conference', endedOn: d('2026-03-02') });
    const byName = Object.fromEntries(after.ending!.notices.map((n) => [n.recipientName, n.method]));
    expect(byName).toMatchObject({
      'DC Priya Shah': 'email',
      'Tom Reid': 'email',
      'Nia Evans': 'letter',
      'Dr Lee': 'letter',
    });
    const [police] = await readOutbox(ctx.services.database, { to: POLICE_EMAIL, template: 'plan-ended-agency' });
    expect(police!.body).toContain('Ava Okafor (born 10 May 2013)');
    expect(police!.body).toContain('Family support worker weekly');
    expect(police!.body).toContain('meets the child and family on 13 March 2026');
    expect(await readOutbox(ctx.services.database, { to: SCHOOL_EMAIL, template: 'plan-ended-agency' })).toHaveLength(
      1,
    );
    const letter = after.ending!.notices.find((n) => n.recipientName === 'Nia Evans')!;
    expect(letter.letterText).toContain('Health Visiting Service');
    expect(letter.letterText).toContain('The child protection plan for Ava Okafor');
    expect(after.warnings.join(' ')).toContain('letters telling agencies the plan ended still to post');

    const posted = await service.markLetterPosted(support, g.children.ava, letter.id, as(support));
    expect(posted.ending!.notices.find((n) => n.id === letter.id)!.postedAt).not.toBeNull();
    await expect(service.recordConferenceEnding(support, g.children.ava, as(support))).rejects.toBeInstanceOf(
      ConflictError,
    );

    const notes = await ctx.services.database.db.select().from(caseNotes).where(eq(caseNotes.childId, g.children.ava));
    expect(notes.map((n) => n.kind)).toContain('plan-ended');
    const audit = await auditRows(ctx, 'plan-ending.record');
    expect(audit.at(-1)!.details).toMatchObject({ reason: 'conference', emails: 2, letters: 3 });
    expect(JSON.stringify(audit.at(-1)!.details)).not.toMatch(/Okafor|Shah|@/);
  });

  it('002 §3.9: only a conference decides the plan is no longer needed: other endings need an active plan and a reason from the list', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    expect(
      await problemFields(service.recordEnding(manager, g.children.ava, ending({ reason: 'conference' }), as(manager))),
    ).toEqual(['reason']);
    const ended = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends' });
    await expect(service.recordEnding(manager, ended.children.ava, ending(), as(manager))).rejects.toMatchObject({
      code: 'NO_ACTIVE_PLAN',
    });
  });

  it('002 §3.9: a death is recorded with a senior manager’s authority; a social worker may not record it (audited)', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    await expect(service.recordEnding(sw, g.children.ava, ending(), as(sw))).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = await auditRows(ctx, 'plan-ending.record');
    expect(denied.at(-1)).toMatchObject({
      outcome: 'denied',
      details: { reason: 'role may not record a plan ending' },
    });
    expect(
      await problemFields(
        service.recordEnding(support, g.children.ava, ending({ authorisedByUserId: sw.id }), as(support)),
      ),
    ).toEqual(['authorisedByUserId']);
    const view = await service.recordEnding(
      support,
      g.children.ava,
      ending({ authorisedByUserId: qa.id }),
      as(support),
    );
    expect(view.state).toBe('ended');
    expect(view.ending).toMatchObject({
      reason: 'died',
      authorisedByName: 'Quinn Assurance',
      authorisedOn: d('2026-03-21'),
    });
    expect(view.ending!.notices).toHaveLength(5);
  });

  it('002 §3.9: reaching 18, looked after and posted overseas each need their own facts', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    expect(
      await problemFields(service.recordEnding(manager, g.children.ava, ending({ reason: 'reached-18' }), as(manager))),
    ).toEqual(['endedOn']);
    expect(
      await problemFields(
        service.recordEnding(manager, g.children.ava, ending({ reason: 'looked-after' }), as(manager)),
      ),
    ).toEqual(['lookedAfterCriterion']);
    expect(
      await problemFields(
        service.recordEnding(
          manager,
          g.children.ava,
          ending({ reason: 'armed-services-overseas', modToldOn: d('2026-03-10') }),
          as(manager),
        ),
      ),
    ).toEqual(['modResourcesConfirmed']);
    const view = await service.recordEnding(
      manager,
      g.children.ava,
      ending({ reason: 'looked-after', lookedAfterCriterion: 'interim-care-order' }),
      as(manager),
    );
    expect(view.ending).toMatchObject({ reason: 'looked-after', lookedAfterCriterion: 'interim-care-order' });
  });

  it('002 §3.9, T-4: transfer out: the pack goes to the receiving authority; the plan stays until its conference is held and confirmed in writing', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-continues' });
    expect(
      await problemFields(
        service.recordTransfer(
          support,
          g.children.ava,
          { authorityName: '', contactEmail: 'nope', noticeOn: d('2026-04-01') },
          as(support),
        ),
      ),
    ).toEqual(['authorityName', 'contactEmail', 'noticeOn']);
    const moved = await service.recordTransfer(
      support,
      g.children.ava,
      {
        authorityName: 'Southshire Council',
        contactEmail: 'cp.transfers@southshire.example.gov.uk',
        noticeOn: d('2026-03-09'),
      },
      as(support),
    );
    // 15 working days from Monday 9 March 2026.
    expect(moved.transfer).toMatchObject({ conferenceDue: d('2026-03-30'), overdue: false, complete: false });
    expect(moved.state).toBe('active');
    const [pack] = await readOutbox(ctx.services.database, { to: 'cp.transfers@southshire.example.gov.uk' });
    expect(pack!.templateKey).toBe('plan-transfer-pack');
    expect(pack!.body).toContain('by 30 March 2026');
    expect(pack!.body).toContain('has not been issued yet');
    expect(pack!.body).toContain('request from another local authority');
    expect(moved.copyRequestHref).toBe(`/conferences/${g.conferenceId}/requests/new`);

    ctx.clock.current = new Date('2026-04-01T10:00:00Z');
    const late = await service.forChild(chair, g.children.ava, as(chair));
    expect(late.transfer!.overdue).toBe(true);
    expect(late.warnings.join(' ')).toContain('was due by 30 March 2026');

    const held = await service.recordTransferProgress(
      support,
      g.children.ava,
      { receivingConferenceOn: d('2026-03-31'), confirmationReceivedOn: null, version: late.transfer!.version },
      as(support),
    );
    expect(held.state).toBe('active');
    expect(held.transfer).toMatchObject({ receivingConferenceOn: d('2026-03-31'), overdue: false, complete: false });
    await expect(
      service.recordTransferProgress(
        support,
        g.children.ava,
        { receivingConferenceOn: null, confirmationReceivedOn: d('2026-04-01'), version: late.transfer!.version },
        as(support),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const done = await service.recordTransferProgress(
      support,
      g.children.ava,
      { receivingConferenceOn: null, confirmationReceivedOn: d('2026-04-01'), version: held.transfer!.version },
      as(support),
    );
    expect(done.state).toBe('ended');
    expect(done.ending).toMatchObject({ reason: 'moved-to-another-authority', endedOn: d('2026-04-01') });
    expect(done.ending!.notices.length).toBe(5);
    ctx.clock.current = new Date('2026-03-25T10:00:00Z');
  });

  it('002 §3.9: a young person turning 18 with no review planned around the birthday is a warning', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    await ctx.services.database.db.execute(
      // Ava turns 18 on 20 April 2026; her next review is on 2 June 2026.
      sql`update children set date_of_birth = '2008-04-20' where id = ${g.children.ava}`,
    );
    const view = await service.forChild(chair, g.children.ava, as(chair));
    expect(view.warnings.join(' ')).toContain('No review is planned around the 18th birthday on 20 April 2026');
  });
});

import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import { REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import { AccessDeniedError, DomainError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { caseNotes, chairSummaries, childDecisions, childPlans, conferences } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { MeetingService, RegisterInput } from './meeting-service.ts';

const d = (s: string) => s as IsoDate;
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });

/** The fields of every problem, for a rule that reports several at once. */
async function problemFields(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => x.field);
    if (err instanceof DomainError) return [err.field ?? err.code];
    throw err;
  }
  throw new Error('expected the rule to refuse');
}

const attended = (inviteeId: string, over: Partial<RegisterInput> = {}): RegisterInput => ({
  inviteeId,
  status: 'attended',
  joinedAt: null,
  leftAt: null,
  interpreterUsed: false,
  ...over,
});

describe.each(testDatabases())('the conference meeting (%s)', (kind) => {
  let ctx: TestContext;
  let meeting: MeetingService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    meeting = ctx.services.meeting;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** The conference's own row, as stored. */
  const conferenceRow = async (conferenceId: string) =>
    (await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, conferenceId)))[0]!;
  /** The audit entries for the conference's own changes, by action: ids and field names only. */
  const auditDetails = async (conferenceId: string, action: string) =>
    (await auditRows(ctx, action))
      .filter((r) => r.subjectId === conferenceId && r.outcome === 'success')
      .map((r) => r.details);

  const open = (g: SiblingGroupConference, at = '10:04') =>
    meeting.openConference(chair, g.conferenceId, { pointsGiven: REMINDER_POINT_IDS, actualStartTime: at }, as(chair));
  /** Children's social care, police and school present (quorate), the family too. */
  const quorateRegister = (g: SiblingGroupConference) =>
    meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [g.invitee.socialWorker, g.invitee.police, g.invitee.school, g.invitee.mother].map((id) => attended(id)),
      as(support),
    );
  const views = (g: SiblingGroupConference, dissent: string[] = []) =>
    [g.agencies.csc, g.agencies.police, g.agencies.school].map((agencyId) => ({
      agencyId,
      view: dissent.includes(agencyId) ? ('dissents' as const) : ('agrees' as const),
    }));
  const planNeeded = (g: SiblingGroupConference, over: Record<string, unknown> = {}) => ({
    outcome: 'plan-needed',
    category: 'neglect',
    reasons: 'Home conditions and missed health appointments',
    agencyViews: views(g),
    ...over,
  });
  const fullPlan = (g: SiblingGroupConference, over: Record<string, unknown> = {}) => ({
    leadSocialWorkerUserId: sw.id,
    coreGroupInviteeIds: [g.invitee.mother, g.invitee.socialWorker, g.invitee.school],
    firstCoreGroupDate: d('2026-03-12'),
    actions: [{ action: 'Register Ben with a dentist', who: 'Mother', byWhen: d('2026-04-01') }],
    contingencyPlan: 'Legal planning meeting if the home is not made safe',
    nextReviewDate: d('2026-05-29'),
    ...over,
  });

  it('R-1: opening records each reminder point and the actual start time, and puts the conference in progress', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    expect(
      await problemFields(
        meeting.openConference(chair, g.conferenceId, { pointsGiven: ['recorded'], actualStartTime: '' }, as(chair)),
      ),
    ).toEqual(['pointsGiven', 'actualStartTime']);
    expect(await conferenceRow(g.conferenceId)).toMatchObject({
      status: 'planned',
      actualStartTime: null,
      reminderGivenAt: null,
    });
    expect((await meeting.getMeeting(chair, g.conferenceId, as(chair))).conference).toMatchObject({
      actualStartTime: null,
      reminderGivenAt: null,
    });
    ctx.clock.current = new Date('2026-03-02T10:05:30Z');
    try {
      await open(g);
    } finally {
      ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    }
    // Stored on the conference itself, in the same unit of work as the audit entry.
    expect(await conferenceRow(g.conferenceId)).toMatchObject({
      status: 'in-progress',
      actualStartTime: '10:04',
      reminderGivenAt: new Date('2026-03-02T10:05:30Z'),
      actualEndTime: null,
      reconveneDate: null,
    });
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.conference).toMatchObject({
      status: 'in-progress',
      actualStartTime: '10:04',
      reminderGivenAt: new Date('2026-03-02T10:05:30Z'),
      actualEndTime: null,
    });
    // The audit names what was recorded (each reminder point told, by id); the values are not kept there.
    expect(await auditDetails(g.conferenceId, 'conference.open')).toEqual([
      { fields: ['status', 'actualStartTime', 'reminderGivenAt'], reminderPoints: [...REMINDER_POINT_IDS] },
    ]);
    await expect(open(g)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await conferenceRow(g.conferenceId)).actualStartTime).toBe('10:04');
  });

  it('R-1 from the start page: a split conference’s recording needs its part before anything opens; a refused recording leaves it open', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    const part2 = await meeting.addPart(
      chair,
      g.conferenceId,
      { label: 'Part 2', startOffsetMinutes: 60, durationMinutes: 30 },
      as(chair),
    );
    const started: Array<{ conferenceId: string; partId: string | null }> = [];
    const recorder = {
      startLive: async (_a: Actor, _c: unknown, conferenceId: string, input: { partId: string | null }) => {
        started.push({ conferenceId, partId: input.partId });
        return { id: 'recording-1' };
      },
    };
    const told = { pointsGiven: [...REMINDER_POINT_IDS], actualStartTime: '10:04', record: true };
    // No part: the opening's own problems come with it, and nothing is opened or recorded.
    expect(
      await problemFields(
        meeting.startConference(
          chair,
          g.conferenceId,
          { ...told, actualStartTime: '', partId: null },
          as(chair),
          recorder,
        ),
      ),
    ).toEqual(['actualStartTime', 'partId']);
    expect((await conferenceRow(g.conferenceId)).status).toBe('planned');
    expect(started).toEqual([]);
    // With the part chosen it opens, and that part is recorded.
    expect(
      await meeting.startConference(chair, g.conferenceId, { ...told, partId: part2.id }, as(chair), recorder),
    ).toEqual({ recordingId: 'recording-1' });
    expect(started).toEqual([{ conferenceId: g.conferenceId, partId: part2.id }]);
    expect((await conferenceRow(g.conferenceId)).status).toBe('in-progress');

    const other = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    const refusing = {
      startLive: async () => {
        throw new DomainError('CONFERENCE_CANCELLED', 'This conference was cancelled, so it cannot be recorded');
      },
    };
    expect(await meeting.startConference(chair, other.conferenceId, told, as(chair), refusing)).toEqual({
      recordingId: null,
      recordingRefused: true,
    });
    expect((await conferenceRow(other.conferenceId)).status).toBe('in-progress');
  });

  it('Q-1 live: quoracy follows the register; children’s social care by agency kind, other agencies only with direct contact', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    const q = async () => (await meeting.getMeeting(chair, g.conferenceId, as(chair))).quoracy;
    expect((await q()).quorate).toBe(false);
    // The GP has had no direct contact, so does not count.
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [attended(g.invitee.socialWorker), attended(g.invitee.police), attended(g.invitee.gp)],
      as(support),
    );
    expect(await q()).toMatchObject({
      quorate: false,
      countingAgencies: ['Police Public Protection Unit'],
      notCounting: ['Mill Lane Surgery'],
    });
    expect((await q()).explanation).toMatch(/1 other agency with direct contact present; at least 2 needed/);
    // The chair learns on the day that the GP has seen the children: direct contact is changed on the register.
    await meeting.recordAttendance(
      chair,
      g.conferenceId,
      g.partId,
      [attended(g.invitee.gp, { directContact: true })],
      as(chair),
    );
    expect(await q()).toMatchObject({
      quorate: true,
      countingAgencies: ['Police Public Protection Unit', 'Mill Lane Surgery'],
    });
    // Apologies from the police leave it inquorate again.
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [{ ...attended(g.invitee.police), status: 'apologies' }],
      as(support),
    );
    expect((await q()).quorate).toBe(false);
  });

  it('Q-1: the allocated social worker, invited from their account, counts as children’s social care; a team manager who arrives on the day too', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Staffed' });
    const [worker] = await ctx.services.convening.invite(
      support,
      g.conferenceId,
      [{ kind: 'social-worker', userId: sw.id }],
      as(support),
    );
    await open(g);
    const q = async () => (await meeting.getMeeting(chair, g.conferenceId, as(chair))).quoracy;
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [attended(g.invitee.police), attended(g.invitee.school)],
      as(support),
    );
    expect(await q()).toMatchObject({ quorate: false, childrensSocialCarePresent: false });
    await meeting.recordAttendance(support, g.conferenceId, g.partId, [attended(worker!.id)], as(support));
    expect(await q()).toMatchObject({ quorate: true, childrensSocialCarePresent: true });
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.agenciesPresent.map((a) => a.agencyName)).toContain('Children’s social care');
    expect(view.invitees.find((i) => i.id === worker!.id)).toMatchObject({
      name: 'Sam Worker',
      roleTitle: 'Allocated social worker',
      userId: sw.id,
    });

    // The social worker sends apologies; their team manager comes instead, uninvited.
    const manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [{ ...attended(worker!.id), status: 'apologies' }],
      as(support),
    );
    expect((await q()).quorate).toBe(false);
    const choices = await meeting.arrivalChoices(support, g.conferenceId, as(support));
    expect(choices.staff).toContainEqual({ userId: manager.id, name: 'Tia Manager', role: 'team-manager' });
    expect(choices.staff.some((s) => s.userId === sw.id)).toBe(false);
    await meeting.addArrival(
      support,
      g.conferenceId,
      { source: 'staff', userId: manager.id, partIds: [g.partId] },
      as(support),
    );
    expect(await q()).toMatchObject({ quorate: true, childrensSocialCarePresent: true });
    await expect(
      meeting.addArrival(
        support,
        g.conferenceId,
        { source: 'staff', userId: manager.id, partIds: [g.partId] },
        as(support),
      ),
    ).rejects.toBeInstanceOf(DomainError);
    await expect(
      meeting.addArrival(
        support,
        g.conferenceId,
        { source: 'staff', userId: chair.id, partIds: [g.partId] },
        as(support),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('Q-1: an inquorate conference records no decision until the chair records why it goes ahead', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [attended(g.invitee.socialWorker), attended(g.invitee.police)],
      as(support),
    );
    const inquorateViews = [g.agencies.csc, g.agencies.police].map((agencyId) => ({
      agencyId,
      view: 'agrees' as const,
    }));
    await expect(
      meeting.recordDecision(
        chair,
        g.conferenceId,
        g.children.ava,
        planNeeded(g, { agencyViews: inquorateViews }),
        as(chair),
      ),
    ).rejects.toMatchObject({ code: 'NOT_QUORATE' });
    await expect(meeting.conclude(chair, g.conferenceId, { actualEndTime: '11:00' }, as(chair))).rejects.toMatchObject({
      code: 'NOT_QUORATE',
    });
    await expect(meeting.proceedInquorate(chair, g.conferenceId, { reason: ' ' }, as(chair))).rejects.toMatchObject({
      code: 'INQUORATE_REASON_REQUIRED',
    });
    await meeting.proceedInquorate(
      chair,
      g.conferenceId,
      { reason: 'The school is closed; delay would leave the children at risk' },
      as(chair),
    );
    await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ava,
      planNeeded(g, { agencyViews: inquorateViews }),
      as(chair),
    );
    await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      planNeeded(g, { agencyViews: inquorateViews }),
      as(chair),
    );
    await meeting.conclude(chair, g.conferenceId, { actualEndTime: '11:40' }, as(chair));
    expect(await conferenceRow(g.conferenceId)).toMatchObject({
      status: 'held',
      actualStartTime: '10:04',
      actualEndTime: '11:40',
    });
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.conference).toMatchObject({
      status: 'held',
      proceededInquorateReason: 'The school is closed; delay would leave the children at risk',
      actualStartTime: '10:04',
      actualEndTime: '11:40',
    });
    expect(await auditDetails(g.conferenceId, 'conference.conclude')).toEqual([
      { fields: ['status', 'actualEndTime'] },
    ]);
  });

  it('Q-1: an inquorate conference that does not go ahead records the safety steps and the new date, and is adjourned', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    await meeting.recordAttendance(support, g.conferenceId, g.partId, [attended(g.invitee.socialWorker)], as(support));
    expect(
      await problemFields(
        meeting.adjournInquorate(chair, g.conferenceId, { safetySteps: '', reconveneDate: null }, as(chair)),
      ),
    ).toEqual(['safetySteps', 'reconveneDate']);
    expect((await conferenceRow(g.conferenceId)).reconveneDate).toBeNull();
    await meeting.adjournInquorate(
      chair,
      g.conferenceId,
      { safetySteps: 'Children stay with their grandmother; daily visits', reconveneDate: d('2026-03-09') },
      as(chair),
    );
    expect(await conferenceRow(g.conferenceId)).toMatchObject({
      status: 'adjourned-inquorate',
      adjournmentSafetySteps: 'Children stay with their grandmother; daily visits',
      reconveneDate: '2026-03-09',
      actualEndTime: null,
    });
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.conference).toMatchObject({
      status: 'adjourned-inquorate',
      adjournmentSafetySteps: 'Children stay with their grandmother; daily visits',
      reconveneDate: '2026-03-09',
      reconvenedConferenceId: null,
    });
    expect(await auditDetails(g.conferenceId, 'conference.adjourn')).toEqual([
      { fields: ['status', 'adjournmentSafetySteps', 'reconveneDate'] },
    ]);
    await expect(
      meeting.recordAttendance(support, g.conferenceId, g.partId, [attended(g.invitee.police)], as(support)),
    ).rejects.toMatchObject({ code: 'REGISTER_CLOSED' });
  });

  it('Q-1: a quorate conference is neither adjourned nor "proceeded" as inquorate', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    await quorateRegister(g);
    await expect(meeting.proceedInquorate(chair, g.conferenceId, { reason: 'x' }, as(chair))).rejects.toMatchObject({
      code: 'QUORATE',
    });
    await expect(
      meeting.adjournInquorate(chair, g.conferenceId, { safetySteps: 'x', reconveneDate: d('2026-03-09') }, as(chair)),
    ).rejects.toMatchObject({ code: 'QUORATE' });
  });

  it('D-1: two dissenting agencies need the senior manager referral; the reconvened conference is due 20 working days after the review', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    await quorateRegister(g);
    const twoDissent = planNeeded(g, { agencyViews: views(g, [g.agencies.police, g.agencies.school]) });
    expect(
      await problemFields(meeting.recordDecision(chair, g.conferenceId, g.children.ava, twoDissent, as(chair))),
    ).toEqual(['referredTo', 'referredOn']);
    const decision = await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ava,
      { ...twoDissent, referral: { referredTo: 'Head of Quality Assurance', referredOn: d('2026-03-02') } },
      as(chair),
    );
    expect(decision).toMatchObject({
      seniorManagerReferralRequired: true,
      equallySplit: false,
      referral: { referredTo: 'Head of Quality Assurance', referredOn: '2026-03-02', reviewedOn: null },
    });
    expect(decision.agencyViews.filter((v) => v.view === 'dissents').map((v) => v.agencyName)).toEqual([
      'Police Public Protection Unit',
      'Riverside Academy',
    ]);
    const [audit] = (await auditRows(ctx, 'conference.decision.record')).filter((r) => r.subjectId === g.conferenceId);
    expect(audit!.details).toMatchObject({
      seniorManagerReferralRequired: true,
      dissentingAgencyIds: [g.agencies.police, g.agencies.school],
    });

    ctx.clock.current = new Date('2026-03-31T09:00:00Z');
    try {
      const review = await meeting.recordReferralReview(
        chair,
        g.conferenceId,
        g.children.ava,
        { reviewedOn: d('2026-03-30'), outcome: 'reconvene' },
        as(chair),
      );
      // 20 working days after Monday 30 March 2026, skipping Good Friday (3 April) and Easter Monday (6 April).
      expect(review.reconveneDue).toBe('2026-04-29');
      expect(review.deadline?.explanation).toMatch(/Good Friday/);
      await expect(
        meeting.recordReferralReview(
          chair,
          g.conferenceId,
          g.children.ava,
          { reviewedOn: d('2026-03-30'), outcome: 'reconvene' },
          as(chair),
        ),
      ).rejects.toMatchObject({ code: 'REVIEW_RECORDED' });
    } finally {
      ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    }
    // One dissent is recorded without a referral.
    const one = await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      planNeeded(g, { agencyViews: views(g, [g.agencies.police]) }),
      as(chair),
    );
    expect(one).toMatchObject({ seniorManagerReferralRequired: false, referral: null });
  });

  it('002 §3.12: equally split professional views record that the chair decided', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [g.invitee.socialWorker, g.invitee.police, g.invitee.school, g.invitee.healthVisitor].map((id) => attended(id)),
      as(support),
    );
    const split = [g.agencies.csc, g.agencies.healthVisiting].map((agencyId) => ({
      agencyId,
      view: 'agrees' as const,
    }));
    const dissent = [g.agencies.police, g.agencies.school].map((agencyId) => ({ agencyId, view: 'dissents' as const }));
    const decision = await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      {
        ...planNeeded(g),
        agencyViews: [...split, ...dissent],
        referral: { referredTo: 'Head of QA', referredOn: d('2026-03-02') },
      },
      as(chair),
    );
    expect(decision.equallySplit).toBe(true);
  });

  it('002 §3.5: a category is required with a plan and refused without one; reasons and every agency present’s view are required', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    await quorateRegister(g);
    await expect(
      meeting.recordDecision(
        chair,
        g.conferenceId,
        g.children.ava,
        planNeeded(g, { outcome: 'no-plan', category: 'neglect' }),
        as(chair),
      ),
    ).rejects.toMatchObject({ code: 'CATEGORY_WITHOUT_PLAN', field: 'category' });
    await expect(
      meeting.recordDecision(chair, g.conferenceId, g.children.ava, planNeeded(g, { category: null }), as(chair)),
    ).rejects.toMatchObject({ code: 'CATEGORY_REQUIRED' });
    expect(
      await problemFields(
        meeting.recordDecision(
          chair,
          g.conferenceId,
          g.children.ava,
          planNeeded(g, { category: null, reasons: '', agencyViews: views(g).slice(1) }),
          as(chair),
        ),
      ),
    ).toEqual(['category', `view-${g.agencies.csc}`]);
    // An agency not present (the GP sent apologies) cannot give a view.
    const gpView = [...views(g), { agencyId: g.agencies.gp, view: 'agrees' as const }];
    expect(
      await problemFields(
        meeting.recordDecision(
          chair,
          g.conferenceId,
          g.children.ava,
          planNeeded(g, { agencyViews: gpView }),
          as(chair),
        ),
      ),
    ).toEqual(['agencyViews']);
    expect(
      await meeting.recordDecision(
        chair,
        g.conferenceId,
        g.children.ava,
        planNeeded(g, { outcome: 'no-plan', category: null }),
        as(chair),
      ),
    ).toMatchObject({ outcome: 'no-plan', category: null });
  });

  it('review outcomes: at a review the plan continues or ends; "plan needed" is refused', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, type: 'review' });
    await open(g);
    await quorateRegister(g);
    await expect(
      meeting.recordDecision(chair, g.conferenceId, g.children.ava, planNeeded(g), as(chair)),
    ).rejects.toMatchObject({ code: 'OUTCOME_NOT_FOR_TYPE' });
    expect(
      await meeting.recordDecision(
        chair,
        g.conferenceId,
        g.children.ava,
        planNeeded(g, { outcome: 'plan-continues', category: 'emotional-abuse' }),
        as(chair),
      ),
    ).toMatchObject({ outcome: 'plan-continues' });
    expect(
      await meeting.recordDecision(
        chair,
        g.conferenceId,
        g.children.ben,
        planNeeded(g, { outcome: 'plan-ends', category: null }),
        as(chair),
      ),
    ).toMatchObject({ outcome: 'plan-ends' });
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.children.map((c) => [c.givenNames, c.planStep])).toEqual([
      ['Ava', 'plan'],
      ['Ben', 'plan-ended'],
    ]);
    // T-3 after a review: the next review within 6 months.
    expect(view.reviewDeadline).toMatchObject({
      rule: 'next-review',
      ruleId: 'T-3',
      from: '2026-03-02',
      due: '2026-09-02',
    });
  });

  it('002 §3.2: a person in two places at once (present in overlapping parts) is an error on their field', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    // Split: the whole conference becomes part 1 (10:00-11:00), then part 2 overlaps it from 10:45.
    await meeting.changePart(
      chair,
      g.conferenceId,
      g.partId,
      { label: 'Part 1: with mother', startOffsetMinutes: 0, durationMinutes: 60 },
      as(chair),
    );
    const part2 = await meeting.addPart(
      chair,
      g.conferenceId,
      { label: 'Part 2: with father', startOffsetMinutes: 45, durationMinutes: 60 },
      as(chair),
    );
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [attended(g.invitee.mother), attended(g.invitee.socialWorker)],
      as(support),
    );
    expect(
      await problemFields(
        meeting.recordAttendance(
          support,
          g.conferenceId,
          part2.id,
          [attended(g.invitee.father), attended(g.invitee.socialWorker)],
          as(support),
        ),
      ),
    ).toEqual([`status-${g.invitee.socialWorker}`]);
    // Leaving part 1 at 10:45 (45 minutes in) makes it possible.
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [attended(g.invitee.socialWorker, { leftAt: 45 })],
      as(support),
    );
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      part2.id,
      [attended(g.invitee.father), attended(g.invitee.socialWorker)],
      as(support),
    );
    // Moving part 2 earlier would put the social worker back in two places at once: refused on the part’s start.
    await expect(
      meeting.changePart(
        chair,
        g.conferenceId,
        part2.id,
        { label: 'Part 2: with father', startOffsetMinutes: 30, durationMinutes: 60 },
        as(chair),
      ),
    ).rejects.toMatchObject({ code: 'TWO_PLACES_AT_ONCE', field: 'startOffsetMinutes' });
    // Times are checked against the part.
    expect(
      await problemFields(
        meeting.recordAttendance(
          support,
          g.conferenceId,
          part2.id,
          [attended(g.invitee.father, { joinedAt: 70 })],
          as(support),
        ),
      ),
    ).toEqual([`joinedAt-${g.invitee.father}`]);
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.parts.map((p) => [p.label, p.startsAt, p.endsAt])).toEqual([
      ['Part 1: with mother', '10:00', '11:00'],
      ['Part 2: with father', '10:45', '11:45'],
    ]);
  });

  it('002 §3.2: an exclusion is for one of the criteria of its extent, told orally (and in writing), with how views are sent; it is shown on the record', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    const exclusion = {
      extent: 'full',
      criteria: [] as string[],
      toldOrallyOn: '',
      toldOrallyBy: '',
      viewsRoutes: [] as string[],
    };
    expect(
      await problemFields(
        meeting.recordExclusion(chair, g.conferenceId, g.partId, g.invitee.father, exclusion, as(chair)),
      ),
    ).toEqual(['criteria', 'toldOrallyOn', 'toldOrallyBy', 'viewsRoutes']);
    // A partial exclusion's criterion does not justify a full exclusion; "another reason" needs the reason.
    expect(
      await problemFields(
        meeting.recordExclusion(
          chair,
          g.conferenceId,
          g.partId,
          g.invitee.father,
          {
            ...exclusion,
            criteria: ['child-request'],
            toldOrallyOn: '2026-03-02',
            toldOrallyBy: 'Cal Chair',
            viewsRoutes: ['other'],
          },
          as(chair),
        ),
      ),
    ).toEqual(['criteria', 'viewsNote']);
    const told = {
      criteria: ['other'],
      otherReason: 'r',
      toldOrallyOn: '2026-03-02',
      toldOrallyBy: 'Cal Chair',
      viewsRoutes: ['written-report'],
    };
    // Only parents and carers can be excluded; only the chair excludes.
    await expect(
      meeting.recordExclusion(chair, g.conferenceId, g.partId, g.invitee.police, { ...exclusion, ...told }, as(chair)),
    ).rejects.toMatchObject({ code: 'NOT_EXCLUDABLE' });
    await expect(
      meeting.recordExclusion(
        support,
        g.conferenceId,
        g.partId,
        g.invitee.father,
        { ...exclusion, ...told },
        as(support),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await meeting.recordExclusion(
      chair,
      g.conferenceId,
      g.partId,
      g.invitee.father,
      {
        extent: 'full',
        criteria: ['other'],
        otherReason: 'Threats made to the mother before the conference',
        toldOrallyOn: '2026-03-02',
        toldOrallyBy: 'Cal Chair',
        toldInWritingOn: '2026-03-02',
        toldInWritingBy: 'Cal Chair',
        viewsRoutes: ['other'],
        viewsNote: 'Written statement, read out by the chair',
      },
      as(chair),
    );
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.attendance.find((a) => a.inviteeId === g.invitee.father)).toMatchObject({
      status: 'excluded',
      exclusionExtent: 'full',
      exclusionReason: 'Threats made to the mother before the conference',
      howViewsHeard: 'Written statement, read out by the chair',
    });
    // The register cannot quietly mark them as attending.
    expect(
      await problemFields(
        meeting.recordAttendance(support, g.conferenceId, g.partId, [attended(g.invitee.father)], as(support)),
      ),
    ).toEqual([`status-${g.invitee.father}`]);
  });

  it('someone who turned up uninvited joins the register as an invitee of the right kind', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    const friend = await meeting.addArrival(
      support,
      g.conferenceId,
      { source: 'new-supporter', kind: 'friend', givenNames: 'Fay', familyName: 'Friend', partIds: [g.partId] },
      as(support),
    );
    const interpreter = await meeting.addArrival(
      support,
      g.conferenceId,
      {
        source: 'new-professional',
        kind: 'interpreter',
        name: 'Ola Nowak',
        roleTitle: 'Polish interpreter',
        agencyId: g.agencies.gp,
        directContact: true,
        partIds: [g.partId],
      },
      as(support),
    );
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.invitees.find((i) => i.id === friend.inviteeId)).toMatchObject({
      kind: 'friend',
      name: 'Fay Friend',
      invitationMethod: 'arrived-on-the-day',
      invitedAt: null,
    });
    // A friend is in each child's network, never with PR.
    const family = await ctx.services.people.getChildRecord(sw, g.children.ben, as(sw));
    expect(family.family.find((m) => m.person.givenNames === 'Fay')).toMatchObject({
      relationship: 'friend',
      parentalResponsibility: false,
    });
    // An interpreter never counts towards quoracy.
    expect(view.invitees.find((i) => i.id === interpreter.inviteeId)).toMatchObject({
      kind: 'interpreter',
      directContact: false,
    });
    expect(view.quoracy.notCounting).toEqual([]);
    await expect(
      meeting.addArrival(
        support,
        g.conferenceId,
        { source: 'network', personId: g.people.mother, partIds: [g.partId] },
        as(support),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('T-3: the plan’s next review defaults to the rule from the conference date, and a later date is refused', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g);
    await quorateRegister(g);
    await expect(
      meeting.recordPlan(chair, g.conferenceId, g.children.ava, fullPlan(g), as(chair)),
    ).rejects.toMatchObject({ code: 'DECISION_FIRST' });
    await meeting.recordDecision(chair, g.conferenceId, g.children.ava, planNeeded(g), as(chair));
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    // 90 days after Monday 2 March 2026 is Sunday 31 May: the last working day within is Friday 29 May.
    expect(view.reviewDeadline).toMatchObject({
      rule: 'first-review',
      ruleId: 'T-3',
      from: '2026-03-02',
      due: '2026-05-29',
    });
    expect(
      await problemFields(
        meeting.recordPlan(
          chair,
          g.conferenceId,
          g.children.ava,
          fullPlan(g, { nextReviewDate: d('2026-06-01') }),
          as(chair),
        ),
      ),
    ).toEqual(['nextReviewDate']);
    expect(
      await problemFields(
        meeting.recordPlan(
          chair,
          g.conferenceId,
          g.children.ava,
          fullPlan(g, { coreGroupInviteeIds: [g.invitee.advocate], leadSocialWorkerUserId: chair.id }),
          as(chair),
        ),
      ),
    ).toEqual(['leadSocialWorkerUserId', 'coreGroup']);
    const plan = await meeting.recordPlan(chair, g.conferenceId, g.children.ava, fullPlan(g), as(chair));
    expect(plan).toMatchObject({
      version: 1,
      nextReviewDate: '2026-05-29',
      leadSocialWorkerName: 'Sam Worker',
      actions: [{ ordinal: 1, action: 'Register Ben with a dentist', who: 'Mother', byWhen: '2026-04-01' }],
    });
    expect(plan.coreGroupInviteeIds.sort()).toEqual(
      [g.invitee.mother, g.invitee.socialWorker, g.invitee.school].sort(),
    );
    // No plan is recorded for a child who does not need one.
    await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      planNeeded(g, { outcome: 'no-plan', category: null }),
      as(chair),
    );
    await expect(
      meeting.recordPlan(chair, g.conferenceId, g.children.ben, fullPlan(g), as(chair)),
    ).rejects.toMatchObject({ code: 'NO_PLAN' });
  });

  it('T-9: when the plan ends, the meeting with the family is within 10 working days', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, type: 'review' });
    await open(g);
    await quorateRegister(g);
    await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      planNeeded(g, { outcome: 'plan-ends', category: null }),
      as(chair),
    );
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.planEndedDeadline).toMatchObject({ ruleId: 'T-9', due: '2026-03-16' });
    expect(
      await problemFields(
        meeting.recordPlan(
          chair,
          g.conferenceId,
          g.children.ben,
          { leadSocialWorkerUserId: sw.id, planEndedMeetingDate: d('2026-03-17') },
          as(chair),
        ),
      ),
    ).toEqual(['planEndedMeetingDate']);
    const plan = await meeting.recordPlan(
      chair,
      g.conferenceId,
      g.children.ben,
      { leadSocialWorkerUserId: sw.id, planEndedMeetingDate: d('2026-03-16') },
      as(chair),
    );
    expect(plan).toMatchObject({ planEndedMeetingDate: '2026-03-16', nextReviewDate: null, actions: [] });
  });

  it('conclude: held only with every child decided; after it is held a change is a new version with a reason, the old one kept, a case note written and audited', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await open(g, '10:05');
    await quorateRegister(g);
    await meeting.recordDecision(chair, g.conferenceId, g.children.ava, planNeeded(g), as(chair));
    await expect(meeting.conclude(chair, g.conferenceId, { actualEndTime: '11:30' }, as(chair))).rejects.toMatchObject({
      code: 'DECISIONS_MISSING',
    });
    await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      planNeeded(g, { category: 'physical-abuse' }),
      as(chair),
    );
    await meeting.recordPlan(chair, g.conferenceId, g.children.ava, fullPlan(g), as(chair));
    await meeting.recordSummary(
      chair,
      g.conferenceId,
      { worries: 'Ben’s injuries', positives: 'Mother engages', changes: 'Safe sleeping' },
      as(chair),
    );
    await meeting.recordChildViews(
      chair,
      g.conferenceId,
      g.children.ava,
      { views: 'Ava told the chair before the meeting that she feels safe at school' },
      as(chair),
    );
    // The end is checked against the start time stored when it was opened.
    await expect(meeting.conclude(chair, g.conferenceId, { actualEndTime: '10:05' }, as(chair))).rejects.toMatchObject({
      problems: [{ field: 'actualEndTime', message: 'The end time must be after the start time, 10:05' }],
    });
    expect(await problemFields(meeting.conclude(chair, g.conferenceId, { actualEndTime: '10:00' }, as(chair)))).toEqual(
      ['actualEndTime'],
    );
    await meeting.conclude(chair, g.conferenceId, { actualEndTime: '11:30' }, as(chair));
    expect(await conferenceRow(g.conferenceId)).toMatchObject({
      status: 'held',
      actualStartTime: '10:05',
      actualEndTime: '11:30',
    });

    // After the event: a reason is required, and the change is a new version.
    await expect(
      meeting.recordDecision(chair, g.conferenceId, g.children.ben, planNeeded(g, { category: 'neglect' }), as(chair)),
    ).rejects.toMatchObject({ code: 'CHANGE_REASON_REQUIRED' });
    await meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      planNeeded(g, {
        category: 'neglect',
        changeReason: 'Category corrected: the chair named neglect at the conference',
      }),
      as(chair),
    );
    await meeting.recordPlan(
      chair,
      g.conferenceId,
      g.children.ava,
      fullPlan(g, {
        contingencyPlan: 'Legal planning meeting within a week',
        changeReason: 'Contingency agreed by the core group',
      }),
      as(chair),
    );
    await meeting.recordSummary(
      chair,
      g.conferenceId,
      {
        worries: 'Ben’s injuries',
        positives: 'Mother engages',
        changes: 'Safe sleeping; dentist',
        changeReason: 'Dentist added',
      },
      as(chair),
    );
    await expect(
      meeting.recordChildViews(chair, g.conferenceId, g.children.ava, { views: 'changed' }, as(chair)),
    ).rejects.toMatchObject({ code: 'RECORD_CLOSED' });

    const rows = await ctx.services.database.db
      .select()
      .from(childDecisions)
      .where(and(eq(childDecisions.conferenceId, g.conferenceId), eq(childDecisions.childId, g.children.ben)));
    expect(rows.map((r) => [r.version, r.category, r.changeReason]).sort()).toEqual([
      [1, 'physical-abuse', null],
      [2, 'neglect', 'Category corrected: the chair named neglect at the conference'],
    ]);
    // The reasons are stored with each version, and read back from there.
    const planRows = await ctx.services.database.db
      .select()
      .from(childPlans)
      .where(and(eq(childPlans.conferenceId, g.conferenceId), eq(childPlans.childId, g.children.ava)));
    expect(planRows.map((r) => [r.version, r.contingencyPlan, r.changeReason]).sort()).toEqual([
      [1, 'Legal planning meeting if the home is not made safe', null],
      [2, 'Legal planning meeting within a week', 'Contingency agreed by the core group'],
    ]);
    const summaryRows = await ctx.services.database.db
      .select()
      .from(chairSummaries)
      .where(eq(chairSummaries.conferenceId, g.conferenceId));
    expect(summaryRows.map((r) => [r.version, r.changes, r.changeReason]).sort()).toEqual([
      [1, 'Safe sleeping', null],
      [2, 'Safe sleeping; dentist', 'Dentist added'],
    ]);
    const history = await meeting.getHistory(sw, g.conferenceId, as(sw));
    expect(
      history.plans
        .filter((p) => p.childId === g.children.ava)
        .map((p) => [p.version, p.contingencyPlan, p.changeReason]),
    ).toEqual([
      [1, 'Legal planning meeting if the home is not made safe', null],
      [2, 'Legal planning meeting within a week', 'Contingency agreed by the core group'],
    ]);
    expect(history.summaries.map((s) => [s.version, s.changes, s.changeReason])).toEqual([
      [1, 'Safe sleeping', null],
      [2, 'Safe sleeping; dentist', 'Dentist added'],
    ]);
    const notes = await ctx.services.database.db.select().from(caseNotes).where(eq(caseNotes.childId, g.children.ben));
    expect(notes.filter((n) => n.kind === 'conference-record-change').map((n) => n.text)).toEqual([
      expect.stringMatching(
        /^Initial child protection conference on 2 March 2026: after the conference the decision was changed to “Child protection plan needed, Neglect” \(version 2\)\. Reason: Category corrected/,
      ),
      expect.stringMatching(/the chair’s summary was changed \(version 2\)\. Reason: Dentist added$/),
    ]);
    const avaNotes = await ctx.services.database.db
      .select()
      .from(caseNotes)
      .where(eq(caseNotes.childId, g.children.ava));
    expect(avaNotes.filter((n) => n.kind === 'conference-record-change').map((n) => n.text)).toEqual([
      expect.stringMatching(
        /^Initial child protection conference on 2 March 2026: after the conference the plan was changed \(version 2\)\. Reason: Contingency agreed by the core group$/,
      ),
      expect.stringMatching(/the chair’s summary was changed \(version 2\)\. Reason: Dentist added$/),
    ]);
    const audits = (await auditRows(ctx)).filter(
      (r) =>
        r.subjectId === g.conferenceId &&
        ['conference.decision.record', 'conference.plan.record', 'conference.summary.record'].includes(r.action),
    );
    const changed = audits.filter((r) => r.details['changed'] === true);
    expect(changed.map((r) => r.action)).toEqual([
      'conference.decision.record',
      'conference.plan.record',
      'conference.summary.record',
    ]);
    // Each names the case notes written, never the reason itself.
    const noteIds = new Set(
      [...notes, ...avaNotes].filter((n) => n.kind === 'conference-record-change').map((n) => n.id),
    );
    for (const r of changed) {
      expect(r.details['changeNoteIds']).toEqual(expect.arrayContaining([expect.any(String)]));
      for (const id of r.details['changeNoteIds'] as string[]) expect(noteIds.has(id)).toBe(true);
      expect(JSON.stringify(r.details)).not.toMatch(/Category corrected|Contingency agreed|Dentist added/);
    }
    // Other features read the current outcome: the latest version from the latest held conference.
    const current = await meeting.currentOutcomes(sw, [g.children.ava, g.children.ben], as(sw));
    expect(
      current
        .map((o) => [
          o.childId === g.children.ava ? 'Ava' : 'Ben',
          o.decision.version,
          o.decision.category,
          o.plan?.nextReviewDate ?? null,
        ])
        .sort(),
    ).toEqual([
      ['Ava', 1, 'neglect', '2026-05-29'],
      ['Ben', 2, 'neglect', null],
    ]);
    expect((await conferenceRow(g.conferenceId)).status).toBe('held');
  });

  it('access: a social worker not allocated to one sibling cannot open the meeting, and the denial is audited', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    const other = await staff(ctx, 'Olu Worker', ['social_worker']);
    // Olu is allocated to Ava only.
    await ctx.services.people.updateChild(sw, g.children.ava, 1, { allocatedSocialWorkerId: other.id }, as(sw));
    await expect(meeting.getMeeting(other, g.conferenceId, as(other))).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = (await auditRows(ctx, 'conference.meeting.view')).filter(
      (r) => r.subjectId === g.conferenceId && r.outcome === 'denied',
    );
    expect(denied).toEqual([
      expect.objectContaining({ actorUserId: other.id, details: { reason: 'not the allocated social worker' } }),
    ]);
  });

  it('access: the allocated social worker reads the meeting but does not chair it; business support keeps the register only', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair: null });
    expect((await meeting.getMeeting(sw, g.conferenceId, as(sw))).permissions).toEqual({
      chair: false,
      register: false,
    });
    await expect(
      meeting.openConference(sw, g.conferenceId, { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:00' }, as(sw)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      meeting.openConference(
        support,
        g.conferenceId,
        { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:00' },
        as(support),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      meeting.recordAttendance(sw, g.conferenceId, g.partId, [attended(g.invitee.police)], as(sw)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const denials = (await auditRows(ctx))
      .filter((r) => r.subjectId === g.conferenceId && r.outcome === 'denied')
      .map((r) => [r.action, r.details['reason']]);
    expect(denials).toEqual([
      ['conference.open', 'not the chair'],
      ['conference.open', 'not the chair'],
      ['conference.attendance.record', 'not the chair or business support'],
    ]);
    // Apologies may be recorded by business support before the conference starts.
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [{ ...attended(g.invitee.gp), status: 'apologies' }],
      as(support),
    );
    // The assigned chair need not hold the chair role.
    const manager = await staff(ctx, 'Tam Manager', ['team_manager']);
    const assigned = await siblingGroupConference(ctx, { socialWorker: sw, chair: manager });
    await meeting.openConference(
      manager,
      assigned.conferenceId,
      { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:00' },
      as(manager),
    );
  });

  it('a child of 12 or over is presumed to attend (002 §3.2); the child’s views are recorded whether or not they attend', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    const view = await meeting.getMeeting(chair, g.conferenceId, as(chair));
    expect(view.children.map((c) => [c.givenNames, c.age, c.presumedToAttend])).toEqual([
      ['Ava', 12, true],
      ['Ben', 6, false],
    ]);
    await expect(
      meeting.recordChildViews(chair, g.conferenceId, g.children.ben, { views: ' ' }, as(chair)),
    ).rejects.toBeInstanceOf(InvalidDetailsError);
    await meeting.recordChildViews(
      chair,
      g.conferenceId,
      g.children.ben,
      { views: 'Ben drew his house with his social worker' },
      as(chair),
    );
    expect((await meeting.getMeeting(chair, g.conferenceId, as(chair))).children[1]!.childViews).toBe(
      'Ben drew his house with his social worker',
    );
  });
});

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { parseIsoDate } from '../../domain/calendar/index.ts';
import { REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import { buildDocument } from '../../domain/documents/build.ts';
import { readingOrderText } from '../../domain/documents/model.ts';
import { deriveVariant } from '../../domain/documents/variants.ts';
import { childPlans } from '../../infra/db/schema.ts';
import { siblingGroupConference } from '../../../test/support/conferences.ts';
import { buildInput } from '../../../test/support/document-facts.ts';
import { staff } from '../../../test/support/people.ts';
import { inviteSupporter } from '../../../test/support/participation.ts';
import { heldConference } from '../../../test/support/plan-endings.ts';
import { as } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { loadDocumentFacts } from './facts-loader.ts';

const COUNCIL = { name: 'Test Council', contact: 'Conference team' };

describe.each(testDatabases())('the facts the written record is built from, for issue 14 records (%s)', (kind) => {
  let ctx: TestContext;
  let sw: Actor;
  let chair: Actor;

  const load = (conferenceId: string) =>
    ctx.services.uow.run((repos) => loadDocumentFacts(repos, conferenceId, COUNCIL)).then((l) => l.facts);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    ctx.clock.current = new Date('2026-03-02T13:00:00Z');
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §3.9: a plan that ends brings its latest team around the child plan and the family meeting date (T-9)', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends', status: 'in-progress' });
    const step = (leadProfessional: string) =>
      ctx.services.planEndings.recordStepDown(
        chair,
        g.conferenceId,
        g.children.ava,
        {
          kind: 'team-around-the-child',
          leadProfessional,
          services: 'Breakfast club',
          firstMeetingDate: parseIsoDate('2026-03-10'),
        },
        as(chair),
      );
    await step('Tom Reid, school');
    await step('Tom Reid, designated safeguarding lead, Riverside School');
    const facts = await load(g.conferenceId);
    expect(facts.stepDowns).toEqual([
      {
        childId: g.children.ava,
        kindLabel: 'Team around the child plan',
        leadProfessional: 'Tom Reid, designated safeguarding lead, Riverside School',
        services: 'Breakfast club',
        firstMeetingDate: '2026-03-10',
      },
    ]);
    expect(facts.plans.find((p) => p.childId === g.children.ava)?.familyMeetingDate).toBe('2026-03-13');
  });

  it('002 §3.2: the child’s attendance decision and how their views reached the conference, the parent’s own report by name, and when the excluded father was told the reasons', async () => {
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await ctx.services.participation.recordChildAttendance(
      sw,
      g.conferenceId,
      g.children.ava,
      {
        version: 0,
        understands: 'yes',
        wishExpressed: 'explicit',
        parentsViews: 'Her mother agrees she need not come.',
        benefit: 'unsure',
        chairAdvice: 'not-attend',
        socialWorkerAdvice: 'not-attend',
        childWish: 'not-attend',
        decision: 'not-attend',
        partArrangements: '',
        reason: '',
        viewsRoutes: ['chair-pre-meeting', 'written'],
        viewsNote: 'She wrote a letter to the chair.',
      },
      as(sw),
    );
    const REPORT = 'I have been to every appointment this term.';
    await ctx.services.participation.addParentReport(sw, g.conferenceId, g.invitee.mother, { text: REPORT }, as(sw));
    await ctx.services.meeting.openConference(
      chair,
      g.conferenceId,
      { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:04' },
      as(chair),
    );
    await ctx.services.meeting.recordExclusion(
      chair,
      g.conferenceId,
      g.partId,
      g.invitee.father,
      {
        extent: 'partial',
        criteria: ['criminal-proceedings'],
        toldOrallyOn: '2026-03-02',
        toldOrallyBy: 'Cal Chair',
        viewsRoutes: ['written-report'],
      },
      as(chair),
    );

    const facts = await load(g.conferenceId);
    expect(facts.children.find((c) => c.id === g.children.ava)?.attendance).toEqual({
      decision: 'Not to attend',
      partArrangements: null,
      viewsConveyed:
        'A meeting with the chair before the conference. A written statement, email, text messages or recorded comments. She wrote a letter to the chair.',
    });
    expect(facts.children.find((c) => c.id === g.children.ben)?.attendance).toBeNull();
    const mother = facts.attendees.find((a) => a.inviteeId === g.invitee.mother)!;
    expect(facts.reportsReceived).toContainEqual({
      from: `${mother.name} (their own report)`,
      receivedOn: '2026-03-02',
    });
    expect(facts.attendees.find((a) => a.inviteeId === g.invitee.father)?.exclusion).toMatchObject({
      extent: 'partial',
      reason: 'As an alleged perpetrator, their presence may affect the outcome of criminal proceedings',
      toldOrally: { on: '2026-03-02', by: 'Cal Chair' },
      toldInWriting: null,
    });
    // The record names the report; its content stays in the report.
    const text = readingOrderText(buildDocument(buildInput('conference-record', { facts }))).join('\n');
    expect(text).toContain(`${mother.name} (their own report)`);
    expect(text).not.toContain(REPORT);
  });

  it('002 §3.2: a supporter barred from the conference: the reason is in no copy of the record', async () => {
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    const supporter = await inviteSupporter(ctx, sw, g);
    const DETAIL = 'She threatened the health visitor last month.';
    await ctx.services.uow.run((repos) =>
      repos.participation.saveBar(
        g.conferenceId,
        supporter,
        { reason: 'risk-to-children', detail: DETAIL },
        { userId: chair.id, at: ctx.clock.now() },
      ),
    );
    const facts = await load(g.conferenceId);
    const record = buildDocument(buildInput('conference-record', { facts }));
    const mother = facts.attendees.find((a) => a.inviteeId === g.invitee.mother)!;
    for (const copy of [
      deriveVariant(record, { kind: 'full' }),
      deriveVariant(record, { kind: 'parent', person: { id: mother.personId!, name: mother.name } }),
    ]) {
      const text = readingOrderText(copy.document).join('\n');
      expect(text).not.toContain(DETAIL);
      expect(text).not.toMatch(/risk to children|barred/i);
    }
  });

  it('002 §1.3, §4.1: the record gives a pre-birth conference’s grounds; the chair’s independence reason is in no copy', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    const INDEPENDENCE = 'No other chair is free this month; the service manager agreed.';
    await ctx.services.uow.run(async (repos) => {
      await repos.conferenceRequests.saveConveningGrounds({
        conferenceId: g.conferenceId,
        preBirthGrounds: ['risk-in-household', 'assessment-significant-harm'],
        prematureBirthLikely: false,
        broughtForwardReason: null,
        broughtForwardOther: null,
      });
      await repos.chairing.insertIndependenceReason({
        conferenceId: g.conferenceId,
        chairUserId: chair.id,
        occasion: 'convened',
        concerns: ['line-manager'],
        reason: INDEPENDENCE,
        recordedBy: chair.id,
        recordedAt: ctx.clock.now(),
      });
    });
    const facts = await load(g.conferenceId);
    expect(facts.conference.preBirthGrounds).toEqual([
      'A single assessment shows the unborn baby may be suffering, or is likely to suffer, significant harm',
      'An adult or child who poses a risk to children lives in the household or visits it regularly',
    ]);
    expect(facts.conference.broughtForwardReason).toBeNull();
    const record = buildDocument(buildInput('conference-record', { facts }));
    const mother = facts.attendees.find((a) => a.inviteeId === g.invitee.mother)!;
    for (const copy of [
      deriveVariant(record, { kind: 'full' }),
      deriveVariant(record, { kind: 'parent', person: { id: mother.personId!, name: mother.name } }),
    ]) {
      const text = readingOrderText(copy.document).join('\n');
      expect(text).toContain('Grounds for holding a pre-birth conference');
      expect(text).not.toContain(INDEPENDENCE);
      expect(text).not.toMatch(/independen/i);
    }
  });

  it('002 §2.2: a review brought forward for another reason gives the reason in the chair’s words', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-continues' });
    await ctx.services.uow.run((repos) =>
      repos.conferenceRequests.saveConveningGrounds({
        conferenceId: g.conferenceId,
        preBirthGrounds: [],
        prematureBirthLikely: false,
        broughtForwardReason: 'other',
        broughtForwardOther: 'The family are moving abroad next month.',
      }),
    );
    const facts = await load(g.conferenceId);
    expect(facts.conference).toMatchObject({
      preBirthGrounds: [],
      broughtForwardReason: 'The family are moving abroad next month.',
    });
  });

  it('002 §3.7, §3.10: a lead social worker a team manager appointed after the conference is named in the plan and core group letter drafted since', async () => {
    ctx.clock.current = new Date('2026-03-02T13:00:00Z');
    const manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    const lead = await staff(ctx, 'Lee Lead', ['social_worker']);
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    await ctx.services.database.db
      .update(childPlans)
      .set({ leadSocialWorkerUserId: null })
      .where(eq(childPlans.conferenceId, g.conferenceId));
    const before = await load(g.conferenceId);
    expect(before.plans.find((p) => p.childId === g.children.ava)?.leadSocialWorker).toBeNull();
    const letterBefore = readingOrderText(buildDocument(buildInput('plan-and-core-group-letter', { facts: before })));
    expect(letterBefore).not.toContain('The lead social worker');

    await ctx.services.coreGroups.appointLead(manager, g.children.ava, { userId: lead.id }, as(manager));
    const after = await load(g.conferenceId);
    expect(after.plans.find((p) => p.childId === g.children.ava)?.leadSocialWorker).toMatchObject({ name: 'Lee Lead' });
    const letter = readingOrderText(buildDocument(buildInput('plan-and-core-group-letter', { facts: after })));
    const at = letter.indexOf('The lead social worker');
    expect(letter.slice(at, at + 3)).toEqual([
      'The lead social worker',
      'Lead social worker',
      expect.stringMatching(/^Lee Lead/),
    ]);
  });
});

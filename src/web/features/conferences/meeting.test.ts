import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { REMINDER_POINT_IDS } from '../../../domain/conferences/meeting.ts';
import { chairSummaries, childDecisions, conferences } from '../../../infra/db/schema.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';

async function clientFor(ctx: TestContext, app: FastifyInstance, actor: Actor): Promise<WebClient> {
  return (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;
}

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

const ALL_POINTS = [...REMINDER_POINT_IDS];

/** A row of the overview's summary list, as `key: value` text. */
function summaryRow(html: string, key: string): string | null {
  const m = new RegExp(
    `<dt class="govuk-summary-list__key">\\s*${key.replace(/[()]/g, '\\$&')}\\s*</dt>\\s*<dd class="govuk-summary-list__value">([\\s\\S]*?)</dd>`,
  ).exec(html);
  return m ? m[1]!.replace(/\s+/g, ' ').trim() : null;
}

describe.each(testDatabases())('the chair’s view of a conference (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let g: SiblingGroupConference;
  let base: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    chairClient = await clientFor(ctx, app, chair);
    supportClient = await clientFor(ctx, app, support);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    base = `/conferences/${g.conferenceId}/meeting`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('R-1: the chair starts the conference after ticking each reminder point; errors re-render with 400', async () => {
    const page = await chairClient.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Conference for Ava and Ben Okafor');
    expect(page.body).toContain('Start the conference');
    expect(summaryRow(page.body, 'Recording reminder')).toBe('Not given yet');
    expect(summaryRow(page.body, 'Started')).toBe('Not started');
    const form = await chairClient.get(`${base}/start`);
    expect(form.body).toContain('value="09:00"'); // prefilled with the time now: 09:00 UTC is 09:00 in London in March
    const bad = await chairClient.post(
      `${base}/start`,
      { pointsGiven: ['recorded'], actualStartTime: '25:00' },
      { fromPage: `${base}/start` },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    expect(errorSummary(bad.body)).toEqual([
      '#pointsGiven: Tell those present about the recording and tick each point (8 not ticked)',
      '#actualStartTime: Enter the start time as a time of day, like 14:00 or 2pm',
    ]);
    const noCsrf = await chairClient.post(
      `${base}/start`,
      { pointsGiven: ALL_POINTS, actualStartTime: '10:03' },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    const ok = await chairClient.post(
      `${base}/start`,
      { pointsGiven: ALL_POINTS, actualStartTime: '10.03am' },
      { fromPage: `${base}/start` },
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${base}?done=opened`);
    const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, g.conferenceId));
    expect(row).toMatchObject({
      status: 'in-progress',
      actualStartTime: '10:03',
      reminderGivenAt: new Date('2026-03-02T09:00:00Z'),
      actualEndTime: null,
    });
    const after = await chairClient.get(ok.headers.location as string);
    expect(after.body).toContain('10:03 – the chair told those present about the recording');
    expect(summaryRow(after.body, 'Started')).toBe('10:03 – the chair told those present about the recording');
    expect(summaryRow(after.body, 'Recording reminder')).toBe(
      'Given to those present; recorded at 09:00 on 2 March 2026',
    );
    expect(summaryRow(after.body, 'Ended')).toBe('Not ended');
  });

  it('R-1 with "Start recording": a split conference asks which part before anything opens, then goes to the recorder', async () => {
    const split = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Mensah' });
    const url = `/conferences/${split.conferenceId}/meeting`;
    const as = { actor: { id: chair.id, label: chair.name }, correlationId: 'test' };
    const part2 = await ctx.services.meeting.addPart(
      chair,
      split.conferenceId,
      { label: 'Part 2', startOffsetMinutes: 60, durationMinutes: 30 },
      as,
    );
    const form = await chairClient.get(`${url}/start`);
    expect(form.body).toContain(`value="${part2.id}"`);
    const noPart = await chairClient.post(
      `${url}/start`,
      { pointsGiven: ['recorded'], actualStartTime: '10:00', record: ['browser'] },
      { fromPage: `${url}/start` },
    );
    expect(noPart.statusCode).toBe(400);
    expect(errorSummary(noPart.body)).toEqual([
      '#pointsGiven: Tell those present about the recording and tick each point (8 not ticked)',
      '#partId: Select the part of the conference you are recording',
    ]);
    const [before] = await ctx.services.database.db
      .select()
      .from(conferences)
      .where(eq(conferences.id, split.conferenceId));
    expect(before!.status).toBe('planned');
    const ok = await chairClient.post(
      `${url}/start`,
      { pointsGiven: ALL_POINTS, actualStartTime: '10:00', record: ['browser'], partId: part2.id },
      { fromPage: `${url}/start` },
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/^\/recordings\/[0-9a-f-]{36}\/live$/);
    const [after] = await ctx.services.database.db
      .select()
      .from(conferences)
      .where(eq(conferences.id, split.conferenceId));
    expect(after!.status).toBe('in-progress');
  });

  it('the register: business support records attendance with times; a bad time is an error on that person’s field', async () => {
    const url = `${base}/parts/${g.partId}/register`;
    const page = await supportClient.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mother of Ava (PR) and Ben (PR)');
    expect(page.body).toContain('Father of Ava and Ben (PR)');
    expect(page.body).toContain('Advocate of Ava – does not receive the record');
    expect(page.body).toContain('Detective constable, Police Public Protection Unit (Police)');
    const form: Record<string, string | string[]> = {
      inviteeIds: [
        g.invitee.mother,
        g.invitee.socialWorker,
        g.invitee.police,
        g.invitee.school,
        g.invitee.gp,
        g.invitee.ava,
      ],
    };
    for (const id of [g.invitee.mother, g.invitee.socialWorker, g.invitee.police, g.invitee.school, g.invitee.ava])
      form[`status-${id}`] = 'attended';
    form[`status-${g.invitee.gp}`] = 'apologies';
    for (const id of [g.invitee.socialWorker, g.invitee.police, g.invitee.school]) form[`directContact-${id}`] = 'yes';
    form[`joinedAt-${g.invitee.police}`] = 'ten past';
    const bad = await supportClient.post(url, form, { fromPage: url });
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      `#joinedAt-${g.invitee.police}: Enter the time DC Priya Shah joined as a time of day, like 14:00 or 2pm`,
    ]);
    form[`joinedAt-${g.invitee.police}`] = '10.20am';
    form[`interpreter-${g.invitee.mother}`] = 'yes';
    const ok = await supportClient.post(url, form, { fromPage: url });
    expect(ok.statusCode).toBe(303);
    const overview = await chairClient.get(base);
    expect(overview.body).toContain(
      'Quorate: children’s social care and 2 other agencies with direct contact (Police Public Protection Unit, Riverside Academy).',
    );
    const again = await supportClient.get(url);
    expect(again.body).toMatch(new RegExp(`name="joinedAt-${g.invitee.police}"[^>]*value="10:20"`));
  });

  it('002 §3.2: a person in two places at once is an error on their field of the second part’s register', async () => {
    const add = await chairClient.post(
      `${base}/parts`,
      { label: 'Part 2: with Ava', startsAt: '11am', durationMinutes: '30' },
      { fromPage: `${base}/parts` },
    );
    expect(add.statusCode).toBe(303);
    const view = await ctx.services.meeting.getMeeting(chair, g.conferenceId, {
      actor: { id: chair.id, label: chair.name },
    });
    const part2 = view.parts.find((p) => p.label === 'Part 2: with Ava')!;
    expect([part2.startsAt, part2.endsAt]).toEqual(['11:00', '11:30']);
    const url = `${base}/parts/${part2.id}/register`;
    const res = await supportClient.post(
      url,
      { inviteeIds: [g.invitee.mother], [`status-${g.invitee.mother}`]: 'attended' },
      { fromPage: url },
    );
    expect(res.statusCode).toBe(400);
    expect(errorSummary(res.body)).toEqual([
      `#status-${g.invitee.mother}: Grace Okafor is recorded as present in Whole conference at the same time: a person cannot be in two places at once`,
    ]);
    expect(res.body).toContain(`id="status-${g.invitee.mother}-error"`);
    // Business support cannot change the parts: only the chair splits a conference.
    expect((await supportClient.get(`${base}/parts`)).statusCode).toBe(403);
    const removed = await chairClient.post(`${base}/parts/${part2.id}/remove`, {}, { fromPage: `${base}/parts` });
    expect(removed.statusCode).toBe(303);
  });

  it('002 §3.2: the chair excludes for one of the criteria, with the telling of the reasons; it shows on the record', async () => {
    const url = `${base}/parts/${g.partId}/exclusions/${g.invitee.father}`;
    expect((await supportClient.get(url)).statusCode).toBe(403);
    const form = await chairClient.get(url);
    expect(form.body).toContain('A strong risk of violence or intimidation');
    expect(form.body).toContain('The child has asked that they are not present at the same time as the child');
    const bad = await chairClient.post(
      url,
      { extent: 'full', criteria: 'child-request', 'toldOrallyOn-day': '2', 'toldOrallyOn-month': '3' },
      { fromPage: url },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['#toldOrallyOn-day: The date they were told must include a year']);
    const bad2 = await chairClient.post(
      url,
      {
        extent: 'full',
        criteria: 'child-request',
        'toldOrallyOn-day': '2',
        'toldOrallyOn-month': '3',
        'toldOrallyOn-year': '2026',
      },
      { fromPage: url },
    );
    expect(errorSummary(bad2.body)).toEqual([
      '#criteria: For a full exclusion select a reason for a full exclusion, or another reason',
      '#toldOrallyBy: Enter who told them',
      '#viewsRoutes: Select how they may send their views to the conference',
    ]);
    expect(bad2.body).toContain('value="2026"');
    const ok = await chairClient.post(
      url,
      {
        extent: 'full',
        criteria: ['violence-or-intimidation', 'other'],
        otherReason: 'Threats to the mother',
        'toldOrallyOn-day': '2',
        'toldOrallyOn-month': '3',
        'toldOrallyOn-year': '2026',
        toldOrallyBy: 'Cal Chair',
        viewsRoutes: 'written-report',
      },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    const overview = await chairClient.get(base);
    expect(overview.body).toMatch(
      /<strong>Daniel Mensah<\/strong> \(Father of Ava and Ben \(PR\)\) was fully excluded from Whole conference \(10:00 to 12:00\)\./,
    );
    expect(overview.body).toContain(
      'Reason: A strong risk of violence or intimidation by them, at or after the conference, towards a child or anyone else. Threats to the mother',
    );
    expect(overview.body).toContain('Told to them orally on 2 March 2026 by Cal Chair.');
    expect(overview.body).toContain('Not yet given to them in writing.');
  });

  it('someone who turned up uninvited is added as an invitee of the right kind', async () => {
    const url = `${base}/arrivals`;
    const page = await supportClient.get(url);
    expect(page.statusCode).toBe(200);
    const none = await supportClient.post(url, { partIds: g.partId }, { fromPage: url });
    expect(errorSummary(none.body)).toEqual(['#source: Select who has arrived']);
    const bad = await supportClient.post(
      url,
      {
        source: 'new-supporter',
        supporterKind: 'supporter',
        supporterGivenNames: '',
        supporterFamilyName: 'Friend',
        partIds: g.partId,
      },
      { fromPage: url },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)[0]).toMatch(/^#supporterGivenNames: /);
    const ok = await supportClient.post(
      url,
      {
        source: 'new-supporter',
        supporterKind: 'supporter',
        supporterGivenNames: 'Sue',
        supporterFamilyName: 'Porter',
        partIds: g.partId,
      },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    const register = await supportClient.get(`${base}/parts/${g.partId}/register`);
    expect(register.body).toMatch(/Sue Porter[\s\S]*Supporter – no record sent[\s\S]*Not invited: arrived on the day/);
  });

  it('Q-1: the allocated social worker who arrives uninvited joins the register for children’s social care', async () => {
    // A conference of its own, so the other tests' agencies present are unchanged.
    const own = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Arrived' });
    await ctx.services.meeting.openConference(
      chair,
      own.conferenceId,
      { pointsGiven: ALL_POINTS, actualStartTime: '10:00' },
      { actor: { id: chair.id, label: chair.name } },
    );
    const base = `/conferences/${own.conferenceId}/meeting`;
    const g = own;
    const url = `${base}/arrivals`;
    const page = await supportClient.get(url);
    expect(page.body).toContain('Children’s social care: the allocated social worker or a team manager');
    expect(page.body).toContain(`<option value="${sw.id}">Sam Worker – allocated social worker</option>`);
    const none = await supportClient.post(
      url,
      { source: 'staff', staffUserId: '', partIds: g.partId },
      { fromPage: url },
    );
    expect(errorSummary(none.body)).toEqual(['#staffUserId: Select who has arrived from the list']);
    const ok = await supportClient.post(
      url,
      { source: 'staff', staffUserId: sw.id, partIds: g.partId },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    const register = await supportClient.get(`${base}/parts/${g.partId}/register`);
    expect(register.body).toMatch(
      /Sam Worker[\s\S]*?Allocated social worker, Children’s social care[\s\S]*?Not invited: arrived on the day/,
    );
    expect((await supportClient.get(url)).body).not.toContain(`<option value="${sw.id}">`);
  });

  it('D-1: a decision with two dissenting agencies needs the referral; the form keeps what was typed', async () => {
    const url = `${base}/children/${g.children.ava}/decision`;
    const page = await chairClient.get(url);
    expect(page.body).toContain('Children’s Services');
    const form = {
      outcome: 'plan-needed',
      category: 'neglect',
      reasons: 'Neglect of basic care',
      [`view-${g.agencies.csc}`]: 'agrees',
      [`view-${g.agencies.police}`]: 'dissents',
      [`view-${g.agencies.school}`]: 'dissents',
      [`note-${g.agencies.school}`]: 'Attendance has improved',
      referredTo: '',
      'referredOn-day': '',
      'referredOn-month': '',
      'referredOn-year': '',
    };
    const bad = await chairClient.post(url, form, { fromPage: url });
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      '#referredTo: More than one agency dissents: enter the senior manager the case is referred to',
      '#referredOn-day: Enter the date the case was referred to the senior manager',
    ]);
    expect(bad.body).toContain('Attendance has improved');
    const ok = await chairClient.post(
      url,
      {
        ...form,
        referredTo: 'Head of Quality Assurance',
        'referredOn-day': '2',
        'referredOn-month': '3',
        'referredOn-year': '2026',
      },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    const overview = await chairClient.get(base);
    expect(overview.body).toContain('Dissenting: Police Public Protection Unit, Riverside Academy');
    expect(overview.body).toContain('Referred to Head of Quality Assurance on 2 March 2026. Review not recorded yet.');
    expect(overview.body).toContain(`${base}/children/${g.children.ava}/referral`);
  });

  it('T-3: the plan form defaults the next review and adds action rows without JavaScript', async () => {
    const url = `${base}/children/${g.children.ava}/plan`;
    const page = await chairClient.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      'The first review conference must be held within 90 days of the initial conference (rule T-3).',
    );
    expect(page.body).toMatch(/name="nextReviewDate-day"[^>]*value="29"/);
    expect(page.body).toMatch(/name="nextReviewDate-month"[^>]*value="5"/);
    expect(page.body.match(/id="action-\d+"/g)).toHaveLength(3);
    const form = {
      rows: '3',
      leadSocialWorkerUserId: sw.id,
      coreGroup: [g.invitee.mother, g.invitee.socialWorker],
      'firstCoreGroupDate-day': '12',
      'firstCoreGroupDate-month': '3',
      'firstCoreGroupDate-year': '2026',
      'action-0': 'Home made safe',
      'who-0': 'Mother',
      'byWhen-0-day': '1',
      'byWhen-0-month': '4',
      'byWhen-0-year': '2026',
      contingencyPlan: 'Legal planning meeting',
      'nextReviewDate-day': '29',
      'nextReviewDate-month': '5',
      'nextReviewDate-year': '2026',
    };
    const more = await chairClient.post(url, { ...form, addRow: 'yes' }, { fromPage: url });
    expect(more.statusCode).toBe(200);
    expect(more.body.match(/id="action-\d+"/g)).toHaveLength(4);
    expect(more.body).toContain('Home made safe');
    const late = await chairClient.post(
      url,
      { ...form, rows: '4', 'nextReviewDate-day': '1', 'nextReviewDate-month': '6' },
      { fromPage: url },
    );
    expect(errorSummary(late.body)).toEqual(['#nextReviewDate-day: The next review must be no later than 29 May 2026']);
    const ok = await chairClient.post(url, { ...form, rows: '4' }, { fromPage: url });
    expect(ok.statusCode).toBe(303);
  });

  it('the summary, the child’s views and concluding; after it is held a change needs a reason and shows in the history', async () => {
    const ben = `${base}/children/${g.children.ben}/decision`;
    await chairClient.post(
      ben,
      {
        outcome: 'no-plan',
        reasons: 'Needs met with support',
        [`view-${g.agencies.csc}`]: 'agrees',
        [`view-${g.agencies.police}`]: 'agrees',
        [`view-${g.agencies.school}`]: 'agrees',
      },
      { fromPage: ben },
    );
    // A category ticked before choosing "no plan" sits in the hidden reveal: it is ignored, not refused.
    const hidden = await chairClient.post(
      ben,
      {
        outcome: 'no-plan',
        category: 'neglect',
        reasons: 'Needs met with support',
        [`view-${g.agencies.csc}`]: 'agrees',
        [`view-${g.agencies.police}`]: 'agrees',
        [`view-${g.agencies.school}`]: 'agrees',
      },
      { fromPage: ben },
    );
    expect(hidden.statusCode).toBe(303);
    const benDecisions = await ctx.services.database.db
      .select()
      .from(childDecisions)
      .where(eq(childDecisions.childId, g.children.ben));
    expect(benDecisions.map((d) => [d.outcome, d.category])).toContainEqual(['no-plan', null]);
    expect(benDecisions.some((d) => d.category !== null)).toBe(false);
    const summary = await chairClient.post(
      `${base}/summary`,
      { worries: 'Home conditions', positives: 'Ava at school every day', changes: 'A safe home' },
      { fromPage: `${base}/summary` },
    );
    expect(summary.statusCode).toBe(303);
    const views = await chairClient.post(
      `${base}/children/${g.children.ava}/views`,
      { childViews: 'Ava wants to stay at home' },
      { fromPage: `${base}/children/${g.children.ava}/views` },
    );
    expect(views.statusCode).toBe(303);
    const conclude = await chairClient.post(
      `${base}/conclude`,
      { actualEndTime: '11.50 a.m.' },
      { fromPage: `${base}/conclude` },
    );
    expect(conclude.statusCode).toBe(303);
    const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, g.conferenceId));
    expect(row).toMatchObject({ status: 'held', actualStartTime: '10:03', actualEndTime: '11:50' });
    const held = await chairClient.get(base);
    expect(held.body).toContain('Held');
    expect(summaryRow(held.body, 'Ended')).toBe('11:50');
    expect(summaryRow(held.body, 'Started')).toBe('10:03 – the chair told those present about the recording');

    const noReason = await chairClient.post(
      `${base}/summary`,
      { worries: 'Home conditions', positives: 'Ava at school every day', changes: 'A safe home; a dentist' },
      { fromPage: `${base}/summary` },
    );
    expect(errorSummary(noReason.body)).toEqual([
      '#changeReason: The conference has been held: enter the reason for this change',
    ]);
    await chairClient.post(
      `${base}/summary`,
      {
        worries: 'Home conditions',
        positives: 'Ava at school every day',
        changes: 'A safe home; a dentist',
        changeReason: 'Dentist agreed at the end',
      },
      { fromPage: `${base}/summary` },
    );
    const summaries = await ctx.services.database.db
      .select()
      .from(chairSummaries)
      .where(eq(chairSummaries.conferenceId, g.conferenceId));
    expect(summaries.map((s) => [s.version, s.changes, s.changeReason]).sort()).toEqual([
      [1, 'A safe home', null],
      [2, 'A safe home; a dentist', 'Dentist agreed at the end'],
    ]);
    const history = await chairClient.get(`${base}/history`);
    expect(history.body).toMatch(
      /Version 2[\s\S]*A safe home; a dentist[\s\S]*Reason for the change[\s\S]*Dentist agreed at the end[\s\S]*Version 1/,
    );
  });

  it('Q-1: an inquorate conference adjourned from the quoracy page shows the new date set, stored on the conference', async () => {
    const group = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Patel' });
    const url = `/conferences/${group.conferenceId}/meeting`;
    await ctx.services.meeting.openConference(
      chair,
      group.conferenceId,
      { pointsGiven: ALL_POINTS, actualStartTime: '10:00' },
      { actor: { id: chair.id, label: chair.name } },
    );
    const adjourn = {
      safetySteps: 'Daily visits by the social worker',
      'reconveneDate-day': '9',
      'reconveneDate-month': '3',
      'reconveneDate-year': '2026',
    };
    const early = await chairClient.post(
      `${url}/quoracy/adjourn`,
      { ...adjourn, 'reconveneDate-day': '2' },
      { fromPage: `${url}/quoracy` },
    );
    expect(early.statusCode).toBe(400);
    expect(errorSummary(early.body)).toEqual(['#reconveneDate-day: The new date must be after 2 March 2026']);
    const ok = await chairClient.post(`${url}/quoracy/adjourn`, adjourn, { fromPage: `${url}/quoracy` });
    expect(ok.statusCode).toBe(303);
    const [row] = await ctx.services.database.db
      .select()
      .from(conferences)
      .where(eq(conferences.id, group.conferenceId));
    expect(row).toMatchObject({
      status: 'adjourned-inquorate',
      adjournmentSafetySteps: 'Daily visits by the social worker',
      reconveneDate: '2026-03-09',
    });
    const page = await chairClient.get(url);
    expect(page.body).toContain('<strong>New date set:</strong> 9 March 2026');
    expect(page.body).toContain('Daily visits by the social worker');
  });

  it('access: a social worker not allocated to one sibling gets 403 and the denial is audited; the allocated one reads without forms', async () => {
    const other = await staff(ctx, 'Olu Worker', ['social_worker']);
    const group = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Hughes' });
    await ctx.services.people.updateChild(
      sw,
      group.children.ben,
      1,
      { allocatedSocialWorkerId: other.id },
      { actor: { id: sw.id, label: sw.name } },
    );
    const otherClient = await clientFor(ctx, app, other);
    const res = await otherClient.get(`/conferences/${group.conferenceId}/meeting`);
    expect(res.statusCode).toBe(403);
    const denied = (await auditRows(ctx, 'conference.meeting.view')).filter(
      (r) => r.subjectId === group.conferenceId && r.outcome === 'denied',
    );
    expect(denied.map((r) => [r.actorUserId, r.details['reason']])).toEqual([
      [other.id, 'not the allocated social worker'],
    ]);
    // Sam is allocated to both children of another conference: the meeting is open to read, its forms are not.
    const both = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Jones' });
    const swClient = await clientFor(ctx, app, sw);
    const read = await swClient.get(`/conferences/${both.conferenceId}/meeting`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('Start the conference');
    expect((await swClient.get(`/conferences/${both.conferenceId}/meeting/start`)).statusCode).toBe(403);
    expect(
      (await swClient.get(`/conferences/${both.conferenceId}/meeting/parts/${both.partId}/register`)).statusCode,
    ).toBe(403);
    expect((await swClient.get(`/conferences/${group.conferenceId}/meeting`)).statusCode).toBe(403);
  });
});

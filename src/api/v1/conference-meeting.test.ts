import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import { childPlans, conferences } from '../../infra/db/schema.ts';
import { recordings } from '../../infra/db/recordings-schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('conference meeting API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let chairToken: string;
  let supportToken: string;
  let swToken: string;
  let g: SiblingGroupConference;
  let url: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url: path,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const conferenceRow = async (id: string) =>
    (await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, id)))[0]!;
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    chairToken = await tokenFor(chair);
    supportToken = await tokenFor(await staff(ctx, 'Bo Support', ['business_support']));
    swToken = await tokenFor(sw);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    url = `/api/v1/conferences/${g.conferenceId}/meeting`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('refuses every route without a token (401) and an unknown conference (404)', async () => {
    for (const [method, path] of [
      ['GET', url],
      ['GET', `${url}/history`],
      ['GET', `${url}/quoracy`],
      ['POST', `${url}/open`],
      ['POST', `${url}/start`],
      ['GET', `${url}/arrival-choices`],
      ['POST', `${url}/parts`],
      ['PUT', `${url}/parts/${g.partId}/attendance`],
      ['POST', `${url}/arrivals`],
      ['POST', `${url}/proceed-inquorate`],
      ['POST', `${url}/adjourn`],
      ['POST', `${url}/children/${g.children.ava}/decisions`],
      ['POST', `${url}/children/${g.children.ava}/plans`],
      ['POST', `${url}/summaries`],
      ['POST', `${url}/conclude`],
    ] as const) {
      expect((await call(method, path, null, method === 'GET' ? undefined : {})).statusCode, `${method} ${path}`).toBe(
        401,
      );
    }
    expect(
      (await call('GET', '/api/v1/conferences/00000000-0000-4000-8000-000000000000/meeting', chairToken)).statusCode,
    ).toBe(404);
  });

  it('the same flow as the pages: open (R-1), register, Q-1, decisions with D-1, plan (T-3), summary, conclude', async () => {
    const malformed = await call('POST', `${url}/open`, chairToken, {
      pointsGiven: ['recorded'],
      actualStartTime: '10.5',
    });
    expect(malformed.statusCode).toBe(400);
    const missing = await call('POST', `${url}/open`, chairToken, {
      pointsGiven: ['recorded'],
      actualStartTime: '10:05',
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().issues).toEqual([
      { path: 'pointsGiven', message: 'Tell those present about the recording and tick each point (8 not ticked)' },
    ]);
    const opened = await call('POST', `${url}/open`, chairToken, {
      pointsGiven: REMINDER_POINT_IDS,
      actualStartTime: '10:05',
    });
    expect(opened.json()).toEqual({ status: 'in-progress', actualStartTime: '10:05' });
    expect(await conferenceRow(g.conferenceId)).toMatchObject({
      actualStartTime: '10:05',
      reminderGivenAt: new Date('2026-03-02T09:00:00Z'),
    });
    expect((await call('GET', url, swToken)).json().conference).toMatchObject({
      actualStartTime: '10:05',
      recordingReminderGiven: true,
      reminderGivenAt: '2026-03-02T09:00:00.000Z',
      actualEndTime: null,
    });

    // Business support keeps the register; the response carries live quoracy.
    const attended = (inviteeId: string) => ({ inviteeId, status: 'attended' });
    const register = await call('PUT', `${url}/parts/${g.partId}/attendance`, supportToken, {
      entries: [
        attended(g.invitee.socialWorker),
        attended(g.invitee.police),
        attended(g.invitee.gp),
        attended(g.invitee.mother),
      ],
    });
    expect(register.statusCode).toBe(200);
    expect(register.json().quoracy).toMatchObject({
      quorate: false,
      countingAgencies: ['Police Public Protection Unit'],
      notCounting: ['Mill Lane Surgery'],
    });
    const clash = await call('PUT', `${url}/parts/${g.partId}/attendance`, supportToken, {
      entries: [{ inviteeId: g.invitee.mother, status: 'apologies', joinedAtMinutes: 10 }],
    });
    expect(clash.statusCode).toBe(422);
    expect(clash.json().issues).toEqual([
      { path: `joinedAt-${g.invitee.mother}`, message: 'Only someone who attended can join late or leave early' },
    ]);
    const quorate = await call('PUT', `${url}/parts/${g.partId}/attendance`, supportToken, {
      entries: [attended(g.invitee.school)],
    });
    expect(quorate.json().quoracy.quorate).toBe(true);
    expect((await call('GET', `${url}/quoracy`, swToken)).json().quoracy.quorate).toBe(true);

    // A decision from an agency not present is refused; two dissents need the referral (D-1).
    const views = (dissent: string[]) =>
      [g.agencies.csc, g.agencies.police, g.agencies.school, g.agencies.gp].map((agencyId) => ({
        agencyId,
        view: dissent.includes(agencyId) ? 'dissents' : 'agrees',
      }));
    const decision = {
      outcome: 'plan-needed',
      category: 'neglect',
      reasons: 'Neglect of basic care',
      agencyViews: views([g.agencies.police, g.agencies.school]),
    };
    const noReferral = await call('POST', `${url}/children/${g.children.ava}/decisions`, chairToken, decision);
    expect(noReferral.statusCode).toBe(422);
    expect(noReferral.json().issues.map((i: { path: string }) => i.path)).toEqual(['referredTo', 'referredOn']);
    expect((await call('POST', `${url}/children/${g.children.ava}/decisions`, supportToken, decision)).statusCode).toBe(
      403,
    );
    const ava = await call('POST', `${url}/children/${g.children.ava}/decisions`, chairToken, {
      ...decision,
      referral: { referredTo: 'Head of Quality Assurance', referredOn: '2026-03-02' },
    });
    expect(ava.statusCode).toBe(201);
    // CSC and the GP agree, police and school dissent: equally split, so the chair decided (002 §3.12).
    expect(ava.json()).toMatchObject({
      version: 1,
      seniorManagerReferralRequired: true,
      equallySplit: true,
      referral: { referredTo: 'Head of Quality Assurance', reviewedOn: null },
    });
    const noCategory = await call('POST', `${url}/children/${g.children.ben}/decisions`, chairToken, {
      ...decision,
      outcome: 'no-plan',
      agencyViews: views([]),
    });
    expect(noCategory.json()).toMatchObject({ error: 'category_without_plan', field: 'category' });
    // Three agencies dissent: the referral is needed here too.
    const threeDissent = await call('POST', `${url}/children/${g.children.ben}/decisions`, chairToken, {
      ...decision,
      agencyViews: views([g.agencies.police, g.agencies.school, g.agencies.gp]),
    });
    expect(threeDissent.json().issues.map((i: { path: string }) => i.path)).toEqual(['referredTo', 'referredOn']);
    const benOk = await call('POST', `${url}/children/${g.children.ben}/decisions`, chairToken, {
      ...decision,
      outcome: 'no-plan',
      category: null,
      agencyViews: views([g.agencies.police]),
    });
    expect(benOk.statusCode).toBe(201);
    expect(benOk.json()).toMatchObject({
      outcome: 'no-plan',
      equallySplit: false,
      seniorManagerReferralRequired: false,
      referral: null,
    });

    const plan = {
      leadSocialWorkerUserId: sw.id,
      coreGroupInviteeIds: [g.invitee.mother, g.invitee.socialWorker],
      firstCoreGroupDate: '2026-03-12',
      actions: [{ action: 'Home made safe', who: 'Mother', byWhen: '2026-04-01' }],
      contingencyPlan: 'Legal planning meeting',
      nextReviewDate: '2026-06-01',
    };
    const late = await call('POST', `${url}/children/${g.children.ava}/plans`, chairToken, plan);
    expect(late.json().issues).toEqual([
      { path: 'nextReviewDate', message: 'The next review must be no later than 29 May 2026' },
    ]);
    const saved = await call('POST', `${url}/children/${g.children.ava}/plans`, chairToken, {
      ...plan,
      nextReviewDate: '2026-05-29',
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({
      version: 1,
      nextReviewDate: '2026-05-29',
      leadSocialWorker: { id: sw.id, name: 'Sam Worker' },
    });
    expect((await call('POST', `${url}/children/${g.children.ben}/plans`, chairToken, plan)).json()).toMatchObject({
      error: 'no_plan',
    });

    expect(
      (
        await call('POST', `${url}/summaries`, chairToken, {
          worries: 'Home',
          positives: 'School',
          changes: 'Safe home',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await call('PUT', `${url}/children/${g.children.ava}/views`, chairToken, { views: 'Ava wants to stay at home' })
      ).json(),
    ).toEqual({ childId: g.children.ava, childViews: 'Ava wants to stay at home' });
    const concluded = await call('POST', `${url}/conclude`, chairToken, { actualEndTime: '11:45' });
    expect(concluded.json()).toEqual({ status: 'held', actualEndTime: '11:45' });
    expect(await conferenceRow(g.conferenceId)).toMatchObject({
      status: 'held',
      actualStartTime: '10:05',
      actualEndTime: '11:45',
    });

    // After the event: a reason, a new version, the old one kept.
    const change = await call('POST', `${url}/children/${g.children.ava}/plans`, chairToken, {
      ...plan,
      nextReviewDate: '2026-05-20',
    });
    expect(change.json()).toMatchObject({ error: 'change_reason_required', field: 'changeReason' });
    expect(
      (
        await call('POST', `${url}/children/${g.children.ava}/plans`, chairToken, {
          ...plan,
          nextReviewDate: '2026-05-20',
          changeReason: 'Review brought forward',
        })
      ).json(),
    ).toMatchObject({ version: 2 });
    const planRows = await ctx.services.database.db
      .select()
      .from(childPlans)
      .where(and(eq(childPlans.conferenceId, g.conferenceId), eq(childPlans.childId, g.children.ava)));
    expect(planRows.map((r) => [r.version, r.changeReason]).sort()).toEqual([
      [1, null],
      [2, 'Review brought forward'],
    ]);
    const history = (await call('GET', `${url}/history`, swToken)).json();
    expect(
      history.plans.map((p: { version: number; nextReviewDate: string; changeReason: string | null }) => [
        p.version,
        p.nextReviewDate,
        p.changeReason,
      ]),
    ).toEqual([
      [1, '2026-05-29', null],
      [2, '2026-05-20', 'Review brought forward'],
    ]);
    const state = (await call('GET', url, swToken)).json();
    expect(state.conference).toMatchObject({
      status: 'held',
      actualStartTime: '10:05',
      actualEndTime: '11:45',
      recordingReminderGiven: true,
      reminderGivenAt: '2026-03-02T09:00:00.000Z',
    });
    expect(state.children[0].plan).toMatchObject({ version: 2, changeReason: 'Review brought forward' });
    expect(
      state.children.map((c: { givenNames: string; presumedToAttend: boolean; plan: { version: number } | null }) => [
        c.givenNames,
        c.presumedToAttend,
        c.plan?.version ?? null,
      ]),
    ).toEqual([
      ['Ava', true, 2],
      ['Ben', false, null],
    ]);
    expect(state.permissions).toEqual({ chair: false, register: false });

    // Each child's latest decision and plan, as dashboards and records read them (D-1, T-3): Ben has a
    // decision and no plan; a child never conferenced has no entry; the read is audited.
    const outcomes = await call('POST', '/api/v1/children/current-outcomes', swToken, {
      childIds: [g.children.ava, g.children.ben],
    });
    expect(outcomes.statusCode, outcomes.body).toBe(200);
    const byChild = new Map(
      outcomes
        .json()
        .outcomes.map((o: { childId: string; conferenceId: string; plan: { version: number } | null }) => [
          o.childId,
          o,
        ]),
    );
    expect(byChild.get(g.children.ava)).toMatchObject({ conferenceId: g.conferenceId, plan: { version: 2 } });
    expect(byChild.get(g.children.ben)).toMatchObject({ conferenceId: g.conferenceId, plan: null });
    const audited = (await auditRows(ctx, 'conference.outcomes.view')).filter((r) => r.actorUserId === sw.id);
    expect(audited.at(-1)!.details).toMatchObject({ childIds: expect.arrayContaining([g.children.ava]) });
    expect(
      (await call('POST', '/api/v1/children/current-outcomes', swToken, { childIds: ['not-an-id'] })).statusCode,
    ).toBe(400);
  });

  it('R-1 as the start page: a split conference’s recording needs its part before anything opens; then it opens and records that part', async () => {
    const group = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Okafor' });
    const base = `/api/v1/conferences/${group.conferenceId}/meeting`;
    const part2 = await call('POST', `${base}/parts`, chairToken, {
      label: 'Part 2',
      startOffsetMinutes: 60,
      durationMinutes: 30,
    });
    expect(part2.statusCode).toBe(201);
    const start = { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:05', record: true };
    const noPart = await call('POST', `${base}/start`, chairToken, start);
    expect(noPart.statusCode).toBe(422);
    expect(noPart.json().issues).toEqual([
      { path: 'partId', message: 'Select the part of the conference you are recording' },
    ]);
    expect((await conferenceRow(group.conferenceId)).status).toBe('planned');
    const started = await call('POST', `${base}/start`, chairToken, { ...start, partId: part2.json().id });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toEqual({ recordingId: expect.any(String), recordingRefused: false });
    expect(await conferenceRow(group.conferenceId)).toMatchObject({ status: 'in-progress', actualStartTime: '10:05' });
    const recording = await ctx.services.database.db
      .select()
      .from(recordings)
      .where(eq(recordings.id, started.json().recordingId));
    expect(recording[0]).toMatchObject({ conferencePartId: part2.json().id, kind: 'meeting', source: 'browser' });
  });

  it('who could be added on arrival: the register keeper reads the choices, a social worker may not', async () => {
    const choices = await call('GET', `${url}/arrival-choices`, supportToken);
    expect(choices.statusCode).toBe(200);
    const body = choices.json() as { children: Array<{ childId: string }>; agencies: unknown[] };
    expect(Object.keys(body).sort()).toEqual(['agencies', 'children', 'network', 'professionals', 'staff']);
    expect(body.agencies.length).toBeGreaterThan(0);
    expect((await call('GET', `${url}/arrival-choices`, swToken)).statusCode).toBe(403);
  });

  it('every meeting operation names the use case it calls (quoracy is part of the meeting’s read)', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json', null)).json() as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const ops = Object.entries(doc.paths)
      .filter(([path]) => /^\/api\/v1\/conferences\/\{id\}\/meeting(\/|$)/.test(path))
      .flatMap(([, methods]) => Object.values(methods).map((op) => op.operationId));
    expect(ops.length).toBe(21);
    expect(ops.every((op) => op?.startsWith('MeetingService.'))).toBe(true);
    expect(new Set(ops).size).toBe(ops.length);
    expect(doc.paths['/api/v1/conferences/{id}/meeting/start']?.['post']?.operationId).toBe(
      'MeetingService.startConference',
    );
    expect(doc.paths['/api/v1/conferences/{id}/meeting/quoracy']?.['get']?.operationId).toBe(
      'MeetingService.getMeeting.quoracy',
    );
  });

  it('a social worker not allocated to one sibling is refused (403) and the denial audited', async () => {
    const other = await staff(ctx, 'Olu Worker', ['social_worker']);
    const group = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Hughes' });
    await ctx.services.people.updateChild(
      sw,
      group.children.ben,
      1,
      { allocatedSocialWorkerId: other.id },
      { actor: { id: sw.id, label: sw.name } },
    );
    const res = await call('GET', `/api/v1/conferences/${group.conferenceId}/meeting`, await tokenFor(other));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden' });
    const denied = (await auditRows(ctx, 'conference.meeting.view')).filter(
      (r) => r.subjectId === group.conferenceId && r.outcome === 'denied',
    );
    expect(denied.map((r) => r.details['reason'])).toEqual(['not the allocated social worker']);
  });

  it('Q-1: an inquorate conference is adjourned with the safety steps and a new date; the reconvened conference is left to convening', async () => {
    const group = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Patel' });
    const base = `/api/v1/conferences/${group.conferenceId}/meeting`;
    await call('POST', `${base}/open`, chairToken, { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:00' });
    const early = await call('POST', `${base}/adjourn`, chairToken, {
      safetySteps: 'Daily visits',
      reconveneDate: '2026-03-02',
    });
    expect(early.json().issues).toEqual([
      { path: 'reconveneDate', message: 'The new date must be after 2 March 2026' },
    ]);
    const adjourned = await call('POST', `${base}/adjourn`, chairToken, {
      safetySteps: 'Daily visits',
      reconveneDate: '2026-03-09',
    });
    expect(adjourned.json()).toEqual({ status: 'adjourned-inquorate', reconveneDate: '2026-03-09' });
    expect(await conferenceRow(group.conferenceId)).toMatchObject({
      status: 'adjourned-inquorate',
      reconveneDate: '2026-03-09',
    });
    expect((await call('GET', base, chairToken)).json().conference).toMatchObject({
      status: 'adjourned-inquorate',
      adjournmentSafetySteps: 'Daily visits',
      reconveneDate: '2026-03-09',
      reconvenedConferenceId: null,
    });
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SiblingFixture, ctxOf, initialInput, markHeld, siblingFixture } from '../../../test/support/convening.ts';
import { addChild, auditRows, staff } from '../../../test/support/people.ts';
import { apiCaller, apiToken } from '../../../test/support/recording-to-record.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('conference requests and convening grounds API, 002 §1.1, §1.3, §2.2 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: SiblingFixture;
  let swToken: string;
  let tmToken: string;
  let strangerToken: string;

  const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app)(...args);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx, 'Apiasks');
    swToken = await apiToken(ctx, f.sw);
    tmToken = await apiToken(ctx, await staff(ctx, 'Tam Manager', ['team_manager']));
    strangerToken = await apiToken(ctx, await staff(ctx, 'Sol Other', ['social_worker']));
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §1.1: record (422 listing every problem), list, read, and a team manager declines a supported request only with why it is the exception', async () => {
    const path = `/api/v1/children/${f.ava}/conference-requests`;
    const bad = await call('POST', path, swToken, {
      requesterKind: 'described',
      reasons: '',
      support: 'senior-manager',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual([
      'name',
      'agency',
      'role',
      'reasons',
      'supporterName',
    ]);
    expect(
      (
        await call('POST', path, strangerToken, {
          requesterKind: 'on-record',
          professionalId: f.teacher,
          reasons: 'x',
          support: 'none',
        })
      ).statusCode,
    ).toBe(403);
    const created = await call('POST', path, swToken, {
      requesterKind: 'on-record',
      professionalId: f.officer,
      reasons: 'A known offender visits the home.',
      support: 'senior-manager',
      supporterName: 'Sid Senior',
    });
    expect(created.statusCode).toBe(201);
    const r = created.json();
    expect(r).toMatchObject({ childId: f.ava, status: { value: 'awaiting-decision' }, support: { supported: true } });
    expect(r).not.toHaveProperty('childName');
    expect((await call('GET', path, swToken)).json().requests.map((x: { id: string }) => x.id)).toContain(r.id);
    expect((await call('GET', `/api/v1/conference-requests/${r.id}`, swToken)).json()).toMatchObject({
      canDecide: false,
    });
    expect((await call('GET', '/api/v1/conference-requests', swToken)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/conference-requests', tmToken)).json().requests[0].id).toBe(r.id);

    const decision = `/api/v1/conference-requests/${r.id}/decision`;
    expect((await call('POST', decision, swToken, { decision: 'agree' })).statusCode).toBe(403);
    const noException = await call('POST', decision, tmToken, { decision: 'decline', reasons: 'r', discussion: 'd' });
    expect(noException.statusCode).toBe(422);
    expect(noException.json().issues.map((i: { path: string }) => i.path)).toEqual(['exceptionReason']);
    const declined = await call('POST', decision, tmToken, {
      decision: 'decline',
      reasons: 'Moved away.',
      discussion: 'Spoke with the officer.',
      exceptionReason: 'New information.',
    });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({
      status: { value: 'declined' },
      requesterEmailed: true,
      decision: { reasons: 'Moved away.', discussion: 'Spoke with the officer.', exceptionReason: 'New information.' },
    });
    expect((await call('POST', decision, tmToken, { decision: 'agree' })).statusCode).toBe(409);
    expect((await auditRows(ctx, 'conference-request.decide')).filter((a) => a.subjectId === r.id)).toEqual([
      expect.objectContaining({ outcome: 'success', details: expect.objectContaining({ decision: 'declined' }) }),
    ]);
  });

  it('002 §1.1: convening through the API with `conferenceRequestId` answers the agreed request, once; the request then names the conference', async () => {
    const asked = await call('POST', `/api/v1/children/${f.ben}/conference-requests`, swToken, {
      requesterKind: 'described',
      name: 'Dr Api Gp',
      agency: 'Mill Lane Surgery',
      role: 'GP',
      reasons: 'Injuries not explained.',
      support: 'none',
    });
    const id = asked.json().id as string;
    expect(
      (await call('POST', `/api/v1/conference-requests/${id}/decision`, tmToken, { decision: 'agree' })).statusCode,
    ).toBe(200);
    const convened = await call('POST', '/api/v1/conferences', swToken, {
      ...initialInput(f),
      conferenceRequestId: id,
    });
    expect(convened.statusCode).toBe(201);
    const conferenceId = convened.json().conference.id as string;
    expect((await call('GET', `/api/v1/conference-requests/${id}`, swToken)).json()).toMatchObject({
      status: { value: 'agreed', label: 'Conference convened' },
      conference: { id: conferenceId, scheduledDate: '2026-03-16' },
      conveneLink: null,
      requesterToldOfConference: false,
    });
    const again = await call('POST', '/api/v1/conferences', swToken, { ...initialInput(f), conferenceRequestId: id });
    expect(again.statusCode).toBe(422);
    expect(again.json().field).toBe('conferenceRequestId');
  });

  it('002 §1.3, §2.2: convening takes the pre-birth grounds, the premature flag and a review’s reason, and the conference returns them', async () => {
    const baby = await addChild(ctx, f.sw, {
      givenNames: 'Baby',
      familyName: 'Apiasks',
      dateOfBirth: null,
      expectedDeliveryDate: '2026-08-20',
    });
    const base = {
      ...initialInput(f),
      childIds: [baby],
      type: 'pre-birth',
      strategyDiscussionDate: null,
      expectedDeliveryDate: '2026-08-20',
    };
    const missing = await call('POST', '/api/v1/conferences', swToken, base);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().field).toBe('preBirthGrounds');
    const pre = await call('POST', '/api/v1/conferences', swToken, {
      ...base,
      preBirthGrounds: ['assessment-significant-harm'],
      prematureBirthLikely: true,
    });
    expect(pre.statusCode).toBe(201);
    expect(pre.json().conference).toMatchObject({
      due: { latest: '2026-04-02' },
      grounds: {
        preBirthGrounds: [{ value: 'assessment-significant-harm' }],
        prematureBirthLikely: true,
        broughtForward: null,
      },
    });

    const { id: initial } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    await markHeld(ctx, initial);
    const review = {
      ...initialInput(f),
      type: 'review',
      strategyDiscussionDate: null,
      previousConferenceId: initial,
      scheduledDate: '2026-04-20',
    };
    const noReason = await call('POST', '/api/v1/conferences', swToken, review);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().issues.map((i: { path: string }) => i.path)).toEqual(['broughtForwardReason']);
    const early = await call('POST', '/api/v1/conferences', swToken, {
      ...review,
      broughtForwardReason: 'family-changes',
    });
    expect(early.statusCode).toBe(201);
    expect(early.json().conference.grounds.broughtForward).toMatchObject({
      reason: 'family-changes',
      otherReason: null,
    });
    const list = (await call('GET', `/api/v1/children/${f.ava}/conferences`, swToken)).json();
    expect(list.conferences.find((c: { id: string }) => c.id === early.json().conference.id).broughtForward).toMatch(
      /circumstances have changed/,
    );
  });
});

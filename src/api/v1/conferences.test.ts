import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { conferences } from '../../infra/db/schema.ts';
import { addChild, auditRows, staff } from '../../../test/support/people.ts';
import {
  PDF_BYTES,
  type SiblingFixture,
  ctxOf,
  initialInput,
  markHeld,
  siblingFixture,
} from '../../../test/support/convening.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('conferences API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: SiblingFixture;
  let swToken: string;
  let supportToken: string;

  const call = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;
  const count = async () => (await ctx.services.database.db.select().from(conferences)).length;
  const body = (over: Record<string, unknown> = {}) => ({ ...initialInput(f), ...over });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx);
    swToken = await tokenFor(f.sw);
    supportToken = await tokenFor(f.support);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('refuses every route without a token (401)', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['POST', '/api/v1/conferences'],
      ['GET', `/api/v1/conferences/${id}`],
      ['GET', `/api/v1/children/${id}/conferences`],
      ['POST', `/api/v1/conferences/${id}/invitations`],
      ['GET', `/api/v1/conferences/${id}/invitations/${id}/letter`],
    ] as const) {
      expect((await call(method, url, null, method === 'GET' ? undefined : {})).statusCode, `${method} ${url}`).toBe(
        401,
      );
    }
  });

  it('convenes an initial conference for a sibling group (201) with its due date, rule and start date', async () => {
    const res = await call('POST', '/api/v1/conferences', swToken, body());
    expect(res.statusCode).toBe(201);
    const out = res.json();
    expect(out.conference).toMatchObject({
      type: 'initial',
      status: 'planned',
      scheduledDate: '2026-03-16',
      endTime: '12:00',
      due: { ruleId: 'T-1', from: '2026-02-27', fromMeaning: 'date of the strategy discussion', due: '2026-03-20' },
      reportsToFamilyDue: { ruleId: 'T-5', due: '2026-03-11' },
      chair: { id: f.chair.id, name: 'Cal Chair' },
    });
    expect(out.conference.chair).not.toHaveProperty('email');
    expect(
      out.children.map((c: { givenNames: string; presumedToAttend: boolean }) => [c.givenNames, c.presumedToAttend]),
    ).toEqual([
      ['Ava', true],
      ['Ben', false],
    ]);
    expect(out.children[0]).not.toHaveProperty('address');
    expect(out.parts).toEqual([expect.objectContaining({ ordinal: 1, label: 'Whole conference' })]);

    const read = await call('GET', `/api/v1/conferences/${out.conference.id}`, supportToken);
    expect(read.statusCode).toBe(200);
    expect(
      (await auditRows(ctx, 'conference.view')).some(
        (r) => r.subjectId === out.conference.id && r.actorUserId === f.support.id,
      ),
    ).toBe(true);
    const list = await call('GET', `/api/v1/children/${f.ben}/conferences`, swToken);
    expect(list.json().conferences.map((c: { id: string }) => c.id)).toContain(out.conference.id);
  });

  it('answers 422 with every problem on its field, and saves nothing', async () => {
    const before = await count();
    let res = await call(
      'POST',
      '/api/v1/conferences',
      swToken,
      body({ type: 'review', strategyDiscussionDate: null, scheduledDate: '2026-05-11' }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().issues.map((i: { path: string }) => i.path)).toEqual(['previousConferenceId']);
    res = await call('POST', '/api/v1/conferences', swToken, body({ scheduledDate: '2026-02-26' }));
    expect(res.json().issues).toEqual([
      {
        path: 'scheduledDate',
        message: 'The conference date must be on or after the date of the strategy discussion (27 February 2026)',
      },
    ]);
    res = await call('POST', '/api/v1/conferences', swToken, body({ scheduledDate: '2026-03-30' }));
    expect(res.statusCode).toBe(422);
    expect(res.json().issues.map((i: { path: string }) => i.path)).toEqual(['lateAgreedBy', 'lateReason']);
    res = await call('POST', '/api/v1/conferences', swToken, body({ type: 'pre-birth' }));
    // 002 §1.3: a pre-birth conference also needs its grounds, asked with the rest.
    expect(res.json().issues.map((i: { path: string }) => i.path)).toEqual([
      'type',
      'expectedDeliveryDate',
      'preBirthGrounds',
    ]);
    res = await call('POST', '/api/v1/conferences', swToken, { childIds: [f.ava] });
    expect(res.statusCode).toBe(400);
    expect(await count()).toBe(before);

    res = await call(
      'POST',
      '/api/v1/conferences',
      swToken,
      body({
        scheduledDate: '2026-03-30',
        lateAgreedBy: 'Jo Head, Head of Service',
        lateReason: 'Interpreter availability.',
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().conference).toMatchObject({
      lateAgreedBy: 'Jo Head, Head of Service',
      lateReason: 'Interpreter availability.',
    });
  });

  it('convenes a review after a held conference and a transfer-in from the notice of the move', async () => {
    const initial = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    await markHeld(ctx, initial);
    const review = await call(
      'POST',
      '/api/v1/conferences',
      swToken,
      body({
        type: 'review',
        strategyDiscussionDate: null,
        previousConferenceId: initial,
        scheduledDate: '2026-05-11',
      }),
    );
    expect(review.statusCode).toBe(201);
    expect(review.json().conference).toMatchObject({
      previousConferenceId: initial,
      due: { ruleId: 'T-3', from: '2026-03-16' },
    });
    const transfer = await call(
      'POST',
      '/api/v1/conferences',
      swToken,
      body({
        type: 'transfer-in',
        strategyDiscussionDate: null,
        noticeOfMoveDate: '2026-02-25',
        scheduledDate: '2026-03-10',
      }),
    );
    expect(transfer.json().conference.due).toMatchObject({ ruleId: 'T-4', due: '2026-03-18' });
  });

  it('refuses a sibling group when the caller may change only one of the children (403), audited', async () => {
    const other = await staff(ctx, 'Olu Worker', ['social_worker']);
    const theirs = await addChild(ctx, other, { givenNames: 'Cara', familyName: 'Else' });
    const before = await count();
    const res = await call('POST', '/api/v1/conferences', swToken, body({ childIds: [f.ava, theirs] }));
    expect(res.statusCode).toBe(403);
    expect(await count()).toBe(before);
    expect(
      (await auditRows(ctx, 'conference.create')).some((r) => r.outcome === 'denied' && r.subjectId === theirs),
    ).toBe(true);
    const conferenceId = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    const otherToken = await tokenFor(other);
    expect((await call('GET', `/api/v1/conferences/${conferenceId}`, otherToken)).statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'conference.view')).some((r) => r.outcome === 'denied' && r.actorUserId === other.id),
    ).toBe(true);
  });

  it('invites people and returns the letter text with R-1 and the children’s details', async () => {
    const id = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    const bad = await call('POST', `/api/v1/conferences/${id}/invitations`, supportToken, {
      invitees: [{ kind: 'professional', professionalId: f.teacher }],
    });
    expect(bad.statusCode).toBe(400);
    const res = await call('POST', `/api/v1/conferences/${id}/invitations`, supportToken, {
      invitees: [
        { kind: 'family-member', personId: f.grace, sent: { method: 'letter-and-email', sentOn: '2026-03-02' } },
        { kind: 'family-member', personId: f.sue },
        { kind: 'child', childId: f.ava },
        { kind: 'professional', professionalId: f.healthVisitor, directContact: true },
      ],
    });
    expect(res.statusCode).toBe(201);
    const invitees = res.json().invitees;
    expect(invitees.map((i: { kind: string; receivesMinutes: boolean }) => [i.kind, i.receivesMinutes])).toEqual([
      ['family-member', true],
      ['supporter', false],
      ['child', true],
      ['professional', true],
    ]);
    expect(invitees[0].relationships).toEqual([
      { childId: f.ava, relationship: 'mother', parentalResponsibility: true },
      { childId: f.ben, relationship: 'mother', parentalResponsibility: true },
    ]);
    expect(invitees[3]).toMatchObject({ agencyKind: 'health_visitor', directContact: true, invitationMethod: null });
    const again = await call('POST', `/api/v1/conferences/${id}/invitations`, supportToken, {
      invitees: [{ kind: 'child', childId: f.ava }],
    });
    expect(again.statusCode).toBe(422);

    const letter = await call('GET', `/api/v1/conferences/${id}/invitations/${invitees[3].id}/letter`, supportToken);
    expect(letter.statusCode).toBe(200);
    const l = letter.json();
    expect(l.subject).toContain('16 March 2026');
    expect(l.body).toContain('Ava Okafor, born 10 January 2012, of 12 Mill Lane, Luton, LU1 1AA');
    expect(l.body).toContain('Ben Okafor, born 5 May 2019, of 12 Mill Lane, Luton, LU1 1AA');
    expect(l.body).toContain('The conference will be audio recorded');
    expect(l).toMatchObject({ includesAddresses: true, includesRecordingNotice: true });
    const child = await call('GET', `/api/v1/conferences/${id}/invitations/${invitees[2].id}/letter`, supportToken);
    expect(child.json().body).toContain('It is about you and your brothers and sisters.');
    expect(child.json().includesAddresses).toBe(false);
    expect((await call('GET', `/api/v1/conferences/${id}/invitations/${id}/letter`, supportToken)).statusCode).toBe(
      404,
    );
  });

  it('Q-1: invites the children’s allocated social worker for children’s social care, as the pages do', async () => {
    const id = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    const res = await call('POST', `/api/v1/conferences/${id}/invitations`, supportToken, {
      invitees: [{ kind: 'social-worker', userId: f.sw.id }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().invitees[0]).toMatchObject({
      kind: 'professional',
      userId: f.sw.id,
      staffRole: 'social-worker',
      roleTitle: 'Allocated social worker',
      agencyKind: 'childrens_social_care',
      professionalId: null,
    });
    expect(
      (
        await call('POST', `/api/v1/conferences/${id}/invitations`, supportToken, {
          invitees: [{ kind: 'team-manager', userId: f.sw.id }],
        })
      ).statusCode,
    ).toBe(422);
  });

  it('answers the choices a case system needs to convene: chairs and minute takers, the sibling group, reviews', async () => {
    const staffRes = await call('GET', '/api/v1/conferences/staff-choices', swToken);
    expect(staffRes.statusCode).toBe(200);
    expect(staffRes.json().chairs).toContainEqual({ id: f.chair.id, name: 'Cal Chair' });
    expect(staffRes.json().minuteTakers.map((s: { id: string }) => s.id)).toContain(f.support.id);

    const group = await call('GET', `/api/v1/children/${f.ava}/sibling-group`, swToken);
    expect(group.statusCode).toBe(200);
    expect(group.json().child).toMatchObject({ id: f.ava, givenNames: 'Ava', dateOfBirth: '2012-01-10' });
    expect(group.json().siblings.map((c: { id: string }) => c.id)).toEqual([f.ben]);
    expect(group.json().child).not.toHaveProperty('address');

    const id = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    await markHeld(ctx, id);
    const previous = await call('GET', `/api/v1/children/${f.ben}/previous-conferences`, swToken);
    expect(previous.statusCode).toBe(200);
    expect(previous.json().conferences).toContainEqual(
      expect.objectContaining({ id, type: 'initial', scheduledDate: '2026-03-16' }),
    );
    // The type step's and the afterwards form's choices together, as the pages offer them.
    const typeChoices = await call(
      'GET',
      `/api/v1/conferences/type-choices?childIds=${f.ava}&childIds=${f.ben}`,
      swToken,
    );
    expect(typeChoices.statusCode).toBe(200);
    expect(typeChoices.json().previous.map((c: { id: string }) => c.id)).toContain(id);
    expect(typeChoices.json().reconvene).toEqual([]);
    const afterwards = await call('GET', `/api/v1/children/${f.ava}/afterwards-choices`, swToken);
    expect(afterwards.statusCode).toBe(200);
    expect(afterwards.json().children.map((c: { id: string }) => c.id)).toEqual([f.ava, f.ben]);
    expect(afterwards.json().previous.map((c: { id: string }) => c.id)).toContain(id);
    expect(afterwards.json().chairs).toContainEqual({ id: f.chair.id, name: 'Cal Chair' });
    // Only someone who may change children's records (403).
    const qa = await staff(ctx, 'Quinn Quality', ['qa_manager']);
    expect((await call('GET', `/api/v1/children/${f.ava}/sibling-group`, await tokenFor(qa))).statusCode).toBe(403);
  });

  it('lists the people who could be invited, marking those already invited', async () => {
    const id = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    await call('POST', `/api/v1/conferences/${id}/invitations`, supportToken, {
      invitees: [{ kind: 'family-member', personId: f.grace }],
    });
    const res = await call('GET', `/api/v1/conferences/${id}/invitation-candidates`, supportToken);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    const grace = c.family.find((p: { personId: string }) => p.personId === f.grace);
    expect(grace).toMatchObject({ invited: true });
    expect(grace.relationships).toContainEqual({
      childId: f.ava,
      relationship: 'mother',
      parentalResponsibility: true,
    });
    expect(c.children).toContainEqual(
      expect.objectContaining({ childId: f.ava, presumedToAttend: true, invited: false }),
    );
    expect(c.professionals.map((p: { professionalId: string }) => p.professionalId)).toContain(f.healthVisitor);
    expect(c.childrensSocialCare.agency).toEqual({ id: expect.any(String), name: expect.any(String) });
  });

  it('answers one issued copy of an invitation exactly as it was sent', async () => {
    const id = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    const [invitee] = (
      await call('POST', `/api/v1/conferences/${id}/invitations`, supportToken, {
        invitees: [{ kind: 'professional', professionalId: f.healthVisitor, directContact: true }],
      })
    ).json().invitees;
    const today = ctx.services.convening.today();
    const issued = await call('POST', `/api/v1/conferences/${id}/invitations/${invitee.id}/issues`, supportToken, {
      method: 'letter',
      sentOn: today,
    });
    expect(issued.statusCode).toBe(201);
    const res = await call(
      'GET',
      `/api/v1/conferences/${id}/invitations/${invitee.id}/issues/${issued.json().id}`,
      supportToken,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(issued.json());
    const missing = `/api/v1/conferences/${id}/invitations/${invitee.id}/issues/${id}`;
    expect((await call('GET', missing, supportToken)).statusCode).toBe(404);
  });

  it('adds an agency’s report sent as the body, its type decided from its content', async () => {
    const id = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    const upload = (data: Buffer, agencyId: string = f.agencies.school) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/conferences/${id}/reports?agencyId=${agencyId}`,
        headers: { authorization: `Bearer ${supportToken}`, 'content-type': 'application/octet-stream' },
        payload: data,
      });
    const res = await upload(PDF_BYTES);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      agencyId: f.agencies.school,
      mediaType: 'application/pdf',
      sizeBytes: PDF_BYTES.length,
      sharedWithFamilyOn: null,
    });
    const text = await upload(Buffer.from('Just some notes\n'));
    expect(text.statusCode).toBe(422);
    expect(text.json().issues.map((i: { path: string }) => i.path)).toEqual(['file']);
    expect((await upload(PDF_BYTES, id)).statusCode).toBe(422);
    const reports = (await call('GET', `/api/v1/conferences/${id}`, supportToken)).json().reports;
    expect(reports.map((r: { id: string }) => r.id)).toEqual([res.json().id]);
    const uploads = (await auditRows(ctx)).filter((a) => a.subjectId === id && a.action === 'conference.report.upload');
    expect(uploads.length).toBeGreaterThan(0);
  });

  it('T-5: downloads a report, records it shared or withholds it, and records all waiting as shared', async () => {
    const id = (await call('POST', '/api/v1/conferences', swToken, body())).json().conference.id;
    const add = (agencyId: string) =>
      ctx.services.convening.uploadReport(f.support, id, { agencyId, content: PDF_BYTES }, ctxOf(f.support));
    for (const agencyId of [f.agencies.school, f.agencies.healthVisitor, f.agencies.midwife, f.agencies.police])
      await add(agencyId);
    const reportOf = async (agencyId: string) =>
      (await call('GET', `/api/v1/conferences/${id}`, supportToken))
        .json()
        .reports.find((r: { agencyId: string }) => r.agencyId === agencyId);
    const school = await reportOf(f.agencies.school);

    const file = await call('GET', `/api/v1/conferences/${id}/reports/${school.id}/file`, swToken);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.equals(PDF_BYTES)).toBe(true);

    const today = ctx.services.convening.today();
    const shared = `/api/v1/conferences/${id}/reports/${school.id}/shared`;
    expect((await call('POST', shared, supportToken, { sharedOn: today })).statusCode).toBe(204);
    expect((await reportOf(f.agencies.school)).sharedWithFamilyOn).toBe(today);
    expect((await call('POST', shared, supportToken, { sharedOn: today })).statusCode).toBe(409);
    // A police report needs the chair's agreement and a reason (422, every problem at once).
    const police = await reportOf(f.agencies.police);
    const refused = await call('POST', `/api/v1/conferences/${id}/reports/${police.id}/shared`, supportToken, {
      sharedOn: today,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().issues.map((i: { path: string }) => i.path)).toEqual(['policeConfirmed', 'reason']);

    const visitor = await reportOf(f.agencies.healthVisitor);
    const withheld = `/api/v1/conferences/${id}/reports/${visitor.id}/withheld`;
    expect((await call('POST', withheld, supportToken, { reason: 'Names a third party' })).statusCode).toBe(204);
    expect((await reportOf(f.agencies.healthVisitor)).withheldFromFamily).toBe(true);

    const all = await call('POST', `/api/v1/conferences/${id}/reports/shared`, supportToken, { sharedOn: today });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ recorded: 1, policeNotShared: 1 });
    const actions = (await auditRows(ctx)).filter((a) => a.subjectId === id).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['conference.report.download', 'conference.report.shared', 'conference.report.withhold']),
    );
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json', null)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/conferences',
        '/api/v1/conferences/{id}',
        '/api/v1/children/{id}/conferences',
        '/api/v1/conferences/{id}/invitations',
        '/api/v1/conferences/{id}/invitations/{inviteeId}/letter',
      ]),
    );
    // Each operation names the one use case it calls.
    expect(doc.paths['/api/v1/conferences'].post.operationId).toBe('ConveningService.conveneAndView');
    expect(doc.paths['/api/v1/conferences/{id}'].get.operationId).toBe('ConveningService.getConference');
    expect(doc.paths['/api/v1/conferences/{id}/invitations/{inviteeId}/issues'].get.operationId).toBe(
      'ConveningService.invitationIssues',
    );
  });
});

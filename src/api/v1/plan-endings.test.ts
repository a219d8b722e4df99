import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { heldConference } from '../../../test/support/plan-endings.ts';
import { apiCaller, apiStaff, apiToken } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('API: plan endings, 002 §3.8, §3.9 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let call: ReturnType<typeof apiCaller>;
  let people: Awaited<ReturnType<typeof apiStaff>>;
  let manager: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    call = apiCaller(app);
    people = await apiStaff(ctx);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    ctx.clock.current = new Date('2026-03-25T09:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §3.8: the chair records the outline child in need plan for a child with no plan; problems are 422 by field', async () => {
    const g = await heldConference(ctx, {
      socialWorker: people.sw,
      chair: people.chair,
      outcome: 'no-plan',
      status: 'in-progress',
    });
    const path = `/api/v1/conferences/${g.conferenceId}/children/${g.children.ava}/step-down`;
    const bad = await call('POST', path, people.tokens.chair, {
      kind: 'team-around-the-child',
      leadProfessional: 'X',
      services: 'Y',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['firstMeetingDate']);
    const ok = await call('POST', path, people.tokens.chair, {
      kind: 'child-in-need',
      leadProfessional: 'Sam Worker',
      services: 'Support',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 1, kind: 'child-in-need', firstMeetingDate: null });
    expect(
      (await call('POST', path, people.tokens.support, { kind: 'child-in-need', leadProfessional: 'A', services: 'B' }))
        .statusCode,
    ).toBe(403);
  });

  it('002 §3.9: a death recorded with a team manager’s authority: agencies told, in the allow-listed shape', async () => {
    const g = await heldConference(ctx, { socialWorker: people.sw, chair: people.chair, outcome: 'plan-needed' });
    const path = `/api/v1/children/${g.children.ava}/plan-ending`;
    const res = await call('POST', `${path}/endings`, people.tokens.support, {
      reason: 'died',
      endedOn: '2026-03-20',
      authorisedByUserId: manager.id,
      authorisedOn: '2026-03-21',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ state: 'ended', ending: { reason: 'died', authorisedByName: 'Tia Manager' } });
    expect(body.ending.notices.map((n: { method: string }) => n.method).sort()).toEqual([
      'email',
      'email',
      'letter',
      'letter',
      'letter',
    ]);
    expect(Object.keys(body).sort()).toEqual([
      'childId',
      'ending',
      'mayRecord',
      'plan',
      'state',
      'stepDown',
      'transfer',
      'warnings',
    ]);
    const again = await call('POST', `${path}/endings`, people.tokens.support, {
      reason: 'died',
      endedOn: '2026-03-20',
      authorisedByUserId: manager.id,
      authorisedOn: '2026-03-21',
    });
    expect(again.statusCode).toBe(409);
    expect((await call('GET', path, await apiToken(ctx, people.sw), undefined)).json().ending.reason).toBe('died');
  });

  it('002 §3.9, T-4: transfer out over the API: due 15 working days after the notice; the plan ends once held and confirmed', async () => {
    const g = await heldConference(ctx, { socialWorker: people.sw, chair: people.chair, outcome: 'plan-continues' });
    const path = `/api/v1/children/${g.children.ava}/plan-ending`;
    const moved = await call('POST', `${path}/transfer`, people.tokens.support, {
      authorityName: 'Southshire Council',
      contactEmail: 'cp@southshire.example.gov.uk',
      noticeOn: '2026-03-09',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ state: 'active', transfer: { conferenceDue: '2026-03-30', complete: false } });
    const stale = await call('POST', `${path}/transfer/progress`, people.tokens.support, {
      receivingConferenceOn: '2026-03-20',
      confirmationReceivedOn: '2026-03-23',
      version: 99,
    });
    expect(stale.statusCode).toBe(409);
    const done = await call('POST', `${path}/transfer/progress`, people.tokens.support, {
      receivingConferenceOn: '2026-03-20',
      confirmationReceivedOn: '2026-03-23',
      version: moved.json().transfer.version,
    });
    expect(done.json()).toMatchObject({
      state: 'ended',
      ending: { reason: 'moved-to-another-authority', endedOn: '2026-03-23' },
    });
    const audit = await auditRows(ctx, 'plan-ending.transfer');
    expect(JSON.stringify(audit.at(-1)!.details)).not.toMatch(/Southshire|@/);
  });
});

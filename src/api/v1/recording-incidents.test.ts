import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { attendance } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { apiCaller, apiStaff, apiToken } from '../../../test/support/recording-to-record.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('recording gone wrong API, P-8 and P-9, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chairToken: string;
  let supportToken: string;
  let qaToken: string;
  let legalToken: string;
  let g: SiblingGroupConference;
  let base: string;

  const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app)(...args);
  const tokenFor = (actor: Actor) => apiToken(ctx, actor);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const { sw, chair, tokens } = await apiStaff(ctx);
    ({ chair: chairToken, support: supportToken } = tokens);
    qaToken = await tokenFor(await staff(ctx, 'Quin Assurance', ['qa_manager']));
    legalToken = await tokenFor(await staff(ctx, 'Lee Legal', ['legal_adviser']));
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    await ctx.services.database.db
      .insert(attendance)
      .values([{ partId: g.partId, inviteeId: g.invitee.advocate, status: 'attended' }]);
    ctx.clock.current = new Date('2026-03-02T11:00:00Z');
    base = `/api/v1/conferences/${g.conferenceId}/recording-incidents`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('P-8: the chair records each step with its time; every problem at once (422); business support and another chair are refused (403)', async () => {
    const bad = await call('POST', `${base}/unpermitted`, chairToken, {
      personInviteeId: g.invitee.mother,
      askedToStopAt: '10:30',
      meetingHaltedAt: '10:20',
      outcome: 'gone',
      outcomeAt: '12:00',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual([
      'person',
      'meetingHaltedAt',
      'outcomeAt',
      'outcome',
    ]);
    const body = {
      personInviteeId: g.invitee.advocate,
      askedToStopAt: '10:20',
      meetingHaltedAt: '10:22',
      askedToLeaveAt: '10:23',
      outcome: 'left',
      outcomeAt: '10:25',
    };
    expect((await call('POST', `${base}/unpermitted`, supportToken, body)).statusCode).toBe(403);
    // P-8, 002 §4.1: a chair who neither chairs the conference nor covers for its chair is refused, and audited.
    const third = await staff(ctx, 'Thea Third', ['chair']);
    const refused = await call('POST', `${base}/unpermitted`, await tokenFor(third), body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/^Only the conference chair \(.+\) or a cover chair recorded for them/);
    const denials = (await auditRows(ctx, 'unpermitted-recording.record')).filter(
      (a) => a.outcome === 'denied' && a.actorUserId === third.id,
    );
    expect(denials.map((a) => a.details)).toEqual([{ reason: 'not the conference chair' }]);
    const saved = await call('POST', `${base}/unpermitted`, chairToken, body);
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ person: { name: 'Ada Advocate' }, outcome: 'left', askedToLeaveAt: '10:23' });
    const listed = await call('GET', base, supportToken);
    expect(listed.json()).toMatchObject({ covert: null, unpermitted: [{ id: saved.json().id }] });
  });

  it('P-9: business support records a covert recording; a legal adviser finds and reads it, quality assurance is refused; the chair acts and closes it', async () => {
    ctx.clock.current = new Date('2026-03-04T11:00:00Z');
    const reported = await call('POST', `${base}/covert`, supportToken, {
      childIds: [g.children.ben],
      foundOn: '2026-03-03',
      foundBy: 'Bo Support',
      howFound: 'A post on social media',
      published: 'yes',
      publishedWhere: 'Social media',
      takenDown: 'not-known',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(reported.json()).toMatchObject({ chairTold: true, mayView: false });
    const id = reported.json().id as string;
    expect((await call('GET', `${base}/covert/${id}`, supportToken)).statusCode).toBe(403);
    expect((await call('GET', `${base}/covert/${id}`, qaToken)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/recording-incidents', qaToken)).statusCode).toBe(403);
    const open = await call('GET', '/api/v1/recording-incidents', legalToken);
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json()).toEqual({
      incidents: [
        {
          id,
          conferenceId: g.conferenceId,
          conferenceTitle: 'Initial child protection conference',
          scheduledDate: '2026-03-02',
          foundOn: '2026-03-03',
          actionCount: 0,
        },
      ],
    });
    // The conference's own list is not theirs: nothing else of the children's records.
    expect((await call('GET', base, legalToken)).statusCode).toBe(403);
    const read = await call('GET', `${base}/covert/${id}`, legalToken);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      canDecide: false,
      incident: { childIds: [g.children.ben], stillToConsider: ['inform-network', 'inform-legal', 'legal-advice'] },
    });
    for (const action of ['inform-network', 'inform-legal', 'legal-advice'])
      expect(
        (
          await call('POST', `${base}/covert/${id}/actions`, chairToken, {
            action,
            decision: 'taken',
            on: '2026-03-04',
            by: 'Cal Chair',
          })
        ).statusCode,
      ).toBe(201);
    const dashboard = await call('GET', '/api/v1/dashboard', chairToken);
    expect(dashboard.json().covertIncidents).toEqual([
      {
        id,
        conferenceId: g.conferenceId,
        conferenceType: 'initial',
        scheduledDate: '2026-03-02',
        foundOn: '2026-03-03',
        actionCount: 3,
      },
    ]);
    expect((await call('GET', '/api/v1/dashboard', supportToken)).json().covertIncidents).toEqual([]);
    const before = await call('GET', `${base}/covert/${id}`, chairToken);
    const stale = await call('POST', `${base}/covert/${id}/close`, chairToken, {
      outcome: 'Removed',
      closedOn: '2026-03-04',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const closed = await call('POST', `${base}/covert/${id}/close`, chairToken, {
      outcome: 'Removed',
      closedOn: '2026-03-04',
      version: before.json().incident.version,
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ open: false, closedOn: '2026-03-04' });
    const audits = await auditRows(ctx, 'covert-recording.view');
    expect(audits.map((a) => a.outcome)).toEqual(['success', 'success']);
    // Business support is stopped by role before the record is read; the refusal is audited all the same.
    const refused = await auditRows(ctx, 'route.access');
    expect(refused.map((r) => (r.details as { route: string }).route)).toContain(
      'GET /api/v1/conferences/:id/recording-incidents/covert/:incidentId',
    );
    expect(JSON.stringify(audits)).not.toContain('social media');
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { apiStaff, apiToken } from '../../../test/support/recording-to-record.ts';
import { testApp } from '../../../test/support/web.ts';
import { initialInput, siblingFixture } from '../../../test/support/convening.ts';

describe.each(testDatabases())('chairing API, 002 §4.1, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let supportToken: string;
  let chairToken: string;
  let strangerToken: string;
  let managerId: string;
  let g: SiblingGroupConference;

  const call = (method: 'GET' | 'PUT', url: string, token: string, payload?: Record<string, unknown>) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const { sw, chair, tokens } = await apiStaff(ctx);
    ({ chair: chairToken, support: supportToken } = tokens);
    strangerToken = await apiToken(ctx, await staff(ctx, 'Sol Other', ['social_worker']));
    const manager = await staff(ctx, 'Lin Manager', ['chair', 'team_manager']);
    managerId = manager.id;
    const admin = await staff(ctx, 'Ada Admin', ['admin']);
    await ctx.services.chairing.setLineManager(sw.id, manager.id, { actor: { id: admin.id, label: admin.name } });
    ctx.clock.current = new Date('2026-02-20T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §4.1: changing the chair to the social worker’s line manager is 422 with the warning until a reason is given', async () => {
    const url = `/api/v1/conferences/${g.conferenceId}/chair`;
    const warned = await call('PUT', url, supportToken, { chairUserId: managerId });
    expect(warned.statusCode).toBe(422);
    expect(warned.json()).toMatchObject({
      field: 'chairIndependenceReason',
      message: expect.stringMatching(/^Lin Manager is the line manager of Sam Worker/),
    });
    const changed = await call('PUT', url, supportToken, {
      chairUserId: managerId,
      chairIndependenceReason: 'The only chair free in time.',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      chair: { id: managerId, name: 'Lin Manager' },
      reasons: [{ occasion: 'chair-changed', concerns: ['line-manager'], reason: 'The only chair free in time.' }],
      familyMeetingDue: true,
    });
  });

  it('002 §4.1: the chair’s meeting with the family is recorded, read back, and refused to someone without access', async () => {
    const url = `/api/v1/conferences/${g.conferenceId}/chair/family-meeting`;
    const missing = await call('PUT', url, chairToken, { met: 'yes' });
    expect(missing.statusCode).toBe(422);
    const saved = await call('PUT', url, supportToken, {
      met: 'yes',
      metOn: '2026-02-19',
      whoMet: 'The children and Grace',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      met: true,
      metOn: '2026-02-19',
      whoMet: 'The children and Grace',
      version: 1,
    });
    const stale = await call('PUT', url, supportToken, { met: 'no', notMetReason: 'x', version: 7 });
    expect(stale.statusCode).toBe(409);
    const read = await call('GET', `/api/v1/conferences/${g.conferenceId}/chairing`, supportToken);
    expect(read.json()).toMatchObject({ familyMeeting: { met: true }, familyMeetingDue: false });
    const refused = await call('GET', `/api/v1/conferences/${g.conferenceId}/chairing`, strangerToken);
    expect(refused.statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'conference.chairing.view')).filter((r) => r.outcome === 'denied').length,
    ).toBeGreaterThan(0);
  });

  it('002 §4.1: convening through the API with the line manager as chair needs chairIndependenceReason', async () => {
    ctx.clock.current = new Date('2026-03-02T10:00:00Z');
    const f = await siblingFixture(ctx, 'Adeyemi');
    const swToken = await apiToken(ctx, f.sw);
    const call2 = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/conferences',
        headers: { authorization: `Bearer ${swToken}` },
        payload,
      });
    const warned = await call2({ ...initialInput(f), chairUserId: managerId });
    expect(warned.statusCode).toBe(422);
    expect(warned.json().issues.map((i: { path: string }) => i.path)).toEqual(['chairIndependenceReason']);
    const convened = await call2({ ...initialInput(f), chairUserId: managerId, chairIndependenceReason: 'Agreed.' });
    expect(convened.statusCode).toBe(201);
    const id = convened.json().conference.id as string;
    const read = await call('GET', `/api/v1/conferences/${id}/chairing`, swToken);
    expect(read.json().reasons).toEqual([expect.objectContaining({ occasion: 'convened', reason: 'Agreed.' })]);
  });

  it('002 §4.1: another chair is 403 naming the chair; once business support records them as cover (PUT …/chair/cover) they may act', async () => {
    const omar = await staff(ctx, 'Omar Otherchair', ['chair']);
    const omarToken = await apiToken(ctx, omar);
    const part = { label: 'Second part', startOffsetMinutes: 60, durationMinutes: 30 };
    const partsUrl = `/api/v1/conferences/${g.conferenceId}/meeting/parts`;
    const post = (token: string) =>
      app.inject({ method: 'POST', url: partsUrl, headers: { authorization: `Bearer ${token}` }, payload: part });
    const refused = await post(omarToken);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      error: 'forbidden',
      message: 'Only the conference chair (Lin Manager) or a cover chair recorded for them can do this',
    });

    const coverUrl = `/api/v1/conferences/${g.conferenceId}/chair/cover`;
    expect((await call('PUT', coverUrl, omarToken, { coverChairUserId: omar.id, reason: 'Me' })).statusCode).toBe(403);
    const noReason = await call('PUT', coverUrl, supportToken, { coverChairUserId: omar.id, reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json()).toMatchObject({ field: 'reason', message: 'Enter why the chair needs cover' });
    const covered = await call('PUT', coverUrl, supportToken, { coverChairUserId: omar.id, reason: 'Lin is on leave' });
    expect(covered.statusCode).toBe(200);
    expect(covered.json()).toMatchObject({
      chair: { id: managerId },
      cover: { coverChairUserId: omar.id, coverChairName: 'Omar Otherchair', reason: 'Lin is on leave' },
      canRecordCover: true,
    });
    expect((await post(omarToken)).statusCode).toBe(201);
    const denials = (await auditRows(ctx, 'conference.part.add')).filter((a) => a.outcome === 'denied');
    expect(denials.map((a) => a.actorUserId)).toContain(omar.id);
  });
});

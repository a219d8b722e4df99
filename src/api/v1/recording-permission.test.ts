import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { apiCaller, apiStaff, apiToken } from '../../../test/support/recording-to-record.ts';
import { testApp } from '../../../test/support/web.ts';

const PDF_B64 = Buffer.from('%PDF-1.7\nsigned notice\n%%EOF\n').toString('base64');

describe.each(testDatabases())('permission to record API, P-1, P-2, P-3, P-6, T-11, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let supportToken: string;
  let chairToken: string;
  let strangerToken: string;
  let g: SiblingGroupConference;

  const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app)(...args);
  const tokenFor = (actor: Actor) => apiToken(ctx, actor);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const { sw, chair, tokens } = await apiStaff(ctx);
    ({ chair: chairToken, support: supportToken } = tokens);
    strangerToken = await tokenFor(await staff(ctx, 'Sol Other', ['social_worker']));
    ctx.clock.current = new Date('2026-02-20T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  const asked = (over: Record<string, unknown> = {}) => ({
    meeting: { conferenceId: g.conferenceId },
    requester: { kind: 'family', personId: g.people.mother },
    askedOn: '2026-02-20',
    askedAtTime: '09:00',
    method: 'email',
    purpose: 'To remember what is said.',
    undertaking: 'later',
    ...over,
  });

  it('P-1, P-2, P-3: a request is recorded, its notice attached, refused by the chair on a ground with an alternative, and confirmed', async () => {
    const bad = await call('POST', '/api/v1/recording-permission', supportToken, asked({ method: 'fax', purpose: '' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['method', 'purpose']);

    const created = await call('POST', '/api/v1/recording-permission', supportToken, asked());
    expect(created.statusCode).toBe(201);
    const r = created.json();
    expect(r).toMatchObject({
      status: 'awaiting-undertaking',
      notice: { late: false },
      requester: { name: 'Grace Okafor' },
    });

    const attached = await call('POST', `/api/v1/recording-permission/${r.id}/undertaking`, supportToken, {
      file: PDF_B64,
      version: r.version,
    });
    expect(attached.statusCode).toBe(200);
    expect(attached.json()).toMatchObject({
      status: 'awaiting-decision',
      undertaking: { signed: true, file: { format: 'pdf' } },
    });
    const file = await call('GET', `/api/v1/recording-permission/${r.id}/undertaking`, chairToken);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');

    const view = await call('POST', `/api/v1/recording-permission/${r.id}/views`, supportToken, {
      inviteeId: g.invitee.police,
      view: 'against',
      reason: 'Police information will be shared.',
    });
    expect(view.statusCode).toBe(200);

    const notChair = await call('POST', `/api/v1/recording-permission/${r.id}/decision`, supportToken, {
      outcome: 'granted',
      grounds: [],
      alternatives: [],
      reasons: 'Fine',
      version: attached.json().version,
    });
    expect(notChair.statusCode).toBe(403);
    const refused = await call('POST', `/api/v1/recording-permission/${r.id}/decision`, chairToken, {
      outcome: 'refused',
      grounds: [{ ground: 'threat-to-publish', evidence: 'Said she would post it online.' }],
      alternatives: ['service-recording-copy'],
      reasons: 'There is a risk it would be published.',
      version: attached.json().version,
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.json().decision).toMatchObject({ outcome: 'refused', alternatives: ['service-recording-copy'] });

    const detail = await call('GET', `/api/v1/recording-permission/${r.id}`, supportToken);
    expect(detail.json().letter.body).toContain('A copy of the service’s own recording');
    const confirmed = await call('POST', `/api/v1/recording-permission/${r.id}/confirmation`, supportToken, {
      version: refused.json().version,
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().confirmed).toEqual({ byEmail: false });
    const again = await call('POST', `/api/v1/recording-permission/${r.id}/confirmation`, supportToken, {
      version: confirmed.json().version,
    });
    expect(again.statusCode).toBe(409);
  });

  it('P-1: a request from someone else is recorded as refused, with the reason', async () => {
    const res = await call(
      'POST',
      '/api/v1/recording-permission',
      supportToken,
      asked({ requester: { kind: 'someone-else', name: 'An uncle' } }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'not-eligible', notEligibleReason: expect.stringContaining('may ask') });
  });

  it('access: a caller who may not see the children is refused (403), audited; no token is 401', async () => {
    expect((await call('GET', `/api/v1/conferences/${g.conferenceId}/recording-permission`, null)).statusCode).toBe(
      401,
    );
    const denied = await call('GET', `/api/v1/conferences/${g.conferenceId}/recording-permission`, strangerToken);
    expect(denied.statusCode).toBe(403);
    expect((await auditRows(ctx, 'recording-permission.view')).at(-1)).toMatchObject({ outcome: 'denied' });
    const list = await call('GET', `/api/v1/conferences/${g.conferenceId}/recording-permission`, chairToken);
    expect(list.json().requests).toHaveLength(2);
    const waiting = await call('GET', '/api/v1/recording-permission', chairToken);
    expect(waiting.json().unconfirmed.map((u: { request: { status: string } }) => u.request.status)).toEqual([
      'not-eligible',
    ]);
  });

  it('T-11, P-3: the dashboard gives the person who decides the requests waiting with the time left before the soonest meeting, and the decisions not yet confirmed', async () => {
    const before = await call('GET', '/api/v1/dashboard', chairToken);
    expect(before.statusCode).toBe(200);
    // The request from someone who may not ask is refused at once and not yet confirmed to them.
    expect(before.json().recordingRequests).toEqual({
      waiting: 0,
      shortNotice: 0,
      soonestStartsAt: null,
      timeLeft: null,
      unconfirmed: 1,
    });
    expect((await call('POST', '/api/v1/recording-permission', supportToken, asked())).statusCode).toBe(201);
    const after = await call('GET', '/api/v1/dashboard', chairToken);
    expect(after.json().recordingRequests).toEqual({
      waiting: 1,
      shortNotice: 0,
      soonestStartsAt: '2026-03-02T10:00:00.000Z',
      timeLeft: '10 days',
      unconfirmed: 1,
    });
    // Business support do not decide: nothing waits for their decision, but the refusal of a request they recorded
    // is theirs to confirm.
    expect((await call('GET', '/api/v1/dashboard', supportToken)).json().recordingRequests).toMatchObject({
      waiting: 0,
      unconfirmed: 1,
    });
    // Someone who neither decides nor recorded anything has nothing.
    expect((await call('GET', '/api/v1/dashboard', strangerToken)).json().recordingRequests).toMatchObject({
      waiting: 0,
      unconfirmed: 0,
    });
  });
});

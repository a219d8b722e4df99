import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { coreGroupsCast } from '../../../test/support/core-groups.ts';
import { auditRows } from '../../../test/support/people.ts';
import { apiToken } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('core groups API, 002 §3.7, §3.10, §3.11, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let manager: Actor;
  let g: SiblingGroupConference;
  const tokens: Record<string, string> = {};

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    let stranger: Actor;
    ({ sw, manager, stranger, g } = await coreGroupsCast(ctx));
    tokens['sw'] = await apiToken(ctx, sw);
    tokens['manager'] = await apiToken(ctx, manager);
    tokens['stranger'] = await apiToken(ctx, stranger);
    ctx.clock.current = new Date('2026-03-12T16:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §3.7, §3.10, §3.11: the core group is read, a meeting scheduled and recorded, then changed with a reason', async () => {
    const base = `/api/v1/children/${g.children.ben}/core-groups`;
    const read = await call('GET', base, tokens['sw']!);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      childId: g.children.ben,
      plan: { firstCoreGroupDate: '2026-03-12', lead: { userId: sw.id } },
      due: { which: 'first', due: '2026-03-12', status: 'due-soon' },
      meetings: [],
    });
    expect(Object.keys(read.json().plan)).not.toContain('planRecord');
    const bad = await call('POST', base, tokens['sw']!, { date: '2026-03-01', chairUserId: 'nobody' });
    expect(bad.statusCode).toBe(422);
    const scheduled = await call('POST', base, tokens['sw']!, { date: '2026-03-12', chairUserId: sw.id });
    expect(scheduled.statusCode).toBe(200);
    const meeting = scheduled.json() as { id: string; version: number };
    const record = {
      version: meeting.version,
      attendance: {
        [g.invitee.mother]: 'attended',
        [g.invitee.socialWorker]: 'attended',
        [g.invitee.school]: 'apologies',
      },
      progress: [
        { ordinal: 1, progress: 'done', note: null },
        { ordinal: 2, progress: 'in-progress', note: null },
      ],
      notes: null,
    };
    const recorded = await call('PUT', `/api/v1/core-groups/${meeting.id}/record`, tokens['sw']!, record);
    expect(recorded.statusCode).toBe(200);
    expect(recorded.json()).toMatchObject({ meeting: { record: { version: 1 } }, history: [{ version: 1 }] });
    const stale = await call('PUT', `/api/v1/core-groups/${meeting.id}/record`, tokens['sw']!, {
      ...record,
      changeReason: 'Late apologies',
    });
    expect(stale.statusCode).toBe(409);
    const changed = await call('PUT', `/api/v1/core-groups/${meeting.id}/record`, tokens['sw']!, {
      ...record,
      version: 2,
      changeReason: 'Late apologies',
    });
    expect(changed.json()).toMatchObject({ history: [{ version: 1 }, { version: 2, changeReason: 'Late apologies' }] });
    expect((await call('GET', `/api/v1/core-groups/${meeting.id}`, tokens['stranger']!)).statusCode).toBe(403);
  });

  it('002 §3.7: only a team manager appoints the missing lead social worker', async () => {
    const url = `/api/v1/children/${g.children.ava}/lead-social-worker`;
    expect((await call('PUT', url, tokens['sw']!, { userId: sw.id })).statusCode).toBe(403);
    const ok = await call('PUT', url, tokens['manager']!, { userId: sw.id });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ plan: { lead: { userId: sw.id, appointedAfterwards: true } } });
    expect((await auditRows(ctx, 'core-group.lead.appoint')).map((r) => r.outcome)).toEqual(['denied', 'success']);
  });
});

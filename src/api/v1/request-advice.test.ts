import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../../test/support/people.ts';
import { siblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { apiCaller, apiStaff, apiToken } from '../../../test/support/recording-to-record.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('A-10: advice on a request for a copy, API, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chairToken: string;
  let supportToken: string;
  let strangerToken: string;
  let requestId: string;

  const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app)(...args);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const { sw, chair, tokens } = await apiStaff(ctx);
    ({ chair: chairToken, support: supportToken } = tokens);
    strangerToken = await apiToken(ctx, await staff(ctx, 'Olu Other', ['social_worker']));
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    requestId = (
      await ctx.services.requests.receive(
        chair,
        {
          conferenceId: g.conferenceId,
          receivedOn: '2026-05-11',
          requester: { type: 'pr-holder', personId: g.people.mother },
        },
        { actor: { id: chair.id, label: chair.name } },
      )
    ).id;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('A-10: asked by the chair, answered once, read back; business support may not ask; no access, no advice', async () => {
    const base = `/api/v1/requests/${requestId}/advice`;
    expect((await call('POST', base, chairToken, { question: '' })).statusCode).toBe(422);
    const asked = await call('POST', base, chairToken, { question: 'Can the aunt’s words be shared?' });
    expect(asked.statusCode).toBe(201);
    const { id } = asked.json();
    expect((await call('POST', base, supportToken, { question: 'Me?' })).statusCode).toBe(403);
    const answer = { answer: 'No.', answeredBy: 'Pat Rights', answeredOn: '2026-05-11' };
    const answered = await call('POST', `${base}/${id}/answer`, chairToken, answer);
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({
      answer: { answer: 'No.', answeredBy: 'Pat Rights', answeredOn: '2026-05-11' },
    });
    expect((await call('POST', `${base}/${id}/answer`, chairToken, answer)).statusCode).toBe(409);
    const read = await call('GET', base, supportToken);
    expect(read.json()).toMatchObject({ canAsk: false, advice: [{ id, question: 'Can the aunt’s words be shared?' }] });
    expect((await call('GET', base, strangerToken)).statusCode).toBe(403);
  });
});

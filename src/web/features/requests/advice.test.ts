import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { siblingGroupConference } from '../../../../test/support/conferences.ts';
import { clientFor, dateFields, summaryErrors } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { testApp } from '../../../../test/support/web.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name } });
const flat = (html: string) => html.replace(/\s+/g, ' ');

describe.each(testDatabases())('A-10: the advice pages of a request on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let requestId: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
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
        as(chair),
      )
    ).id;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('A-10: the chair records a question and its answer without JavaScript; problems re-render on their fields; the timeline shows both', async () => {
    const client = await clientFor(ctx, app, chair);
    const page = `/requests/${requestId}/advice`;
    expect((await client.get(`/requests/${requestId}`)).body).toContain(`href="${page}"`);
    const empty = await client.post(page, { question: '' }, { fromPage: page });
    expect(empty.statusCode).toBe(400);
    expect(summaryErrors(empty.body)).toEqual([
      { href: '#question', text: 'Enter the question for the information management team' },
    ]);
    expect(
      (await client.post(page, { question: 'Is the grandmother’s part personal data?' }, { fromPage: page }))
        .statusCode,
    ).toBe(303);
    const listed = await client.get(page);
    expect(flat(listed.body)).toContain('Is the grandmother’s part personal data?');
    const answerHref = /href="(\/requests\/[^"]+\/answer)"/.exec(listed.body)![1]!;
    const bad = await client.post(
      answerHref,
      { answer: 'Yes: withhold it.', answeredBy: '', ...dateFields('answeredOn', '2026-05-11') },
      { fromPage: answerHref },
    );
    expect(bad.statusCode).toBe(400);
    expect(summaryErrors(bad.body)).toEqual([
      { href: '#answeredBy', text: 'Enter who in the information management team gave the advice' },
    ]);
    expect(bad.body).toContain('Yes: withhold it.');
    const saved = await client.post(
      answerHref,
      { answer: 'Yes: withhold it.', answeredBy: 'Pat Rights', ...dateFields('answeredOn', '2026-05-11') },
      { fromPage: answerHref },
    );
    expect(saved.statusCode).toBe(303);
    expect(flat((await client.get(page)).body)).toContain('11 May 2026 by Pat Rights');
    const timeline = flat((await client.get(`/requests/${requestId}`)).body);
    expect(timeline).toContain('Advice asked of the information management team');
    expect(timeline).toContain('Advice from the information management team recorded');
  });

  it('A-10: business support sees the advice but may not ask; a post is refused and audited', async () => {
    const client = await clientFor(ctx, app, support);
    const page = `/requests/${requestId}/advice`;
    const seen = await client.get(page);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('name="question"');
    const refused = await client.post(
      page,
      { question: 'Me too?' },
      { csrf: true, fromPage: `/requests/${requestId}` },
    );
    expect(refused.statusCode).toBe(403);
    expect((await auditRows(ctx, 'copy-request.advice.ask')).at(-1)).toMatchObject({ outcome: 'denied' });
  });
});

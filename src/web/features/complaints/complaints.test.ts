import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

describe.each(testDatabases())('complaints pages, W-7 and 002 §3.12 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let support: Actor;
  let investigator: Actor;
  let supportClient: WebClient;
  let swClient: WebClient;
  let investigatorClient: WebClient;
  let g: SiblingGroupConference;
  let base: string;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    investigator = await staff(ctx, 'Ivy Investigator', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw });
    ctx.clock.current = new Date('2026-03-20T10:00:00Z');
    supportClient = await clientFor(support);
    swClient = await clientFor(sw);
    investigatorClient = await clientFor(investigator);
    base = `/conferences/${g.conferenceId}/complaints`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('W-7: the written record page links to the complaints for those who manage them; a social worker sees no link and is refused (403)', async () => {
    const docs = await supportClient.get(`/conferences/${g.conferenceId}/documents`);
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain(`href="${base}"`);
    const swDocs = await swClient.get(`/conferences/${g.conferenceId}/documents`);
    expect(swDocs.body).not.toContain(`href="${base}"`);
    expect((await swClient.get(base)).statusCode).toBe(403);
    const list = await supportClient.get(base);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('No complaint has been recorded about this conference.');
  });

  it('W-7, 002 §3.12: recording a complaint refuses a form without its CSRF token, and answers 400 with an error per field, keeping what was typed', async () => {
    const noCsrf = await supportClient.post(base, { about: 'process' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    const bad = await supportClient.post(
      base,
      {
        complainant: 'someone-else',
        complainantName: '',
        summary: 'Kept text',
        'receivedOn-day': '31',
        'receivedOn-month': '2',
        'receivedOn-year': '2026',
      },
      { fromPage: `${base}/new` },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      '#about: Select what the complaint is about',
      '#complainantName: Enter the name of the person who complained',
      '#receivedOn-day: The date it was received must be a real date',
    ]);
    const nobody = await supportClient.post(
      base,
      { about: 'process', summary: 'x', 'receivedOn-day': '1', 'receivedOn-month': '3', 'receivedOn-year': '2026' },
      { fromPage: `${base}/new` },
    );
    expect(nobody.statusCode).toBe(400);
    expect(errorSummary(nobody.body)).toEqual(['#complainant: Select who complained']);
    expect(bad.body).toContain('Kept text');
    const rules = await supportClient.post(
      base,
      {
        complainant: 'someone-else',
        complainantName: ' ',
        summary: 'Kept text',
        'receivedOn-day': '21',
        'receivedOn-month': '3',
        'receivedOn-year': '2026',
      },
      { fromPage: `${base}/new` },
    );
    expect(rules.statusCode).toBe(400);
    expect(errorSummary(rules.body).map((e) => e.split(':')[0])).toEqual([
      '#about',
      '#complainantName',
      '#receivedOn-day',
    ]);
    expect(bad.body).toContain('Kept text');
  });

  it('W-7, 002 §3.12: a complaint is recorded, moved to formal investigation with an investigator who may then open it, and closed; access ends', async () => {
    const saved = await supportClient.post(
      base,
      {
        about: ['process', 'plan'],
        complainant: g.invitee.father,
        summary: 'Not given the reports in time.',
        'receivedOn-day': '18',
        'receivedOn-month': '3',
        'receivedOn-year': '2026',
      },
      { fromPage: `${base}/new` },
    );
    expect(saved.statusCode, saved.body).toBe(303);
    const page = saved.headers.location as string;
    expect(page).toMatch(new RegExp(`^${base}/[0-9a-f-]{36}\\?done=recorded$`));
    const url = page.split('?')[0]!;
    const shown = await supportClient.get(page);
    expect(shown.body).toContain('Complaint from Daniel Mensah');
    expect(shown.body).toContain('Informal resolution by the chair');

    const noInvestigator = await supportClient.post(
      `${url}/stage`,
      { stage: 'formal', investigator: '', version: versionOn(shown.body) },
      { fromPage: url },
    );
    expect(noInvestigator.statusCode).toBe(400);
    expect(errorSummary(noInvestigator.body)).toEqual(['#investigator: Select who will investigate']);
    const staged = await supportClient.post(
      `${url}/stage`,
      { stage: 'formal', investigator: investigator.id, version: '1' },
      { fromPage: url },
    );
    expect(staged.statusCode, staged.body).toBe(303);
    const stale = await supportClient.post(
      `${url}/stage`,
      { stage: 'review-panel', investigator: investigator.id, version: '1' },
      { fromPage: url },
    );
    expect(stale.statusCode).toBe(409);

    const theirs = await investigatorClient.get(url);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain(`action="${url}/close"`);
    expect((await investigatorClient.get(`/conferences/${g.conferenceId}/documents`)).statusCode).toBe(200);
    expect((await investigatorClient.get(`/conferences/${g.conferenceId}/recordings`)).statusCode).toBe(200);

    const badClose = await supportClient.post(`${url}/close`, { outcome: '', version: '2' }, { fromPage: url });
    expect(badClose.statusCode).toBe(400);
    expect(errorSummary(badClose.body).map((e) => e.split(':')[0])).toEqual(['#outcome', '#closedOn-day']);
    const closed = await supportClient.post(
      `${url}/close`,
      { outcome: 'withdrawn', 'closedOn-day': '19', 'closedOn-month': '3', 'closedOn-year': '2026', version: '2' },
      { fromPage: url },
    );
    expect(closed.statusCode, closed.body).toBe(303);
    expect((await supportClient.get(closed.headers.location as string)).body).toContain(
      'Withdrawn, closed 19 March 2026',
    );

    expect((await investigatorClient.get(`/conferences/${g.conferenceId}/documents`)).statusCode).toBe(403);
    expect((await auditRows(ctx, 'documents.view')).at(-1)).toMatchObject({
      outcome: 'denied',
      actorUserId: investigator.id,
      details: { reason: 'complaint closed: investigator access ended' },
    });
  });
});

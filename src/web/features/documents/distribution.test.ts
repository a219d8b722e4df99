import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import type { SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { heldConferenceForRecord } from '../../../../test/support/written-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

/** The table row of a person: whether they receive it, and the reason. */
function rowOf(html: string, name: string): string {
  const rows = [...html.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
  const row = rows.find((r) => r.includes(`>${name}<`));
  if (!row) throw new Error(`no row for ${name}`);
  return row
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe.each(testDatabases())('who gets what pages (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let support: Actor;
  let supportClient: WebClient;
  let swClient: WebClient;
  let g: SiblingGroupConference;
  let draftUrl: string;
  let url: string;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    supportClient = await clientFor(support);
    swClient = await clientFor(sw);
    g = await heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });
    const draft = await ctx.services.documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'decision-letter', subjectInviteeId: null },
      as(support),
    );
    draftUrl = `/conferences/${g.conferenceId}/documents/${draft.id}`;
    url = `${draftUrl}/distribution`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('W-4: the draft links to the list, which shows everyone on the register with whether they receive it and why', async () => {
    const draft = await supportClient.get(draftUrl);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain(`href="${url}"`);
    expect(draft.body).toContain(`href="${draftUrl}/recipients"`);
    const page = await supportClient.get(url);
    expect(page.statusCode).toBe(200);
    expect(rowOf(page.body, 'The children&#39;s file')).toContain('Yes');
    expect(rowOf(page.body, 'Grace Okafor')).toMatch(/Yes .*Invited parent with parental responsibility; attended/);
    expect(rowOf(page.body, 'Ada Advocate')).toMatch(/No .*never receives the record$/);
    expect(page.body).toContain(`href="${draftUrl}/recipients"`);
    expect(page.body).toContain(`action="${url}/add"`);
    // Someone who may read the record sees the list but no forms.
    const read = await swClient.get(url);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(`action="${url}/add"`);
  });

  it('W-4: a change needs a reason (400 with the error summary, what was chosen kept); a supporter is never added; then the change shows with its reason', async () => {
    await supportClient.get(url);
    const noReason = await supportClient.post(`${url}/add`, { 'add-inviteeId': g.invitee.ava, 'add-reason': ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(errorSummary(noReason.body)).toEqual(['#add-reason: Enter why they should receive it']);
    expect(noReason.body).toContain(`<option value="${g.invitee.ava}" selected>`);

    const advocate = await supportClient.post(
      `${url}/add`,
      { 'add-inviteeId': g.invitee.advocate, 'add-reason': 'Grace asked' },
      { fromPage: url },
    );
    expect(advocate.statusCode).toBe(400);
    expect(errorSummary(advocate.body)[0]).toMatch(/^#add-inviteeId: Ada Advocate is an advocate: friends, supporters/);

    const noCsrf = await supportClient.post(
      `${url}/add`,
      { 'add-inviteeId': g.invitee.ava, 'add-reason': 'Ava asked' },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(
      (await swClient.post(`${url}/add`, { 'add-inviteeId': g.invitee.ava, 'add-reason': 'x' }, { fromPage: url }))
        .statusCode,
    ).toBe(403);

    const added = await supportClient.post(
      `${url}/add`,
      { 'add-inviteeId': g.invitee.ava, 'add-reason': 'The chair agreed Ava should have her own copy' },
      { fromPage: url },
    );
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${url}?done=added`);
    const after = await supportClient.get(added.headers.location as string);
    expect(after.body).toContain('They are added to the list, with your reason.');
    expect(rowOf(after.body, 'Ava Okafor')).toMatch(
      /Yes A child’s copy .*Added by Bo Support: The chair agreed Ava should have her own copy/,
    );

    const removed = await supportClient.post(
      `${url}/remove`,
      { 'remove-inviteeId': g.invitee.police, 'remove-reason': 'Sent to the unit instead' },
      { fromPage: url },
    );
    expect(removed.statusCode).toBe(303);
    expect(rowOf((await supportClient.get(url)).body, 'DC Priya Shah')).toMatch(/No .*Removed by Bo Support/);
    expect((await auditRows(ctx, 'documents.distribution.change')).length).toBe(2);
  });

  it('W-4: business support records that an agency has no current or planned involvement, with the date; it is left out until withdrawn', async () => {
    await supportClient.get(url);
    const noDate = await supportClient.post(`${url}/no-involvement`, { agency: g.invitee.gp, note: 'By phone' });
    expect(noDate.statusCode).toBe(400);
    expect(errorSummary(noDate.body)).toEqual(['#saidOn-day: Enter the date the agency said so']);
    const recorded = await supportClient.post(
      `${url}/no-involvement`,
      {
        agency: g.invitee.gp,
        'saidOn-day': '20',
        'saidOn-month': '2',
        'saidOn-year': '2026',
        note: 'Practice manager by phone',
      },
      { fromPage: url },
    );
    expect(recorded.statusCode).toBe(303);
    const page = await supportClient.get(url);
    expect(rowOf(page.body, 'Dr Lee')).toMatch(
      /No .*The agency said on 20 February 2026 it has no current or planned involvement/,
    );
    expect(page.body).toContain('name="withdraw"');
    const withdrawn = await supportClient.post(`${url}/no-involvement`, { withdraw: g.invitee.gp }, { fromPage: url });
    expect(withdrawn.statusCode).toBe(303);
    expect(rowOf((await supportClient.get(url)).body, 'Dr Lee')).toMatch(/^Dr Lee .*Yes/);
  });
});
